import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { closeDatabase, connectDatabase } from './database.ts';
import { isPostgresUrl, poolQuery, redactUrl } from './postgres.ts';

describe('PostgreSQL URLs', () => {
  it('are told from other URLs', () => {
    expect(isPostgresUrl('postgres://db/portal_ops')).toBe(true);
    expect(isPostgresUrl('postgresql://u@db:5432/portal_ops')).toBe(true);
    expect(isPostgresUrl('mysql://db/portal_ops')).toBe(false);
  });

  it('are shown without their password, wherever it is', () => {
    expect(redactUrl('postgres://ops:hunter2@db:5432/portal_ops')).toBe('postgres://ops:***@db:5432/portal_ops');
    expect(redactUrl('postgres://ops@db/portal_ops?sslmode=require&password=hunter2')).toBe('postgres://ops@db/portal_ops?sslmode=require&password=***');
    expect(redactUrl('not a url:hunter2@db')).not.toContain('hunter2');
  });

  it('a configuration error names DATABASE_URL without its password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://ops:hunter2@db/portal_ops' })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
    try {
      loadConfig({ DATABASE_URL: 'mysql://ops:hunter2@db/portal_ops' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('a server that does not answer stops the start with the URL, without its password', async () => {
    // Port 9 (discard) on loopback: nothing listens there.
    const error = await connectDatabase({ url: 'postgres://ops:hunter2@127.0.0.1:9/portal_ops' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/PostgreSQL at postgres:\/\/ops:\*\*\*@127\.0\.0\.1:9\/portal_ops cannot be used: .*ECONNREFUSED/);
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('PostgreSQL connections', () => {
  it('plan their named statements once, keeping the settings the URL gives', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const url = new URL((database.target as { url: string }).url);
      url.searchParams.set('options', '-c statement_timeout=4321');
      const db = await connectDatabase({ url: url.toString() });
      try {
        const settings = await poolQuery(db, "select current_setting('plan_cache_mode') as plans, current_setting('statement_timeout') as timeout", []);
        expect(settings.rows).toEqual([{ plans: 'force_generic_plan', timeout: '4321ms' }]);
      } finally {
        await closeDatabase(db);
      }
    } finally {
      await database.drop();
    }
  });
});
