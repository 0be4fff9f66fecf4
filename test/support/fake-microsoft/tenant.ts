// The fake tenant: the simulator's sample tenant (platform/local/sample-tenant.json) as Microsoft
// holds it, so the same tests run on both platforms. Ids stay the sample's (user "ada", environment
// "contoso-field"): Microsoft's ids are GUIDs, but every API treats them as opaque strings, and the
// tests name people and instances by them. Languages become LCIDs; each environment gets a Dataverse
// organization id and an instance URL under the fake (/orgs/<environment>).
import { createHash } from 'node:crypto';
import { readTenantSeed, SAMPLE_SEED_PATH, type TenantSeed } from '../../../platform/local/seed.ts';
import { findLanguage } from '../../../vocabulary/languages.ts';

export const DATAVERSE_ROLE_NAMES = { SYSTEM_ADMINISTRATOR: 'System Administrator', SYSTEM_CUSTOMIZER: 'System Customizer' } as const;

export interface FakeUser {
  id: string;
  userPrincipalName: string;
  mail: string;
  displayName: string;
  globalAdministrator: boolean;
}

export interface FakeEnvironment {
  /** The environment's name (its id in BAP and in the websites API). */
  name: string;
  displayName: string;
  organizationId: string;
  instanceUrl: string;
  /** LCIDs. */
  baseLanguage: number;
  languages: number[];
  /** Installed solutions by the names the simulator uses ("Field Service"). */
  solutions: string[];
}

export interface FakeTenant {
  tenantId: string;
  users: FakeUser[];
  environments: FakeEnvironment[];
  roles: Array<{ environment: string; userId: string; role: (typeof DATAVERSE_ROLE_NAMES)[keyof typeof DATAVERSE_ROLE_NAMES] }>;
  licenses: TenantSeed['licenses'];
  /** Subdomains other tenants' sites hold. */
  takenSubdomains: Set<string>;
  faults: TenantSeed['faults'];
}

/** A stable GUID-shaped id from a name, so runs and processes agree. */
export function guidOf(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function lcidOf(code: string): number {
  const language = findLanguage(code);
  if (!language) throw new Error(`no LCID for ${code}`);
  return language.lcid;
}

export function fakeTenant(baseUrl: string, seedPath = SAMPLE_SEED_PATH): FakeTenant {
  const seed = readTenantSeed(seedPath);
  return {
    tenantId: guidOf('contoso-tenant'),
    users: seed.users.map((u) => ({ id: u.id, userPrincipalName: u.email, mail: u.email, displayName: u.displayName, globalAdministrator: u.globalAdministrator })),
    environments: seed.instances.map((i) => ({
      name: i.id,
      displayName: i.name,
      organizationId: guidOf(`org:${i.id}`),
      instanceUrl: `${baseUrl}/orgs/${i.id}`,
      baseLanguage: lcidOf(i.baseLanguage),
      languages: i.languages.map(lcidOf),
      solutions: [...i.solutions],
    })),
    roles: seed.roles.map((r) => ({ environment: r.instanceId, userId: r.userId, role: DATAVERSE_ROLE_NAMES[r.role] })),
    licenses: seed.licenses,
    takenSubdomains: new Set(seed.takenSubdomains.map((s) => s.toLowerCase())),
    faults: seed.faults.map((f) => ({ ...f, subdomain: f.subdomain.toLowerCase() })),
  };
}
