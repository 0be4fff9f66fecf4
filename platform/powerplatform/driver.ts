// The Power Platform driver: portals as Power Pages sites, created and followed through the websites
// API (operations.ts says what each operation does there). The directory half (users, environments,
// roles, licenses) is directory.ts's; the driver passes those reads through.
import { randomUUID } from 'node:crypto';
import {
  type OperationKind,
  type OperationRequest,
  type OperationState,
  type Platform,
  PlatformUnavailableError,
  type PortalSpec,
  type StartAnswer,
  type SubdomainAvailability,
} from '../platform.ts';
import { MicrosoftApiError, type MicrosoftHttp } from './http.ts';
import { APPLICATION_PACKAGES_API_VERSION, addOnProblem, addOnsToInstall, lcidOf, MESSAGES, ownerOfKey, packageProblem, templateOf, websiteRecordIdOf } from './mapping.ts';
import { decodeOperation, encodeOperation, type OperationPlan, settled, stateOf } from './operations.ts';
import { type MicrosoftEndpoints, scopeFor } from './scopes.ts';
import { type Website, WebsitesApi } from './websites.ts';

/** The directory half, as the driver uses it. */
export type DirectoryHalf = Omit<Platform, 'startOperation' | 'startOperations' | 'getOperations' | 'subdomainAvailability'>;

/** The directory half with the environments behind instances (directory.ts's PowerPlatformDirectory). */
export interface DriverDirectory extends DirectoryHalf {
  /** The environment of an instance id: its Dataverse organization id creates sites in it. */
  environment(id: string): Promise<{ organizationId: string } | undefined>;
  /** Reads the instance afresh next time: a package install is judged on its solutions and language now. */
  forgetInstance(id: string): void;
}

export interface PowerPlatformOptions {
  http: MicrosoftHttp;
  directory: DriverDirectory;
  endpoints: MicrosoftEndpoints;
}

type Answer = { id: string };

export class PowerPlatform implements Platform {
  private readonly sites: WebsitesApi;

  constructor(private readonly options: PowerPlatformOptions) {
    this.sites = new WebsitesApi(options.http, options.endpoints.powerPlatform.replace(/\/+$/, ''), scopeFor('powerplatform', options.endpoints));
  }

  getUsers: Platform['getUsers'] = (ids) => this.options.directory.getUsers(ids);
  findUserByEmail: Platform['findUserByEmail'] = (email) => this.options.directory.findUserByEmail(email);
  listInstances: Platform['listInstances'] = () => this.options.directory.listInstances();
  getInstances: Platform['getInstances'] = (ids) => this.options.directory.getInstances(ids);
  listRoles: Platform['listRoles'] = (filter) => this.options.directory.listRoles(filter);
  listRoleHolders: Platform['listRoleHolders'] = (ids, role) => this.options.directory.listRoleHolders(ids, role);
  listLicenses: Platform['listLicenses'] = () => this.options.directory.listLicenses();

  async startOperation(kind: OperationKind, key: string, spec: PortalSpec): Promise<Answer> {
    const [answer] = await this.startOperations([{ kind, key, spec }], { concurrency: 1 });
    if (!answer || 'error' in answer) throw new PlatformUnavailableError(answer?.error ?? 'The portal platform gave no answer.');
    return answer;
  }

  /** One call (or a few) per request, `concurrency` requests at once; a refusal is a failed operation. */
  async startOperations(requests: readonly OperationRequest[], options: { concurrency: number }): Promise<StartAnswer[]> {
    return eachLimited(requests, options.concurrency, async (request): Promise<StartAnswer> => {
      try {
        return await this.start(request);
      } catch (error) {
        if (error instanceof MicrosoftApiError && error.status !== 401) return { id: settled({ ok: false, error: refusal(error, request.spec) }, randomUUID()) };
        return { error: error instanceof MicrosoftApiError ? signInRefused(error) : error instanceof Error ? error.message : String(error) };
      }
    });
  }

  private start({ kind, key, spec }: OperationRequest): Promise<Answer> {
    switch (kind) {
      case 'CREATE_RESOURCES':
        return this.startCreate(key, spec);
      case 'INSTALL_PACKAGE':
        return this.startInstall(spec);
      case 'BIND_SSL':
        return this.startBind(spec);
      case 'UNBIND_SSL':
        return this.startUnbind(spec);
    }
  }

