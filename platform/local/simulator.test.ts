import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { closeDatabase } from '../../db/database.ts';
import { createTestDatabase } from '../../test/support/databases.ts';
import { sqlRun } from '../../test/support/rows.ts';
import { tempDir } from '../../test/support/tenant.ts';
import { readTenantSeed, SAMPLE_SEED_PATH } from './seed.ts';
import { LocalPlatform } from './simulator.ts';

/** A sample tenant in a fresh test database, dropped after `run`. */
async function withSampleTenant(run: (platform: LocalPlatform, db: Db) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    const db = await database.open();
    await run(await LocalPlatform.connect(db, SAMPLE_SEED_PATH, 'fast'), db);
  } finally {
    await database.drop();
  }
}

describe('the simulated tenant', () => {
  it('ships a sample with varied instances and people in every role', () => {
    const seed = readTenantSeed(SAMPLE_SEED_PATH);
    expect(seed.instances.length).toBeGreaterThanOrEqual(3);
    expect(seed.users.length).toBeGreaterThanOrEqual(6);
    expect(seed.instances.some((i) => i.solutions.includes('Field Service') && i.solutions.includes('Project Service Automation'))).toBe(true);
    expect(seed.instances.some((i) => i.languages.includes('ar-SA') && i.languages.includes('he-IL'))).toBe(true);
    expect(new Set(seed.roles.map((r) => r.role))).toEqual(new Set(['SYSTEM_ADMINISTRATOR', 'SYSTEM_CUSTOMIZER']));
    expect(seed.users.some((u) => u.globalAdministrator)).toBe(true);
    expect(seed.users.some((u) => !u.globalAdministrator)).toBe(true);
  });

  it('keeps its state in the database across restarts instead of reseeding', async () => {
    const database = await createTestDatabase();
    try {
      const first = await database.open();
      await LocalPlatform.connect(first, SAMPLE_SEED_PATH);
      await sqlRun(first, sql`update sim_users set display_name = 'Ada L.' where id = 'ada'`);
      await closeDatabase(first);
      const again = await database.open();
      const platform = await LocalPlatform.connect(again, '/nonexistent/seed.json');
      expect((await platform.findUserByEmail('ADA@contoso.com'))?.displayName).toBe('Ada L.');
    } finally {
      await database.drop();
    }
  });

  it('answers the directory reads as the seed file says, for any number of IDs and any filter', async () => {
    await withSampleTenant(async (platform, db) => {
      const seed = readTenantSeed(SAMPLE_SEED_PATH);
      const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();
      const roles = (rows: Array<{ instanceId: string; userId: string; role: string }>) => rows.map((r) => `${r.instanceId}/${r.userId}/${r.role}`).sort();
      expect((await platform.findUserByEmail('  Margaret@CONTOSO.com '))?.id).toBe('margaret');
      expect(await platform.findUserByEmail('nobody@contoso.com')).toBeUndefined();
      expect(ids(await platform.getUsers(['ada', 'ken', 'nobody', 'ada']))).toEqual(['ada', 'ken']);
      expect(ids(await platform.getUsers(seed.users.map((u) => u.id)))).toEqual(ids(seed.users));
      expect(await platform.getUsers([])).toEqual([]);
      expect((await platform.listInstances()).map((i) => i.name)).toEqual(seed.instances.map((i) => i.name).sort());
      const [field] = await platform.getInstances(['contoso-field']);
      expect(field).toEqual(seed.instances.find((i) => i.id === 'contoso-field'));
      expect(ids(await platform.getInstances(['contoso-mea', 'contoso-sales', 'nowhere']))).toEqual(['contoso-mea', 'contoso-sales']);
      const where = (keep: (r: (typeof seed.roles)[number]) => boolean) => roles(seed.roles.filter(keep));
      expect(roles(await platform.listRoles({ userId: 'ada' }))).toEqual(where((r) => r.userId === 'ada'));
      expect(roles(await platform.listRoles({ instanceId: 'contoso-sales' }))).toEqual(where((r) => r.instanceId === 'contoso-sales'));
      expect(roles(await platform.listRoles({ userId: 'grace', instanceId: 'contoso-sales' }))).toEqual(where((r) => r.userId === 'grace' && r.instanceId === 'contoso-sales'));
      expect(await platform.listRoles({ userId: 'grace', instanceId: 'nowhere' })).toEqual([]);
      const holders = await platform.listRoleHolders(['contoso-field', 'contoso-mea', 'nowhere'], 'SYSTEM_ADMINISTRATOR');
      expect(holders.map((h) => `${h.instanceId}/${h.user.id}/SYSTEM_ADMINISTRATOR`).sort()).toEqual(
        where((r) => (r.instanceId === 'contoso-field' || r.instanceId === 'contoso-mea') && r.role === 'SYSTEM_ADMINISTRATOR'),
      );
      expect(holders.find((h) => h.user.id === 'margaret')?.user).toEqual(seed.users.find((u) => u.id === 'margaret'));
      expect((await platform.listRoleHolders(['contoso-field'], 'SYSTEM_CUSTOMIZER')).map((h) => h.user.id)).toEqual(['ken']);
      expect(await platform.listRoleHolders([], 'SYSTEM_ADMINISTRATOR')).toEqual([]);
      // A change written to the tenant is read at once: the prepared reads keep no rows.
      await sqlRun(db, sql`insert into sim_roles (instance_id, user_id, role) values ('fabrikam-dev', 'ada', 'SYSTEM_CUSTOMIZER')`);
      expect(roles(await platform.listRoles({ userId: 'ada' }))).toContain('fabrikam-dev/ada/SYSTEM_CUSTOMIZER');
    });
  });

  it('refuses a seed file with the reasons, naming PLATFORM_SEED', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'bad.json');
      writeFileSync(
        path,
        JSON.stringify({
          users: [{ id: 'u', email: 'not-an-email', displayName: 'U', globalAdministrator: true }],
          instances: [{ id: 'i', name: 'I', url: 'https://i.example', baseLanguage: 'fr-FR', languages: ['en-US'], solutions: [] }],
          roles: [{ instanceId: 'i', userId: 'ghost', role: 'SYSTEM_ADMINISTRATOR' }],
          licenses: [],
        }),
      );
      expect(() => readTenantSeed(path)).toThrow(/^PLATFORM_SEED: .*users\.0\.email.*roles\.0\.userId: no user "ghost".*baseLanguage/);
      writeFileSync(path, '{ nope');
      expect(() => readTenantSeed(path)).toThrow(/^PLATFORM_SEED: cannot read/);
    } finally {
      dir.remove();
    }
  });
});

