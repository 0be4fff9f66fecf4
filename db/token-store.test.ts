import { afterEach, describe, expect, it } from 'vitest';
import { admin, createTestDatabase, databasesUnderTest, type TestDatabase } from '../test/support/databases.ts';
import { eventually } from '../test/support/wait.ts';
import type { Db } from './client.ts';
import { tokenChangesOf } from './postgres.ts';
import { findApiTokenByHash, insertApiToken, setApiTokenRevoked, touchApiToken } from './token-store.ts';

describe.each(databasesUnderTest())('looking API tokens up on %s', (kind) => {
  let database: TestDatabase;

  afterEach(async () => {
    await database.drop();
  });

  /** Two replicas' connections to one database, each counting its statements on api_tokens. */
  async function replicas() {
    database = await createTestDatabase(kind);
    const reads = { a: 0, b: 0 };
    const a = await database.open({ onQuery: (text) => void (/api_tokens/.test(text) && reads.a++) });
    const b = await database.open({ onQuery: (text) => void (/api_tokens/.test(text) && reads.b++) });
    const token = await insertApiToken(b, { name: 'ci', tokenHash: 'hash-of-ci', scopes: ['read'], userId: null, expiresAt: null });
    if (kind === 'postgres') {
      tokenChangesOf(a);
      await eventually(() => tokenChangesOf(a)?.heard, 10_000, "replica A's LISTEN connection");
    }
    return { a, b, token, reads };
  }

  const lookUp = (db: Db) => findApiTokenByHash(db, 'hash-of-ci');

  it('reads the token once per change on PostgreSQL, where every replica hears of changes, and on every request on SQLite', async () => {
    const { a, reads } = await replicas();
    expect((await lookUp(a))?.name).toBe('ci');
    const first = reads.a;
    expect((await lookUp(a))?.name).toBe('ci');
    expect(reads.a - first).toBe(kind === 'postgres' ? 0 : 1);
  });

  it('refuses a token revoked on another replica as soon as the revocation commits', async () => {
    const { a, b, token } = await replicas();
    expect((await lookUp(a))?.revokedAt).toBeNull();
    await setApiTokenRevoked(b, token.id, new Date());
    // A wait for the notification to arrive, not a measure.
    await eventually(async () => (await lookUp(a))?.revokedAt instanceof Date, 5_000, 'the revocation seen on replica A');
  });

  it("sees another replica's stamp of the token's last use", async () => {
    const { a, b, token } = await replicas();
    expect((await lookUp(a))?.lastUsedAt).toBeNull();
    const at = new Date();
    await touchApiToken(b, token.id, at);
    await eventually(async () => (await lookUp(a))?.lastUsedAt?.getTime() === at.getTime(), 5_000, 'the stamp seen on replica A');
  });

  // PostgreSQL's alone: SQLite keeps no token.
  if (kind === 'postgres')
    it('keeps nothing while its LISTEN connection is down', async () => {
      const { a, reads } = await replicas();
      await lookUp(a);
      // The server ends every LISTEN connection of this database: changes made now would go unheard.
      await admin((client) => client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen%'", [database.name]));
      await eventually(() => !tokenChangesOf(a)?.heard, 5_000, 'the LISTEN connection seen lost');
      const before = reads.a;
      await lookUp(a);
      await lookUp(a);
      expect(reads.a - before).toBe(2);
    });
});