  /**
   * Looks the site up first: a site at this URL made for this portal is adopted, not made twice
   * (a create whose answer was lost). One made for it with other values (language, template,
   * instance), or one whose create failed, is deleted first and made again.
   */
  private async startCreate(key: string, spec: PortalSpec): Promise<Answer> {
    const env = spec.instanceId;
    const recordId = websiteRecordIdOf(ownerOfKey(key));
    const wanted = { selectedBaseLanguage: lcidOf(spec.language), templateName: templateOf(spec.portalType) };
    const existing = await this.sites.findBySubdomain(env, spec.subdomain);
    if (existing && existing.websiteRecordId?.toLowerCase() !== recordId) return failed(MESSAGES.subdomainTaken(spec.subdomain));
    const own = existing ? { env, site: existing } : await this.ownSiteElsewhere(spec.subdomain, recordId);
    if (own && (own.env !== env || own.site.status === 'OperationFailed' || !sameValues(own.site, wanted))) {
      await this.sites.remove(own.env, own.site.id);
      throw new PlatformUnavailableError(`The earlier site at ${spec.subdomain} is being deleted, to be created again with the portal's values.`);
    }
    if (existing) return { id: encodeOperation({ k: 'create', env, sub: spec.subdomain }) };
    const organizationId = await this.organizationId(env);
    if (!organizationId) return failed(`The instance ${env} no longer exists.`);
    const location = await this.sites.create(env, {
      dataverseOrganizationId: organizationId,
      name: spec.name ?? spec.subdomain,
      subdomain: spec.subdomain,
      websiteRecordId: recordId,
      ...wanted,
    });
    return { id: encodeOperation({ k: 'create', env, sub: spec.subdomain, ...(location && this.followable(location) ? { loc: location } : {}) }) };
  }

  /** This portal's site at `subdomain` in another environment (its instance was changed), if any. */
  private async ownSiteElsewhere(subdomain: string, recordId: string): Promise<{ env: string; site: Website } | undefined> {
    const wanted = subdomain.toLowerCase();
    for (const instance of await this.options.directory.listInstances()) {
      const sites = await this.sites.list(instance.id).catch((error) => (error instanceof MicrosoftApiError ? [] : Promise.reject(error)));
      const site = sites.find((s) => s.subdomain?.toLowerCase() === wanted && s.websiteRecordId?.toLowerCase() === recordId);
      if (site) return { env: instance.id, site };
    }
    return undefined;
  }

  /** The package installs with the site; a failed install is run again by restarting the site. */
  private async startInstall(spec: PortalSpec): Promise<Answer> {
    const env = spec.instanceId;
    const site = await this.sites.findBySubdomain(env, spec.subdomain);
    if (!site) return failed(MESSAGES.siteMissing(spec.subdomain));
    if (site.packageInstallStatus === 'InstallFailed') await this.sites.restart(env, site.id);
    return { id: encodeOperation({ k: 'install', env, sub: spec.subdomain, site: site.id, lang: spec.language, type: spec.portalType, addOns: [...spec.addOns] }) };
  }

  private async startBind(spec: PortalSpec): Promise<Answer> {
    const env = spec.instanceId;
    const { hostname, certificate } = spec;
    if (!hostname || !certificate) return failed(MESSAGES.noCertificate);
    const site = await this.sites.findBySubdomain(env, spec.subdomain);
    if (!site) return failed(MESSAGES.noBindingSite(spec.subdomain));
    if (site.type === 'Trial' || spec.licenseType === 'TRIAL') return failed(MESSAGES.trialSite(spec.subdomain, hostname));
    const thumb = (await this.sites.uploadCertificate(env, site.id, certificate.pfx, certificate.password)) ?? certificate.thumbprintSha1;
    const known = (site.customHostNames ?? []).some((h) => h.toLowerCase() === hostname.toLowerCase());
    const location = known ? undefined : await this.sites.addCustomDomain(env, site.id, hostname);
    const loc = location && this.followable(location) ? { loc: location } : {};
    return { id: encodeOperation({ k: 'bind', env, sub: spec.subdomain, site: site.id, host: hostname, thumb, ...loc }) };
  }