describe('starting operations in a batch', () => {
  it('answers each request as a single call would: idempotent keys, taken URLs, an unreachable portal', async () => {
    await withSampleTenant(async (platform) => {
      const spec = (subdomain: string) => ({ subdomain, instanceId: 'contoso-sales', language: 'en-US', portalType: 'CUSTOMER_SELF_SERVICE', addOns: [] });
      const before = await platform.startOperation('CREATE_RESOURCES', 'portal:1:1:CREATE_RESOURCES', spec('batch-one'));
      const answers = await platform.startOperations(
        [
          { kind: 'CREATE_RESOURCES', key: 'portal:1:1:CREATE_RESOURCES', spec: spec('batch-one') },
          { kind: 'CREATE_RESOURCES', key: 'portal:2:1:CREATE_RESOURCES', spec: spec('batch-two') },
          { kind: 'CREATE_RESOURCES', key: 'portal:2:1:CREATE_RESOURCES', spec: spec('batch-two') },
          { kind: 'CREATE_RESOURCES', key: 'portal:3:1:CREATE_RESOURCES', spec: spec('unreachable-portal') },
          { kind: 'CREATE_RESOURCES', key: 'portal:4:1:CREATE_RESOURCES', spec: spec('batch-one') },
        ],
        { concurrency: 2 },
      );
      expect(answers[0]).toEqual(before);
      expect(answers[1]).toEqual(answers[2]);
      expect(answers[3]).toEqual({ error: expect.stringContaining('503') });
      expect(await platform.countOperations({ subdomain: 'batch-two' })).toBe(1);
      expect(await platform.countOperations({ subdomain: 'unreachable-portal' })).toBe(0);
      // Another portal asking for a URL this tenant already made gets an operation that fails, naming it.
      const [taken] = await platform.getOperations([(answers[4] as { id: string }).id]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [later] = await platform.getOperations([(answers[4] as { id: string }).id]);
      expect(taken?.status).toBe('RUNNING');
      expect(later).toMatchObject({ status: 'FAILED', error: expect.stringContaining('batch-one is already taken') });
    });
  });
});

describe('operation IDs', () => {
  it('are unique and sort in the order the operations were started, so new ones go to the end of the index', async () => {
    await withSampleTenant(async (platform) => {
      const spec = (subdomain: string) => ({ subdomain, instanceId: 'contoso-sales', language: 'en-US', portalType: 'CUSTOMER_SELF_SERVICE', addOns: [] });
      const ids: string[] = [];
      for (let round = 0; round < 3; round++) {
        const requests = Array.from({ length: 40 }, (_, i) => ({ kind: 'CREATE_RESOURCES' as const, key: `portal:${round}-${i}:1:CREATE_RESOURCES`, spec: spec(`ids-${round}-${i}`) }));
        for (const answer of await platform.startOperations(requests)) ids.push((answer as { id: string }).id);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(new Set(ids).size).toBe(120);
      expect([...ids].sort()).toEqual(ids);
      for (const id of ids) expect(id).toMatch(/^op-[0-9a-z]{9}-[0-9a-f]{12}-[0-9a-z]{8}$/);
    });
  });
});

describe('SSL bindings', () => {
  it('are made when a binding finishes, called off when removed before, and removed by an unbind', async () => {
    await withSampleTenant(async (platform) => {
      const spec = (hostname: string) => ({
        subdomain: 'bind-site',
        instanceId: 'contoso-sales',
        language: 'en-US',
        portalType: 'CUSTOMER_SELF_SERVICE',
        addOns: [],
        hostname,
        certificateThumbprint: 'AB'.repeat(32),
      });
      await platform.startOperation('CREATE_RESOURCES', 'portal:9:1:CREATE_RESOURCES', spec('x'));
      await platform.startOperation('BIND_SSL', 'domain:1:1:BIND_SSL', spec('a.contoso.com'));
      // Removed while still being made: the binding never appears.
      await platform.startOperation('BIND_SSL', 'domain:2:1:BIND_SSL', spec('b.contoso.com'));
      await platform.startOperation('UNBIND_SSL', 'domain:2:1:UNBIND_SSL:remove', spec('b.contoso.com'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await platform.listBindings()).map((b) => [b.hostname, b.subdomain])).toEqual([['a.contoso.com', 'bind-site']]);
      await platform.startOperation('UNBIND_SSL', 'domain:1:1:UNBIND_SSL:remove', spec('a.contoso.com'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await platform.listBindings()).toEqual([]);
    });
  });

  it('tells which subdomains are taken, counting a site as free for the portal that created it', async () => {
    await withSampleTenant(async (platform) => {
      expect(await platform.subdomainAvailability('contoso')).toBe('TAKEN');
      expect(await platform.subdomainAvailability('WWW')).toBe('TAKEN');
      expect(await platform.subdomainAvailability('nobody-has-this')).toBe('FREE');
      const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:7:1:CREATE_RESOURCES', {
        subdomain: 'seven',
        instanceId: 'contoso-sales',
        language: 'en-US',
        portalType: 'CUSTOMER_SELF_SERVICE',
        addOns: [],
      });
      await expect.poll(async () => (await platform.getOperations([id]))[0]?.status).toBe('SUCCEEDED');
      expect(await platform.subdomainAvailability('seven')).toBe('TAKEN');
      expect(await platform.subdomainAvailability('seven', 'portal:7')).toBe('FREE');
      expect(await platform.subdomainAvailability('seven', 'portal:70')).toBe('TAKEN');
    });
  });
});
