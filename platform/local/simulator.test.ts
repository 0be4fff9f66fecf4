import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { tempDir } from '../../test/support/tenant.ts';
import { readTenantSeed, SAMPLE_SEED_PATH } from './seed.ts';
import { LocalPlatform } from './simulator.ts';

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

  it('keeps its state in SQLite across restarts instead of reseeding', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'p.db');
      const first = openDatabase(path);
      LocalPlatform.open(first, SAMPLE_SEED_PATH);
      first.$client.prepare("update sim_users set display_name = 'Ada L.' where id = 'ada'").run();
      first.$client.close();
      const again = openDatabase(path);
      const platform = LocalPlatform.open(again, '/nonexistent/seed.json');
      expect((await platform.findUserByEmail('ADA@contoso.com'))?.displayName).toBe('Ada L.');
      again.$client.close();
    } finally {
      dir.remove();
    }
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
