// The token scope of each Microsoft API the driver calls, and the delegated permissions the product
// needs in each, in one place. Every scope is the resource's `.default`: a token carries the
// permissions consented to the app registration, which `doctor` reads back from the token and names
// when one is missing.

export type ScopedApi = 'powerplatform' | 'bap' | 'graph' | 'dataverse';

export interface MicrosoftEndpoints {
  authorityHost: string;
  powerPlatform: string;
  bap: string;
  graph: string;
}

/**
 * The resource (token audience) behind an API's URL. Most are the URL itself; the admin API (BAP)
 * of the public cloud is served from api.bap.microsoft.com but accepts tokens of the PowerApps
 * Service, https://service.powerapps.com.
 */
function resourceOf(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return new URL(trimmed).host === 'api.bap.microsoft.com' ? 'https://service.powerapps.com' : trimmed;
}

/** The scope for a call to `api`; Dataverse needs the environment's instance URL. */
export function scopeFor(api: ScopedApi, endpoints: MicrosoftEndpoints, instanceUrl?: string): string {
  if (api === 'dataverse') {
    if (!instanceUrl) throw new Error('A Dataverse scope needs the environment instance URL.');
    return `${resourceOf(instanceUrl)}/.default`;
  }
  const url = api === 'powerplatform' ? endpoints.powerPlatform : api === 'bap' ? endpoints.bap : endpoints.graph;
  return `${resourceOf(url)}/.default`;
}

/** The scope the device-code sign-in asks for first (consent covers every API of the registration). */
export function signInScope(endpoints: MicrosoftEndpoints): string {
  return scopeFor('powerplatform', endpoints);
}

export interface RequiredPermission {
  api: ScopedApi;
  /** The API as the Entra admin center's "Request API permissions" pane names it. */
  apiName: string;
  /** The delegated permission to add; any of `satisfiedBy` in the token also does. */
  permission: string;
  satisfiedBy: readonly string[];
  /** What the product does with it. */
  why: string;
}

/** The delegated permissions the app registration needs, each checked by `doctor`. */
export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  {
    api: 'powerplatform',
    apiName: 'Power Platform API',
    permission: 'PowerPages.Websites.Read',
    satisfiedBy: ['PowerPages.Websites.Read', 'PowerPages.Websites.Write'],
    why: 'list Power Pages sites and follow their creation',
  },
  {
    api: 'powerplatform',
    apiName: 'Power Platform API',
    permission: 'PowerPages.Websites.Write',
    satisfiedBy: ['PowerPages.Websites.Write'],
    why: 'create, restart and delete sites, bind domains',
  },
  { api: 'bap', apiName: 'PowerApps Service', permission: 'User', satisfiedBy: ['User'], why: 'list the environments' },
  {
    api: 'graph',
    apiName: 'Microsoft Graph',
    permission: 'User.Read.All',
    satisfiedBy: ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
    why: 'read users by id and by email',
  },
  {
    api: 'graph',
    apiName: 'Microsoft Graph',
    permission: 'RoleManagement.Read.Directory',
    satisfiedBy: ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory'],
    why: 'tell Global Administrators',
  },
  {
    api: 'dataverse',
    apiName: 'Dynamics CRM',
    permission: 'user_impersonation',
    satisfiedBy: ['user_impersonation'],
    why: 'read security roles, languages and solutions of each environment',
  },
];

/** The Global Administrator directory role (its template id, the same in every tenant). */
export const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';