  /** Removing the custom domain takes its SSL bindings with it; a binding that is not there is no error. */
  private async startUnbind(spec: PortalSpec): Promise<Answer> {
    const site = spec.hostname ? await this.sites.findBySubdomain(spec.instanceId, spec.subdomain) : undefined;
    const host = spec.hostname?.toLowerCase();
    if (site && host && (site.customHostNames ?? []).some((h) => h.toLowerCase() === host)) await this.sites.removeCustomDomain(spec.instanceId, site.id, host);
    return { id: settled({ ok: true }, randomUUID()) };
  }

  /**
   * The state of each operation. A look that fails for an unreachable platform leaves that operation
   * running; when every look failed so, the platform is unavailable and the call says so.
   */
  async getOperations(ids: readonly string[]): Promise<OperationState[]> {
    const plans = ids.flatMap((id) => {
      const plan = decodeOperation(id);
      return plan ? [{ id, plan }] : [];
    });
    let unreachable: Error | undefined;
    let remote = 0;
    let failedLooks = 0;
    const states = await eachLimited(plans, 8, async ({ id, plan }) => {
      if (plan.k === 'done') return stateOf(id, plan.ok ? 'SUCCEEDED' : 'FAILED', plan.error);
      remote += 1;
      try {
        return await this.look(id, plan);
      } catch (error) {
        if (!(error instanceof PlatformUnavailableError)) throw error;
        unreachable = error;
        failedLooks += 1;
        return stateOf(id, 'RUNNING');
      }
    });
    if (unreachable && failedLooks === remote) throw unreachable;
    return states;
  }

  private async look(id: string, plan: Exclude<OperationPlan, { k: 'done' }>): Promise<OperationState> {
    try {
      if (plan.k === 'create') return await this.lookCreate(id, plan);
      if (plan.k === 'install') return await this.lookInstall(id, plan);
      return await this.lookBind(id, plan);
    } catch (error) {
      if (error instanceof MicrosoftApiError) {
        // A refused sign-in says nothing of the operation: it waits for a login like an outage.
        if (error.status === 401) throw new PlatformUnavailableError(signInRefused(error));
        if (error.status === 404) return stateOf(id, 'FAILED', MESSAGES.siteMissing(plan.sub));
        return stateOf(id, 'FAILED', refusal(error, { instanceId: plan.env, subdomain: plan.sub }));
      }
      throw error;
    }
  }

  private async lookCreate(id: string, plan: Extract<OperationPlan, { k: 'create' }>): Promise<OperationState> {
    if (plan.loc) {
      const outcome = await this.sites.poll(plan.loc);
      if (outcome.status !== 'FAILED') return stateOf(id, outcome.status);
      const taken = outcome.code === 'SubdomainConflict';
      return stateOf(id, 'FAILED', taken ? MESSAGES.subdomainTaken(plan.sub) : (outcome.message ?? 'The platform could not create the portal URL.'));
    }
    const site = await this.sites.findBySubdomain(plan.env, plan.sub);
    if (!site) return stateOf(id, 'FAILED', MESSAGES.siteMissing(plan.sub));
    if (site.status === 'OperationComplete') return stateOf(id, 'SUCCEEDED');
    if (site.status === 'OperationFailed') return stateOf(id, 'FAILED', 'The platform could not create the portal URL. Restart provisioning.');
    return stateOf(id, 'RUNNING');
  }

  private async lookInstall(id: string, plan: Extract<OperationPlan, { k: 'install' }>): Promise<OperationState> {
    const site: Website = await this.sites.get(plan.env, plan.site);
    const status = site.packageInstallStatus ?? '';
    if (status !== 'Installed' && status !== 'InstallFailed') return stateOf(id, 'RUNNING');
    const spec: PortalSpec = { subdomain: plan.sub, instanceId: plan.env, language: plan.lang, portalType: plan.type, addOns: plan.addOns };
    this.options.directory.forgetInstance(plan.env);
    const [instance] = await this.options.directory.getInstances([plan.env]);
    if (status === 'InstallFailed') return stateOf(id, 'FAILED', packageProblem(instance, spec) ?? MESSAGES.installFailed);
    const missing = instance ? addOnProblem(instance, spec) : undefined;
    if (missing) return stateOf(id, 'FAILED', missing);
    const toInstall = instance ? addOnsToInstall(instance, spec) : [];
    for (const uniqueName of toInstall) await this.installPackage(plan.env, uniqueName);
    // The instance is read afresh once more, so the add-ons just installed count from the next look.
    if (toInstall.length > 0) this.options.directory.forgetInstance(plan.env);
    return stateOf(id, toInstall.length > 0 ? 'RUNNING' : 'SUCCEEDED');
  }

