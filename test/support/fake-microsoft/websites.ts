// The fake Power Pages websites API, api-version 2024-10-01, under /powerplatform-api/powerpages:
// create (202 + Operation-Location), list (skip and @odata.nextLink), get, delete, restart, custom
// domains, certificates (multipart .pfx + password, PascalCase answers) and SSL bindings. Operations
// step through their states one poll at a time; a site's package installs a few looks after it is
// created, and fails while the site's language is not its environment's base language (the seed's
// rule). Only a delegated token for https://api.powerplatform.com of a System Administrator of the
// environment is served. The seed's faults (a create that fails once or always, an install that fails
// once, status calls that fail) apply by subdomain; state.faults add HTTP-level ones.
import { createHash, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import { type FakeAnswer, type FakeContext, type FakeRequest, jsonError, type Route } from './protocol.ts';
import type { FakeEnvironment, FakeTenant } from './tenant.ts';

/** The token audience of the fake Power Platform API: its URL, as scopes.ts derives it. */
export const powerPlatformAudience = (ctx: FakeContext) => `${ctx.url}/powerplatform-api`;
export const API_VERSION = '2024-10-01';
const PREFIX = '/powerplatform-api/powerpages/environments/(?<env>[^/]+)';

/** What each template installs, by the names the simulator gives the portal solutions. */
export const TEMPLATE_SOLUTIONS: Record<string, string> = {
  CustomerSelfServicePortal: 'Customer Self-Service Portal',
  PartnerPortal: 'Partner Portal',
  EmployeeSelfServicePortal: 'Employee Self-Service Portal',
  Community: 'Community Portal',
  DefaultPortalTemplate: 'Custom Portal',
};

export interface FakeWebsite {
  id: string;
  name: string;
  subdomain: string;
  environment: string;
  dataverseOrganizationId: string;
  selectedBaseLanguage: number;
  templateName: string;
  websiteRecordId: string;
  type: 'Production' | 'Trial';
  status: 'OperationNotStarted' | 'OperationInProgress' | 'OperationComplete' | 'OperationFailed';
  packageInstallStatus: 'None' | 'InstallRequested' | 'InstallScheduled' | 'Installing' | 'Installed' | 'InstallRetrying' | 'InstallFailed';
  /** Looks left before the package install ends. */
  installLooks: number;
  /** Package installs run on this site (creation's and each restart of a failed one). */
  installs: number;
  createdOn: string;
  customHostNames: string[];
  certificates: Array<{ Thumbprint: string; Subject: string; ExpirationDate: string; sha256: string }>;
  sslBindings: Array<{ HostName: string; Thumbprint: string }>;
}

export interface FakeOperation {
  id: string;
  environment: string;
  kind: 'create' | 'delete' | 'restart' | 'customDomain';
  websiteId: string;
  polls: number;
  /** Decided when it starts; shown once its polls are done. */
  outcome: 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
}

/** The websites API's own state, beside the tenant's. */
export interface WebsitesState {
  websites: FakeWebsite[];
  operations: Map<string, FakeOperation>;
  /** Creates asked for, by subdomain (what the simulator counts as CREATE_RESOURCES). */
  creates: Map<string, number>;
  pageSize: number;
  /** Polls an operation answers Running before it ends. */
  pollsPerOperation: number;
  /** New sites are created with this type. */
  newSiteType: 'Production' | 'Trial';
  faultUses: Map<number, number>;
}

const states = new WeakMap<FakeContext['state'], WebsitesState>();

export function websitesState(state: FakeContext['state']): WebsitesState {
  let found = states.get(state);
  if (!found) {
    found = { websites: [], operations: new Map(), creates: new Map(), pageSize: 2, pollsPerOperation: 2, newSiteType: 'Production', faultUses: new Map() };
    states.set(state, found);
  }
  return found;
}

export function websitesRoutes(ctx: FakeContext): Route[] {
  const api = new WebsitesApi(ctx);
  const route = (method: string, path: string, handle: (req: FakeRequest, env: FakeEnvironment) => FakeAnswer | Promise<FakeAnswer>): Route => ({
    method,
    path: new RegExp(`^${PREFIX}${path}$`),
    handle: (req) => api.guard(req, handle),
  });
  return [
    route('GET', '/websites', (req, env) => api.list(req, env)),
    route('POST', '/websites', (req, env) => api.create(req, env)),
    route('GET', '/websites/(?<id>[^/]+)', (req, env) => api.get(req, env)),
    route('DELETE', '/websites/(?<id>[^/]+)', (req, env) => api.remove(req, env)),
    route('POST', '/websites/(?<id>[^/]+)/restart', (req, env) => api.restart(req, env)),
    route('POST', '/websites/(?<id>[^/]+)/customDomain', (req, env) => api.addCustomDomain(req, env)),
    route('DELETE', '/websites/(?<id>[^/]+)/customDomain', (req, env) => api.removeCustomDomain(req, env)),
    route('POST', '/websites/(?<id>[^/]+)/certificates', (req, env) => api.uploadCertificate(req, env)),
    route('POST', '/websites/(?<id>[^/]+)/sslBindings', (req, env) => api.bind(req, env)),
    route('DELETE', '/websites/(?<id>[^/]+)/sslBindings', (req, env) => api.unbind(req, env)),
    route('GET', '/operations/(?<op>[^/]+)', (req, env) => api.operation(req, env)),
  ];
}

class WebsitesApi {
  private readonly tenant: FakeTenant;
  private readonly state: WebsitesState;

  constructor(private readonly ctx: FakeContext) {
    this.tenant = ctx.state.tenant;
    this.state = websitesState(ctx.state);
  }

  /** Token, api-version, environment and role, as every call of the real API checks them. */
  guard(req: FakeRequest, handle: (req: FakeRequest, env: FakeEnvironment) => FakeAnswer | Promise<FakeAnswer>): FakeAnswer | Promise<FakeAnswer> {
    const token = this.ctx.authorize(req, powerPlatformAudience(this.ctx), { delegatedOnly: true });
    const needed = req.method === 'GET' ? ['PowerPages.Websites.Read', 'PowerPages.Websites.Write'] : ['PowerPages.Websites.Write'];
    if (!token.scopes.some((s) => needed.includes(s))) return jsonError(403, 'Forbidden', `The token lacks the delegated permission ${needed.at(-1)}.`);
    if (req.url.searchParams.get('api-version') !== API_VERSION)
      return jsonError(400, 'MissingApiVersionParameter', `The api-version query parameter is required; supported: ${API_VERSION}.`);
    const env = this.tenant.environments.find((e) => e.name === req.params.env);
    if (!env) return jsonError(404, 'EnvironmentNotFound', `The environment ${req.params.env} was not found.`);
    const admin = this.tenant.roles.some((r) => r.environment === env.name && r.userId === token.userId && r.role === 'System Administrator');
    if (!admin) return jsonError(403, 'Forbidden', `The user does not have the System Administrator role in the environment ${env.displayName}.`);
    return handle(req, env);
  }

  list(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const skip = Number(req.url.searchParams.get('skip') ?? '0');
    if (!Number.isInteger(skip) || skip < 0) return jsonError(400, 'InvalidSkip', 'skip must be a whole number of 0 or more.');
    for (const site of this.state.websites.filter((w) => w.environment === env.name)) this.stepCreate(site, env);
    const all = this.state.websites.filter((w) => w.environment === env.name);
    const page = all.slice(skip, skip + this.state.pageSize).map((w) => this.dto(w));
    const next = skip + this.state.pageSize < all.length ? new URL(req.url.pathname, this.ctx.url) : undefined;
    next?.searchParams.set('api-version', API_VERSION);
    next?.searchParams.set('skip', String(skip + this.state.pageSize));
    return { status: 200, json: { value: page, ...(next ? { '@odata.nextLink': next.toString() } : {}) } };
  }

  create(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const body = parseJson(req.body) as Record<string, unknown> | undefined;
    const problem = createProblem(body, env);
    if (problem) return jsonError(400, 'InvalidRequest', problem);
    const input = body as { name: string; subdomain: string; selectedBaseLanguage: number; templateName: string; websiteRecordId?: string; dataverseOrganizationId: string };
    const subdomain = input.subdomain.toLowerCase();
    if (this.tenant.takenSubdomains.has(subdomain) || this.state.websites.some((w) => w.subdomain === subdomain))
      return jsonError(400, 'SubdomainConflict', `The subdomain ${subdomain} is already in use. Choose another subdomain.`);
    this.state.creates.set(subdomain, (this.state.creates.get(subdomain) ?? 0) + 1);
    const site: FakeWebsite = {
      id: randomUUID(),
      name: input.name,
      subdomain,
      environment: env.name,
      dataverseOrganizationId: input.dataverseOrganizationId,
      selectedBaseLanguage: input.selectedBaseLanguage,
      templateName: input.templateName,
      websiteRecordId: input.websiteRecordId ?? randomUUID(),
      type: this.state.newSiteType,
      status: 'OperationInProgress',
      packageInstallStatus: 'None',
      installLooks: 0,
      installs: 0,
      createdOn: new Date().toISOString(),
      customHostNames: [],
      certificates: [],
      sslBindings: [],
    };
    this.state.websites.push(site);
    const failure = this.seedFault(subdomain, 'CREATE_RESOURCES');
    return this.accepted(env, site, 'create', failure ? { code: 'WebsiteCreationFailed', message: failure } : undefined);
  }

  get(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    if (this.unavailable(site)) return jsonError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.', { 'retry-after': '120' });
    this.stepCreate(site, env);
    this.advanceInstall(site, env);
    return { status: 200, json: this.dto(site) };
  }

  remove(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    return this.accepted(env, site, 'delete');
  }

  /** Restarts the site; a package install that failed runs again (InstallRetrying). */
  restart(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    if (site.packageInstallStatus === 'InstallFailed') this.beginInstall(site, 'InstallRetrying');
    return this.accepted(env, site, 'restart');
  }

  addCustomDomain(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    const host = (req.url.searchParams.get('customDomain') ?? '').toLowerCase();
    if (!host) return jsonError(400, 'InvalidRequest', 'customDomain is required.');
    if (site.type !== 'Production') return jsonError(400, 'TrialWebsiteNotSupported', 'Custom domains can be added only to production websites.');
    if (site.customHostNames.includes(host)) return this.accepted(env, site, 'customDomain');
    if (site.customHostNames.length > 0) return jsonError(409, 'CustomDomainLimitReached', `The website already has the custom domain ${site.customHostNames[0]}; only one is allowed.`);
    if (this.state.websites.some((w) => w.customHostNames.includes(host))) return jsonError(409, 'CustomDomainInUse', `${host} is in use by another website.`);
    site.customHostNames.push(host);
    return this.accepted(env, site, 'customDomain');
  }

  removeCustomDomain(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    const host = (req.url.searchParams.get('customDomain') ?? '').toLowerCase();
    site.customHostNames = site.customHostNames.filter((h) => h !== host);
    site.sslBindings = site.sslBindings.filter((b) => b.HostName !== host);
    return { status: 204 };
  }

  async uploadCertificate(req: FakeRequest, env: FakeEnvironment): Promise<FakeAnswer> {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    if (req.url.searchParams.get('certType') !== 'SSL') return jsonError(400, 'InvalidRequest', 'certType must be SSL.');
    const form = await readForm(req);
    const file = form?.get('certificate');
    const password = form?.get('password');
    if (!(file instanceof Blob) || typeof password !== 'string') return jsonError(400, 'InvalidRequest', 'Send multipart/form-data with the .pfx as "certificate" and its "password".');
    const read = readPfx(Buffer.from(await file.arrayBuffer()), password);
    if (!read) return jsonError(400, 'InvalidCertificate', 'The certificate could not be read with this password.');
    if (!site.certificates.some((c) => c.Thumbprint === read.Thumbprint)) site.certificates.push(read);
    const { sha256: _sha256, ...answer } = read;
    return { status: 200, json: { ...answer, CertificateType: 'SSL' } };
  }

  bind(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    const thumbprint = (req.url.searchParams.get('thumbprint') ?? '').toUpperCase();
    const host = (req.url.searchParams.get('hostName') ?? '').toLowerCase();
    if (!site.customHostNames.includes(host)) return jsonError(400, 'HostNameNotFound', `${host} is not a custom domain of this website.`);
    if (!site.certificates.some((c) => c.Thumbprint === thumbprint)) return jsonError(400, 'CertificateNotFound', `No certificate with thumbprint ${thumbprint} is uploaded.`);
    site.sslBindings = [...site.sslBindings.filter((b) => b.HostName !== host), { HostName: host, Thumbprint: thumbprint }];
    return { status: 200, json: { HostName: host, Thumbprint: thumbprint, SslState: 'SniEnabled' } };
  }

  unbind(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const site = this.site(env, req.params.id);
    if (!site) return notFound(req.params.id);
    const host = (req.url.searchParams.get('hostName') ?? '').toLowerCase();
    site.sslBindings = site.sslBindings.filter((b) => b.HostName !== host);
    return { status: 204 };
  }

  /** The undocumented poll body: `status` (and `operationStatus`), stepping one state per poll. */
  operation(req: FakeRequest, env: FakeEnvironment): FakeAnswer {
    const op = this.state.operations.get(req.params.op ?? '');
    if (!op || op.environment !== env.name) return jsonError(404, 'OperationNotFound', `No operation ${req.params.op}.`);
    const site = this.state.websites.find((w) => w.id === op.websiteId);
    if (site && this.unavailable(site)) return jsonError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.', { 'retry-after': '120' });
    op.polls -= 1;
    if (op.polls > 0) return { status: 200, json: { operationId: op.id, status: op.polls > 1 ? 'NotStarted' : 'Running' } };
    if (op.polls === 0) this.finish(op, env);
    return { status: 200, json: { operationId: op.id, status: op.outcome, ...(op.error ? { error: op.error } : {}) } };
  }

  /** The platform works whether or not anyone polls an operation: a look at the site moves its create or delete on too. */
  private stepCreate(site: FakeWebsite, env: FakeEnvironment): void {
    for (const op of [...this.state.operations.values()].filter((o) => (o.kind === 'create' || o.kind === 'delete') && o.websiteId === site.id && o.polls > 0)) {
      op.polls -= 1;
      if (op.polls === 0) this.finish(op, env);
    }
  }

  private finish(op: FakeOperation, env: FakeEnvironment): void {
    const site = this.state.websites.find((w) => w.id === op.websiteId);
    if (!site) return;
    if (op.kind === 'delete') this.state.websites = this.state.websites.filter((w) => w !== site);
    if (op.kind !== 'create') return;
    if (op.outcome === 'Failed') {
      this.state.websites = this.state.websites.filter((w) => w !== site);
      return;
    }
    site.status = 'OperationComplete';
    this.beginInstall(site, 'InstallRequested');
    void env;
  }

  private beginInstall(site: FakeWebsite, status: FakeWebsite['packageInstallStatus']): void {
    site.packageInstallStatus = status;
    site.installLooks = 2;
    site.installs += 1;
  }

  /** One look at a site moves its package install on; at the end the seed's rules decide. */
  private advanceInstall(site: FakeWebsite, env: FakeEnvironment): void {
    if (!['InstallRequested', 'InstallRetrying', 'InstallScheduled', 'Installing'].includes(site.packageInstallStatus)) return;
    site.installLooks -= 1;
    if (site.installLooks > 0) {
      site.packageInstallStatus = 'Installing';
      return;
    }
    const fails = env.baseLanguage !== site.selectedBaseLanguage || this.seedFault(site.subdomain, 'INSTALL_PACKAGE') !== undefined;
    site.packageInstallStatus = fails ? 'InstallFailed' : 'Installed';
    const solution = TEMPLATE_SOLUTIONS[site.templateName];
    if (!fails && solution && !env.solutions.includes(solution)) env.solutions.push(solution);
  }

  private accepted(env: FakeEnvironment, site: FakeWebsite, kind: FakeOperation['kind'], error?: FakeOperation['error']): FakeAnswer {
    const op: FakeOperation = {
      id: randomUUID(),
      environment: env.name,
      kind,
      websiteId: site.id,
      polls: this.state.pollsPerOperation + 1,
      outcome: error ? 'Failed' : 'Succeeded',
      ...(error ? { error } : {}),
    };
    this.state.operations.set(op.id, op);
    // Like the real API, the Operation-Location carries no api-version: a poller must add it.
    const location = `${this.ctx.url}/powerplatform-api/powerpages/environments/${env.name}/operations/${op.id}`;
    return { status: 202, headers: { 'operation-location': location } };
  }

  /** The error of a seed fault of this subdomain and step, using it up, or undefined. */
  private seedFault(subdomain: string, operation: 'CREATE_RESOURCES' | 'INSTALL_PACKAGE'): string | undefined {
    const index = this.tenant.faults.findIndex((f) => f.subdomain === subdomain && f.operation === operation);
    const fault = this.tenant.faults[index];
    if (!fault) return undefined;
    const used = this.state.faultUses.get(index) ?? 0;
    if (fault.mode === 'ONCE' && used >= fault.times) return undefined;
    this.state.faultUses.set(index, used + 1);
    const step = operation === 'CREATE_RESOURCES' ? 'create the portal URL' : 'install the portal package';
    return fault.error ?? `The platform failed to ${step}.`;
  }

  /** A seeded outage of the site's status calls, used up one call at a time. */
  private unavailable(site: FakeWebsite): boolean {
    const index = this.tenant.faults.findIndex((f) => f.subdomain === site.subdomain && f.mode === 'UNAVAILABLE');
    const fault = this.tenant.faults[index];
    if (!fault) return false;
    const used = this.state.faultUses.get(index) ?? 0;
    if (used >= fault.times) return false;
    this.state.faultUses.set(index, used + 1);
    return true;
  }

  private site(env: FakeEnvironment, id: string | undefined): FakeWebsite | undefined {
    return this.state.websites.find((w) => w.environment === env.name && w.id === id);
  }

  /** The website as the API shows it (camelCase). */
  private dto(site: FakeWebsite) {
    return {
      id: site.id,
      name: site.name,
      createdOn: site.createdOn,
      templateName: site.templateName,
      websiteUrl: `https://${site.subdomain}.powerappsportals.com`,
      tenantId: this.tenant.tenantId,
      dataverseInstanceUrl: this.tenant.environments.find((e) => e.name === site.environment)?.instanceUrl,
      environmentName: site.environment,
      environmentId: site.environment,
      dataverseOrganizationId: site.dataverseOrganizationId,
      selectedBaseLanguage: site.selectedBaseLanguage,
      customHostNames: [...site.customHostNames],
      websiteRecordId: site.websiteRecordId,
      subdomain: site.subdomain,
      packageInstallStatus: site.packageInstallStatus,
      type: site.type,
      trialExpiringInDays: site.type === 'Trial' ? 30 : null,
      status: site.status,
      siteVisibility: 'Private',
    };
  }
}

function createProblem(body: Record<string, unknown> | undefined, env: FakeEnvironment): string | undefined {
  if (!body || typeof body !== 'object') return 'The request body must be a JSON object.';
  for (const field of ['dataverseOrganizationId', 'name', 'subdomain', 'templateName'])
    if (typeof body[field] !== 'string' || (body[field] as string).length === 0) return `${field} is required.`;
  if (!Number.isInteger(body.selectedBaseLanguage)) return 'selectedBaseLanguage must be a language id (LCID).';
  if (!env.languages.includes(body.selectedBaseLanguage as number)) return `The language ${body.selectedBaseLanguage} is not provisioned in the environment.`;
  if (body.dataverseOrganizationId !== env.organizationId) return 'dataverseOrganizationId is not the organization of this environment.';
  if (!((body.templateName as string) in TEMPLATE_SOLUTIONS)) return `Unknown templateName ${body.templateName}.`;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(body.subdomain as string)) return 'The subdomain is not valid.';
  return undefined;
}

function notFound(id: string | undefined): FakeAnswer {
  return jsonError(404, 'WebsiteNotFound', `No website ${id} in this environment.`);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function readForm(req: FakeRequest): Promise<FormData | undefined> {
  try {
    return await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: new Uint8Array(req.body) }).formData();
  } catch {
    return undefined;
  }
}

/** The leaf certificate of a .pfx, as the certificates API answers it, or undefined when unreadable. */
function readPfx(pfx: Buffer, password: string): FakeWebsite['certificates'][number] | undefined {
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString('binary')), password);
    const bagType = forge.pki.oids.certBag as string;
    const cert = p12.getBags({ bagType })[bagType]?.[0]?.cert;
    if (!cert) return undefined;
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    return {
      Thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
      Subject: `CN=${cert.subject.getField('CN')?.value ?? ''}`,
      ExpirationDate: cert.validity.notAfter.toISOString(),
      sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    };
  } catch {
    return undefined;
  }
}
