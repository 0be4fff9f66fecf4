// The portal platform as the product sees it: the tenant's directory, its Dynamics 365 instances
// and the portal licenses bought. The local simulator implements it; a driver for the real admin
// API can implement it later. Every call returns a promise: the real platform is remote.
import type { LicenseType } from '../core/catalog.ts';

export const INSTANCE_ROLES = ['SYSTEM_ADMINISTRATOR', 'SYSTEM_CUSTOMIZER'] as const;
export type InstanceRole = (typeof INSTANCE_ROLES)[number];

export interface DirectoryUser {
  id: string;
  email: string;
  displayName: string;
  globalAdministrator: boolean;
}

export interface Instance {
  id: string;
  name: string;
  url: string;
  /** The instance's base (default) language; the portal package installs only in this one. */
  baseLanguage: string;
  /** Language codes installed in the instance, base language included. */
  languages: string[];
  /** Names of the solutions installed in the instance. */
  solutions: string[];
}

export interface RoleAssignment {
  instanceId: string;
  userId: string;
  role: InstanceRole;
}

export interface License {
  id: string;
  name: string;
  type: LicenseType;
  quantity: number;
}

export interface Platform {
  /** Directory users by id, in no particular order; unknown ids are left out. */
  getUsers(ids: readonly string[]): Promise<DirectoryUser[]>;
  findUserByEmail(email: string): Promise<DirectoryUser | undefined>;
  listInstances(): Promise<Instance[]>;
  /** Instances by id, in no particular order; unknown ids are left out. */
  getInstances(ids: readonly string[]): Promise<Instance[]>;
  /** Role assignments, narrowed by user and/or instance. */
  listRoles(filter: { userId?: string; instanceId?: string }): Promise<RoleAssignment[]>;
  listLicenses(): Promise<License[]>;
}