  /** Installs an add-on's application package (BAP); the next look sees its solution or waits on. */
  private async installPackage(environment: string, uniqueName: string): Promise<void> {
    const bap = this.options.endpoints.bap.replace(/\/+$/, '');
    await this.options.http.request({
      api: 'bap',
      method: 'POST',
      url: `${bap}/providers/Microsoft.BusinessAppPlatform/environments/${encodeURIComponent(environment)}/applicationPackages/${encodeURIComponent(uniqueName)}/install?api-version=${APPLICATION_PACKAGES_API_VERSION}`,
      idempotent: true,
      scope: scopeFor('bap', this.options.endpoints),
    });
  }

  private async lookBind(id: string, plan: Extract<OperationPlan, { k: 'bind' }>): Promise<OperationState> {
    if (plan.loc) {
      const outcome = await this.sites.poll(plan.loc);
      if (outcome.status === 'RUNNING') return stateOf(id, 'RUNNING');
      if (outcome.status === 'FAILED') return stateOf(id, 'FAILED', outcome.message ?? `The platform could not add ${plan.host} to the portal.`);
    }
    await this.sites.bind(plan.env, plan.site, plan.host, plan.thumb);
    return stateOf(id, 'SUCCEEDED');
  }

  /**
   * FREE, or TAKEN by a site portal-ops did not make for `owner`, from the sites of every environment
   * the signed-in administrator can see. Sites of other tenants are not visible: a subdomain one of
   * them holds shows FREE here and fails the create (SubdomainConflict), as a lost race does.
   */
  async subdomainAvailability(subdomain: string, owner?: string): Promise<SubdomainAvailability> {
    const wanted = subdomain.toLowerCase();
    const instances = await this.options.directory.listInstances();
    // An environment whose sites the administrator may not list is left out: its sites are not visible.
    const lists = await eachLimited(instances, 4, (instance) => this.sites.list(instance.id).catch((error) => (error instanceof MicrosoftApiError ? [] : Promise.reject(error))));
    const site = lists.flat().find((s) => s.subdomain?.toLowerCase() === wanted);
    if (!site) return 'FREE';
    return owner && site.websiteRecordId?.toLowerCase() === websiteRecordIdOf(owner) ? 'FREE' : 'TAKEN';
  }

  /** Whether an Operation-Location may be followed (the API's own host); otherwise the site is watched. */
  private followable(location: string): boolean {
    try {
      this.sites.sameHost(location);
      return true;
    } catch {
      return false;
    }
  }

  private async organizationId(environment: string): Promise<string | undefined> {
    return (await this.options.directory.environment(environment))?.organizationId;
  }
}

function sameValues(site: Website, wanted: { selectedBaseLanguage: number; templateName: string }): boolean {
  return (
    (site.selectedBaseLanguage === undefined || site.selectedBaseLanguage === wanted.selectedBaseLanguage) && (site.templateName === undefined || site.templateName === wanted.templateName)
  );
}

function failed(error: string): Answer {
  return { id: settled({ ok: false, error }, randomUUID()) };
}

/** Microsoft refused the token (expired, revoked, another tenant): provisioning waits for a login. */
function signInRefused(error: MicrosoftApiError): string {
  return `Microsoft refused the signed-in administrator's token (${error.message}). Run npm run platform -- login; provisioning goes on after it.`;
}

/** A refusal of the platform, in words an admin can act on. */
function refusal(error: MicrosoftApiError, spec: Pick<PortalSpec, 'instanceId' | 'subdomain'>): string {
  if (error.code === 'SubdomainConflict' || (error.status === 409 && /subdomain/i.test(error.message))) return MESSAGES.subdomainTaken(spec.subdomain);
  if (error.status === 403) return MESSAGES.noRole(spec.instanceId, error.message);
  return `The portal platform refused: ${error.message}`;
}

/** Runs `work` on each item, at most `limit` at once; answers in the items' order. */
async function eachLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
