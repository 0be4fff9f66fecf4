import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { dialectOf, tablesOf } from './dialect.ts';
import { poolQuery, TOKENS_CHANNEL, tokenChangesOf } from './postgres.ts';
import type { ApiTokenRow } from './schema.ts';
import { execSql, row as one, writeTransaction } from './transaction.ts';

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

/**
 * PostgreSQL: tokens found lately, by hash, kept while no token has changed since. Every change of a
 * token (revoked, stamped) sends a NOTIFY in its transaction, which empties these on every replica as
 * it commits; while this replica's LISTEN connection is down nothing is kept. A row is kept at most
 * TOKEN_KEPT_MS all the same. On SQLite, whose other processes send no notifications, every request
 * reads its token (a read there costs microseconds).
 */
const keptTokens = new WeakMap<Db, { changes: number; rows: Map<string, { row: ApiTokenRow; at: number }> }>();
const TOKEN_KEPT_MS = 10_000;
const TOKENS_KEPT = 1_000;

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
  const before = dialectOf(db) === 'postgres' ? tokenChangesOf(db) : undefined;
  const kept = before?.heard ? keptTokenOf(db, tokenHash, before.count) : undefined;
  if (kept) return kept;
  const [row] = await lookup.execute({ hash: tokenHash });
  const after = before && tokenChangesOf(db);
  // Kept only if no change was heard while it was read: a revocation committed meanwhile may not be in it.
  if (row && before?.heard && after?.heard && after.count === before.count) keepToken(db, tokenHash, row, after.count);
  return row;
}

function keptTokenOf(db: Db, tokenHash: string, changes: number): ApiTokenRow | undefined {
  const kept = keptTokens.get(db);
  if (!kept || kept.changes !== changes) return undefined;
  const entry = kept.rows.get(tokenHash);
  return entry && Date.now() - entry.at < TOKEN_KEPT_MS ? entry.row : undefined;
}

function keepToken(db: Db, tokenHash: string, row: ApiTokenRow, changes: number): void {
  let kept = keptTokens.get(db);
  if (!kept || kept.changes !== changes) {
    kept = { changes, rows: new Map() };
    keptTokens.set(db, kept);
  }
  if (kept.rows.size >= TOKENS_KEPT) kept.rows.clear();
  kept.rows.set(tokenHash, { row, at: Date.now() });
}

/**
 * Stamps the token's last use without waiting for another process's write lock: the stamp must never
 * hold up the request it comes with. On SQLite it runs synchronously (before the promise is made), so
 * nothing else runs on the connection while its busy timeout is lowered. Throws what SQLite throws (a full disk, a read-only file, the lock being held).
 */
export async function touchApiToken(db: Db, id: number, at: Date): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    // Another replica stamping the same token holds its row: skip rather than wait. The stamp is a
    // change every replica's kept tokens hear of (see findApiTokenByHash).
    await poolQuery(
      db,
      "with stamped as (update api_tokens set last_used_at = $1 where id = (select id from api_tokens where id = $2 for update skip locked) returning id) select pg_notify($3, '') from stamped",
      [at.getTime(), id, TOKENS_CHANNEL],
    );
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

/** Revokes the token; on PostgreSQL every replica's kept tokens hear of it as it commits (see findApiTokenByHash). */
export async function setApiTokenRevoked(db: Db, id: number, at: Date): Promise<ApiTokenRow> {
  const row = await writeTransaction(db, function* (tx) {
    const { apiTokens } = tablesOf(tx);
    const revoked = yield* one(tx.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id)).returning());
    if (dialectOf(tx) === 'postgres') yield* execSql(sql`select pg_notify(${TOKENS_CHANNEL}, '')`);
    return revoked;
  });
  if (!row) throw new Error(`revoking API token ${id} returned no row`);
  return row;
}
