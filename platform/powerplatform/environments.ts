// Environments (the product's instances) from the admin API (BAP), and what Dataverse says of each:
// the languages provisioned, the base language, the solutions the product looks for, and who holds
// System Administrator or System Customizer. Every read is kept briefly; Dataverse's 429 and its
// Retry-After are the http client's to honour.
import type { Logger } from 'pino';
import { LANGUAGES } from '../../vocabulary/languages.ts';
import type { Instance, InstanceRole } from '../platform.ts';
import { BriefCache } from './brief-cache.ts';
import { odataString } from './graph-directory.ts';
import { MicrosoftApiError, type MicrosoftHttp } from './http.ts';
import { type MicrosoftEndpoints, scopeFor } from './scopes.ts';
import { SOLUTION_UNIQUE_NAMES, solutionNamesOf } from './solutions.ts';

export const BAP_API_VERSION = '2023-06-01';
const DATAVERSE_API = '/api/data/v9.2';

/** An environment with a Dataverse, as the driver needs it to create sites in it. */
export interface Environment {
  /** The environment's name (BAP), the product's instance id. */
  id: string;
  displayName: string;
  /** Without a trailing slash. */
  instanceUrl: string;
  /** The Dataverse organization id (linkedEnvironmentMetadata.resourceId). */
  organizationId: string;
  baseLanguageLcid: number;
}

export const ROLE_NAMES: Record<InstanceRole, string> = { SYSTEM_ADMINISTRATOR: 'System Administrator', SYSTEM_CUSTOMIZER: 'System Customizer' };

interface BapEnvironment {
  name: string;
  properties: { displayName?: string; linkedEnvironmentMetadata?: { instanceUrl?: string; resourceId?: string; baseLanguage?: number } };
}

interface SystemUser {
  azureactivedirectoryobjectid: string | null;
  systemuserroles_association?: Array<{ name: string }>;
}

/** The language code of an LCID, or the LCID itself when the product does not know it. */
export function languageOfLcid(lcid: number): string {
  return LANGUAGES.find((l) => l.lcid === lcid)?.code ?? String(lcid);
}

