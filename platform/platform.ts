// The portal platform as the product sees it: the tenant's directory, its Dynamics 365 instances
// and the portal licenses bought. The local simulator implements it; a driver for the real admin
// API can implement it later. Every call returns a promise: the real platform is remote.
import type { LicenseType } from '../vocabulary/catalog.ts';
import type { InstanceRole } from '../vocabulary/roles.ts';

// Drivers name the roles through the interface they implement.
export { INSTANCE_ROLES, type InstanceRole } from '../vocabulary/roles.ts';

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

export interface RoleHolder {
  instanceId: string;
  user: DirectoryUser;
}

export interface License {
  id: string;
  name: string;
  type: LicenseType;
  quantity: number;
}

export interface Platform extends ProvisioningPlatform {
  /** Directory users by id, in no particular order; unknown ids are left out. */
  getUsers(ids: readonly string[]): Promise<DirectoryUser[]>;
  findUserByEmail(email: string): Promise<DirectoryUser | undefined>;
  listInstances(): Promise<Instance[]>;
  /** Instances by id, in no particular order; unknown ids are left out. */
  getInstances(ids: readonly string[]): Promise<Instance[]>;
  /** Role assignments, narrowed by user and/or instance. */
  listRoles(filter: { userId?: string; instanceId?: string }): Promise<RoleAssignment[]>;
  /**
   * The users who hold `role` in any of these instances, each with the instance: one call where
   * roles and then their users would be two in a row.
   */
  listRoleHolders(instanceIds: readonly string[], role: InstanceRole): Promise<RoleHolder[]>;
  listLicenses(): Promise<License[]>;
  /**
   * Whether a portal URL's subdomain is free on the platform, as far as it can tell: TAKEN by a site
   * that `owner` (the portal asking, as `portal:<id>`) did not create, FREE, or UNKNOWN when the
   * platform cannot tell now. A real platform can tell from its own list of sites and from DNS of
   * `<subdomain>.<portal domain>`. A FREE answer can still lose a race: provisioning fails then.
   */
  subdomainAvailability(subdomain: string, owner?: string): Promise<SubdomainAvailability>;
}

export type SubdomainAvailability = 'FREE' | 'TAKEN' | 'UNKNOWN';

/** The owner of an operation key, as subdomainAvailability takes it: the portal that asks. */
export function portalOwner(portalId: number): string {
  return `portal:${portalId}`;
}

export const OPERATION_KINDS = ['CREATE_RESOURCES', 'INSTALL_PACKAGE', 'BIND_SSL', 'UNBIND_SSL'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** What the platform needs to build a portal. */
export interface PortalSpec {
  /** The portal's name, for a platform that names what it creates. */
  name?: string;
  subdomain: string;
  instanceId: string;
  language: string;
  portalType: string;
  addOns: readonly string[];
  /** The license the portal takes; only a production portal can have a custom domain. */
  licenseType?: LicenseType;
  /** For BIND_SSL and UNBIND_SSL: the custom host name; for BIND_SSL the certificate bound to it. */
  hostname?: string;
  certificateThumbprint?: string;
  /**
   * For BIND_SSL on a platform that takes the certificate itself (Power Pages uploads a .pfx): the
   * certificate and its key as PKCS#12, under a password made for this upload. The simulator ignores it.
   */
  certificate?: BindingCertificate;
}

export interface BindingCertificate {
  pfx: Uint8Array;
  password: string;
  /** SHA-1 of the certificate (hex, upper case), the thumbprint Microsoft's APIs name it by. */
  thumbprintSha1: string;
}

export interface OperationState {
  id: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** Why it failed, in words an admin can act on. */
  error?: string | undefined;
}

export interface OperationRequest {
  kind: OperationKind;
  /** Idempotency key: the same key gives back the operation already started. */
  key: string;
  spec: PortalSpec;
}

export type StartAnswer = { id: string } | { error: string };

/** The platform could not be reached or answered with an error; the call may be retried later. */
export class PlatformUnavailableError extends Error {
  override name = 'PlatformUnavailableError';
}

export interface ProvisioningPlatform {
  /**
   * Starts a long-running operation. The key makes it idempotent: calling again with the same key
   * returns the operation already started instead of starting another.
   */
  startOperation(kind: OperationKind, key: string, spec: PortalSpec): Promise<{ id: string }>;
  /**
   * Starts several operations, each as `startOperation` would; answer i is for request i. A request
   * the platform could not take answers `{ error }` (retry it later with the same key); the promise
   * rejects only when the platform cannot be reached at all. A driver for a remote API makes one call
   * per request, at most `concurrency` at once.
   */
  startOperations(requests: readonly OperationRequest[], options: { concurrency: number }): Promise<StartAnswer[]>;
  /** The state of operations by id, in no particular order; unknown ids are left out. */
  getOperations(ids: readonly string[]): Promise<OperationState[]>;
}
