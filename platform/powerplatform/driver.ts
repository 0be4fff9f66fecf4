// The Power Platform driver: portals as Power Pages sites. The directory half (users, environments,
// roles, licenses) is directory.ts's; this file starts and follows the long-running operations.
import type { OperationKind, OperationRequest, OperationState, Platform, PortalSpec, StartAnswer, SubdomainAvailability } from '../platform.ts';
import type { MicrosoftHttp } from './http.ts';

/** What the driver needs of the directory half, besides the Platform reads it passes through. */
export type DirectoryHalf = Omit<Platform, 'startOperation' | 'startOperations' | 'getOperations' | 'subdomainAvailability'>;

export interface PowerPlatformOptions {
  http: MicrosoftHttp;
  directory: DirectoryHalf;
  /** https://api.powerplatform.com (POWERPLATFORM_API_URL) */
  apiUrl: string;
  /** powerappsportals.com (PORTAL_DOMAIN) */
  portalDomain: string;
}

export class PowerPlatform implements Platform {
  constructor(private readonly options: PowerPlatformOptions) {}

  getUsers: Platform['getUsers'] = (ids) => this.options.directory.getUsers(ids);
  findUserByEmail: Platform['findUserByEmail'] = (email) => this.options.directory.findUserByEmail(email);
  listInstances: Platform['listInstances'] = () => this.options.directory.listInstances();
  getInstances: Platform['getInstances'] = (ids) => this.options.directory.getInstances(ids);
  listRoles: Platform['listRoles'] = (filter) => this.options.directory.listRoles(filter);
  listRoleHolders: Platform['listRoleHolders'] = (ids, role) => this.options.directory.listRoleHolders(ids, role);
  listLicenses: Platform['listLicenses'] = () => this.options.directory.listLicenses();

  async startOperation(_kind: OperationKind, _key: string, _spec: PortalSpec): Promise<{ id: string }> {
    throw new Error('not yet');
  }

  async startOperations(_requests: readonly OperationRequest[], _options: { concurrency: number }): Promise<StartAnswer[]> {
    throw new Error('not yet');
  }

  async getOperations(_ids: readonly string[]): Promise<OperationState[]> {
    throw new Error('not yet');
  }

  async subdomainAvailability(_subdomain: string, _owner?: string): Promise<SubdomainAvailability> {
    return 'UNKNOWN';
  }
}
