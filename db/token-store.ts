import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { dialectOf, tablesOf } from './dialect.ts';
import { poolQuery } from './postgres.ts';
import type { ApiTokenRow } from './schema.ts';

export async function insertApiToken(db: Db, values: { name: string; tokenHash: string; scopes: string[]; userId: string | null; expiresAt: Date | null }): Promise<ApiTokenRow> {
  const { apiTokens } = tablesOf(db);
  const [row] = await db.insert(apiTokens).values(values).returning();
  if (!row) throw new Error('inserting the API token returned no row');
  return row;
}

/**
 * The token lookup every API request makes, prepared once per database: building it through Drizzle
 * on each request cost more than SQLite's run of it, and PostgreSQL prepares it once per connection.
 */
const tokenLookups = new WeakMap<Db, { execute(values: { hash: string }): ApiTokenRow[] | Promise<ApiTokenRow[]> }>();

export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRow | undefined> {
  let lookup = tokenLookups.get(db);
  if (!lookup) {
    const { apiTokens } = tablesOf(db);
    lookup = db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, sql.placeholder('hash')))
      .limit(1)
      .prepare() as unknown as { execute(values: { hash: string }): ApiTokenRow[] | Promise<ApiTokenRow[]> };
    tokenLookups.set(db, lookup);
  }
  return (await lookup.execute({ hash: tokenHash }))[0];
}

/**
 * Stamps the token's last use without waiting for another process's write lock: the stamp must never
 * hold up the request it comes with. On SQLite it runs synchronously (before the promise is made), so
 * nothing else runs on the connection while its busy timeout is lowered. Throws what SQLite throws (a full disk, a read-only file, the lock being held).
 */
export async function touchApiToken(db: Db, id: number, at: Date): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    // Another replica stamping the same token holds its row: skip rather than wait.
    await poolQuery(db, 'update api_tokens set last_used_at = $1 where id = (select id from api_tokens where id = $2 for update skip locked)', [at.getTime(), id]);
    return;
  }
  const client = db.$client;
  const timeout = client.pragma('busy_timeout', { simple: true }) as number;
  client.pragma('busy_timeout = 0');
  try {
    client.prepare('update api_tokens set last_used_at = ? where id = ?').run(at.getTime(), id);
  } finally {
    client.pragma(`busy_timeout = ${Number(timeout)}`);
  }
}

export async function listApiTokenRows(db: Db): Promise<ApiTokenRow[]> {
  const { apiTokens } = tablesOf(db);
  return db.select().from(apiTokens).orderBy(asc(apiTokens.id));
}

export async function findApiTokensByName(db: Db, name: string): Promise<ApiTokenRow[]> {
  const { apiTokens } = tablesOf(db);
  return db.select().from(apiTokens).where(eq(apiTokens.name, name)).orderBy(asc(apiTokens.id));
}

export async function findApiTokenById(db: Db, id: number): Promise<ApiTokenRow | undefined> {
  const { apiTokens } = tablesOf(db);
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return rows[0];
}

export async function setApiTokenRevoked(db: Db, id: number, at: Date): Promise<ApiTokenRow> {
  const { apiTokens } = tablesOf(db);
  const [row] = await db.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id)).returning();
  if (!row) throw new Error(`revoking API token ${id} returned no row`);
  return row;
}
