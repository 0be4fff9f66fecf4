// The directory half of the Power Platform driver against the fake Microsoft (real HTTPS on
// loopback, MSAL's device-code sign-in, the sealed cache in a real test database): it must read the
// sample tenant exactly as the simulator does, batch and cache its reads, and ride out Dataverse's
// 429 answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_SEED_PATH } from '../platform/local/seed.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { excludeFromOrganization, throttleDataverse } from './support/fake-microsoft/dataverse.ts';
import { type FakeMicrosoft, startFakeMicrosoft } from './support/fake-microsoft/server.ts';
import { type SignedIn, signInAs } from './support/fake-microsoft/signed-in.ts';

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const roleKey = (r: { instanceId: string; userId: string; role?: string }) => `${r.instanceId}/${r.userId}/${r.role ?? ''}`;

describe('the Power Platform directory against the fake Microsoft', () => {
  let fake: FakeMicrosoft;
  let database: TestDatabase;
  let simulator: LocalPlatform;
  const opened: SignedIn[] = [];

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    database = await createTestDatabase();
    simulator = await LocalPlatform.connect(await database.open(), SAMPLE_SEED_PATH, 'fast');
  });

  afterEach(async () => {
    for (const one of opened.splice(0)) await one.close();
    fake.state.faults.length = 0;
  });

  afterAll(async () => {
    await database.drop();
    await fake.stop();
  });

  async function signedIn(userId = 'ada', cacheMs?: number): Promise<SignedIn> {
    const one = await signInAs(fake, userId, cacheMs === undefined ? {} : { cacheMs });
    opened.push(one);
    return one;
  }

  it('reads users, instances, roles and role holders as the simulator does on the same sample tenant', async () => {
    const { directory } = await signedIn();
    const ids = ['ada', 'grace', 'margaret', 'nobody'];
    expect(byId(await directory.getUsers(ids))).toEqual(byId(await simulator.getUsers(ids)));
    expect(await directory.findUserByEmail(' Ken@Contoso.com ')).toEqual(await simulator.findUserByEmail('ken@contoso.com'));
    expect(await directory.findUserByEmail('nobody@contoso.com')).toBeUndefined();
    const withoutUrl = (list: Array<{ url: string }>) => list.map(({ url: _url, ...rest }) => rest);
    expect(withoutUrl(await directory.listInstances())).toEqual(withoutUrl(await simulator.listInstances()));
    expect(withoutUrl(await directory.getInstances(['contoso-mea', 'gone']))).toEqual(withoutUrl(await simulator.getInstances(['contoso-mea', 'gone'])));
    for (const filter of [{ userId: 'ada' }, { instanceId: 'contoso-field' }, { userId: 'grace', instanceId: 'contoso-sales' }, {}]) {
      expect((await directory.listRoles(filter)).map(roleKey).sort()).toEqual((await simulator.listRoles(filter)).map(roleKey).sort());
    }
    const holders = async (p: { listRoleHolders: LocalPlatform['listRoleHolders'] }) =>
      (await p.listRoleHolders(['contoso-sales', 'fabrikam-dev'], 'SYSTEM_ADMINISTRATOR')).map((h) => `${h.instanceId}/${h.user.id}/${h.user.globalAdministrator}`).sort();
    expect(await holders(directory)).toEqual(await holders(simulator));
  });

  it('takes the licenses from POWERPLATFORM_LICENSES', async () => {
    const { directory } = await signedIn();
    expect(await directory.listLicenses()).toEqual([
      { id: 'power-pages-production', name: 'Power Pages production capacity', type: 'PRODUCTION', quantity: 10 },
      { id: 'power-pages-trial', name: 'Power Pages trial capacity', type: 'TRIAL', quantity: 3 },
    ]);
  });

  it('gives the driver each environment with its Dataverse organization id and instance URL', async () => {
    const { directory } = await signedIn();
    const env = fake.state.tenant.environments.find((e) => e.name === 'fabrikam-dev');
    expect(await directory.environment('fabrikam-dev')).toEqual({
      id: 'fabrikam-dev',
      displayName: 'Fabrikam Sandbox',
      instanceUrl: env?.instanceUrl,
      organizationId: env?.organizationId,
      baseLanguageLcid: 1031,
    });
  });

  it('reads 40 users in one $batch of 15-id filters, and keeps them a minute', async () => {
    for (let i = 0; i < 40; i += 1) {
      fake.state.tenant.users.push({ id: `bulk-${i}`, userPrincipalName: `bulk${i}@contoso.com`, mail: `bulk${i}@contoso.com`, displayName: `Bulk ${i}`, globalAdministrator: false });
    }
    const { directory } = await signedIn();
    const before = fake.state.requests.length;
    const ids = [...Array.from({ length: 40 }, (_, i) => `bulk-${i}`), 'ada', 'missing-1'];
    const users = await directory.getUsers(ids);
    expect(users).toHaveLength(41);
    expect(users.find((u) => u.id === 'ada')?.globalAdministrator).toBe(true);
    const graphCalls = fake.state.requests.slice(before).filter((r) => r.path.startsWith('/graph/'));
    expect(graphCalls.map((r) => r.path).sort()).toEqual(['/graph/v1.0/$batch', '/graph/v1.0/roleManagement/directory/roleAssignments']);
    await directory.getUsers(ids);
    await directory.findUserByEmail('bulk3@contoso.com');
    expect(fake.state.requests.slice(before).filter((r) => r.path.startsWith('/graph/') && r.path !== '/graph/v1.0/users')).toHaveLength(2);
  });

  it('asks again, after their Retry-After, for the parts of a $batch Graph throttled', async () => {
    for (let i = 0; i < 20; i += 1) {
      fake.state.tenant.users.push({ id: `throttled-${i}`, userPrincipalName: `t${i}@contoso.com`, mail: `t${i}@contoso.com`, displayName: `T ${i}`, globalAdministrator: false });
    }
    const { directory } = await signedIn();
    const throttled = { status: 429, headers: { 'Retry-After': '1' }, json: { error: { code: 'TooManyRequests', message: 'Too many requests.' } } };
    fake.state.faults.push({ method: 'GET', pathIncludes: '/graph/v1.0/users', times: 1, answer: throttled });
    const before = fake.state.requests.length;
    const users = await directory.getUsers(Array.from({ length: 20 }, (_, i) => `throttled-${i}`));
    expect(users).toHaveLength(20);
    expect(fake.state.requests.slice(before).filter((r) => r.path === '/graph/v1.0/$batch')).toHaveLength(2);
  });

  it('caches environments, languages, solutions and roles: a second round of reads calls nothing', async () => {
    const { directory } = await signedIn();
    await directory.listInstances();
    await directory.listRoles({ userId: 'ada' });
    const before = fake.state.requests.length;
    await directory.listInstances();
    await directory.listRoles({ userId: 'ada' });
    await directory.listRoleHolders(['contoso-sales'], 'SYSTEM_ADMINISTRATOR');
    expect(fake.state.requests.slice(before).filter((r) => r.path.startsWith('/bap/') || r.path.startsWith('/orgs/'))).toEqual([]);
  });

  it('waits out Dataverse 429 answers, Retry-After in seconds and as an HTTP date', async () => {
    const { directory } = await signedIn('ada', 0);
    throttleDataverse(fake.state, 2);
    throttleDataverse(fake.state, new Date(Date.now() + 3000));
    const instances = await directory.listInstances();
    expect(instances.map((i) => i.id)).toContain('contoso-field');
    expect(fake.state.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('leaves out an environment whose Dataverse does not know the signed-in admin', async () => {
    // A security group on the environment keeps Linus out: BAP lists it, its Dataverse refuses him.
    excludeFromOrganization(fake.state, 'contoso-mea', 'linus');
    const { directory } = await signedIn('linus');
    expect((await directory.listInstances()).map((i) => i.id)).toEqual(['contoso-field', 'contoso-sales', 'fabrikam-dev']);
    expect(await directory.listRoles({ instanceId: 'contoso-mea' })).toEqual([]);
    expect((await directory.listRoles({ userId: 'ada' })).map((r) => r.instanceId).sort()).toEqual(['contoso-field', 'contoso-sales']);
    // The refusal is kept as long as an answer would be: the next reads do not ask that Dataverse again.
    const before = fake.state.requests.length;
    await directory.listInstances();
    await directory.listRoles({});
    expect(fake.state.requests.slice(before).filter((r) => r.path.startsWith('/orgs/contoso-mea/'))).toEqual([]);
  });
});