export class Environments {
  private readonly list: BriefCache<'all', Environment[]>;
  private readonly details: BriefCache<string, Instance>;
  private readonly holders: BriefCache<string, Array<{ userId: string; roles: InstanceRole[] }>>;
  /** Environments whose Dataverse refused the signed-in admin lately: not asked again until the cache time passes. */
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly http: MicrosoftHttp,
    private readonly endpoints: MicrosoftEndpoints,
    private readonly cacheMs: number,
    private readonly log?: Logger,
  ) {
    this.list = new BriefCache(cacheMs);
    this.details = new BriefCache(cacheMs);
    this.holders = new BriefCache(cacheMs);
  }

  /** Environments that have a Dataverse (the others cannot hold a site), by display name. */
  environments(): Promise<Environment[]> {
    return this.list.get('all', async () => {
      const found: Environment[] = [];
      let url: string | undefined = `${this.endpoints.bap}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=${BAP_API_VERSION}`;
      while (url) {
        type Page = { value: BapEnvironment[]; nextLink?: string; '@odata.nextLink'?: string };
        const page: Page = (await this.http.request<Page>({ api: 'bap', method: 'GET', url, idempotent: true, scope: scopeFor('bap', this.endpoints) })).body;
        for (const env of page.value) {
          const linked = env.properties.linkedEnvironmentMetadata;
          if (!linked?.instanceUrl || !linked.resourceId) continue;
          const instanceUrl = linked.instanceUrl.replace(/\/+$/, '');
          found.push({ id: env.name, displayName: env.properties.displayName ?? env.name, instanceUrl, organizationId: linked.resourceId, baseLanguageLcid: linked.baseLanguage ?? 1033 });
        }
        url = page.nextLink ?? page['@odata.nextLink'];
      }
      return found.sort((a, b) => a.displayName.localeCompare(b.displayName));
    });
  }

  async environment(id: string): Promise<Environment | undefined> {
    return (await this.environments()).find((e) => e.id === id);
  }

  /** Forgets what is kept of an instance (its languages and solutions change when a package installs). */
  forgetInstance(id: string): void {
    this.details.forget(id);
  }

  /** The instance as the product sees it: languages, base language and solutions from its Dataverse. */
  instance(env: Environment): Promise<Instance> {
    return this.details.get(env.id, async () => {
      const [languages, organizations, solutions] = await Promise.all([
        this.dataverse<{ RetrieveProvisionedLanguages: number[] }>(env, '/RetrieveProvisionedLanguages()'),
        this.dataverse<{ value: Array<{ languagecode: number }> }>(env, '/organizations?$select=languagecode'),
        this.dataverse<{ value: Array<{ uniquename: string }> }>(env, `/solutions?$select=uniquename,friendlyname,version&$filter=${encodeURIComponent(solutionFilter())}`),
      ]);
      const base = organizations.value[0]?.languagecode ?? env.baseLanguageLcid;
      const codes = languages.RetrieveProvisionedLanguages.map(languageOfLcid);
      return {
        id: env.id,
        name: env.displayName,
        url: env.instanceUrl,
        baseLanguage: languageOfLcid(base),
        languages: codes.includes(languageOfLcid(base)) ? codes : [languageOfLcid(base), ...codes],
        solutions: solutionNamesOf(solutions.value.map((s) => s.uniquename)),
      };
    });
  }

  /** The instances whose Dataverse answers; one that refuses (the admin is not a user there) is left out and logged. */
  async instances(envs: readonly Environment[]): Promise<Instance[]> {
    return this.answering(envs, (env) => this.instance(env));
  }

  /** `read` of each environment whose Dataverse answers; a refusal (4xx) leaves it out for the cache time. */
  async answering<T>(envs: readonly Environment[], read: (env: Environment) => Promise<T>): Promise<T[]> {
    const now = Date.now();
    const asked = envs.filter((env) => now - (this.refusedAt.get(env.id) ?? -Infinity) >= this.cacheMs);
    const settled = await Promise.allSettled(asked.map(read));
    const answers: T[] = [];
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') answers.push(result.value);
      else if (!(result.reason instanceof MicrosoftApiError)) throw result.reason;
      else this.refused(asked[index] as Environment, result.reason);
    });
    return answers;
  }

  private refused(env: Environment, error: MicrosoftApiError): void {
    this.refusedAt.set(env.id, Date.now());
    this.log?.warn(
      { environment: env.id, status: error.status, code: error.code, reason: error.message },
      'An environment is left out: its Dataverse refused the signed-in administrator (run npm run platform -- doctor)',
    );
  }

  /** Who holds System Administrator or System Customizer in an environment. */
  roleHolders(env: Environment): Promise<Array<{ userId: string; roles: InstanceRole[] }>> {
    return this.holders.get(env.id, async () => {
      const names = Object.values(ROLE_NAMES)
        .map((n) => `r/name eq ${odataString(n)}`)
        .join(' or ');
      let path: string | undefined =
        `/systemusers?$select=azureactivedirectoryobjectid,fullname&$expand=${encodeURIComponent('systemuserroles_association($select=name)')}&$filter=${encodeURIComponent(`isdisabled eq false and systemuserroles_association/any(r:${names})`)}`;
      const holders: Array<{ userId: string; roles: InstanceRole[] }> = [];
      while (path) {
        const page: { value: SystemUser[]; '@odata.nextLink'?: string } = await this.dataverse(env, path);
        for (const user of page.value) {
          const roles = (Object.keys(ROLE_NAMES) as InstanceRole[]).filter((role) => user.systemuserroles_association?.some((r) => r.name === ROLE_NAMES[role]));
          if (user.azureactivedirectoryobjectid && roles.length > 0) holders.push({ userId: user.azureactivedirectoryobjectid, roles });
        }
        const next = page['@odata.nextLink'];
        path = next ? next.slice(`${env.instanceUrl}${DATAVERSE_API}`.length) : undefined;
      }
      return holders;
    });
  }

  private async dataverse<T>(env: Environment, path: string): Promise<T> {
    const response = await this.http.request<T>({
      api: 'dataverse',
      method: 'GET',
      url: `${env.instanceUrl}${DATAVERSE_API}${path}`,
      headers: { 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' },
      idempotent: true,
      scope: scopeFor('dataverse', this.endpoints, env.instanceUrl),
    });
    return response.body;
  }
}

/** uniquename eq 'FieldService' or …, for every solution the product looks for. */
function solutionFilter(): string {
  return Object.values(SOLUTION_UNIQUE_NAMES)
    .flat()
    .map((name) => `uniquename eq ${odataString(name)}`)
    .join(' or ');
}
