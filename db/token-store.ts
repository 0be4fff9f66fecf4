import { asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { type ApiTokenRow, apiTokens } from './schema.ts';

export async function insertApiToken(db: Db, values: { name: string; tokenHash: string; scopes: string[]; userId: string | null; expiresAt: Date | null }): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning();
  if (!row) throw new Error('inserting the API token returned no row');
  return row;
}

export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

/**
 * Stamps the token's last use without waiting for another process's write lock: the stamp must never
 * hold up the request it comes with. Synchronous, so nothing else runs on the connection while its busy
 * timeout is lowered. Throws what SQLite throws (a full disk, a read-only file, the lock being held).
 */
export function touchApiToken(db: Db, id: number, at: Date): void {
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
  return db.select().from(apiTokens).orderBy(asc(apiTokens.id));
}

export async function findApiTokensByName(db: Db, name: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.name, name)).orderBy(asc(apiTokens.id));
}

export async function findApiTokenById(db: Db, id: number): Promise<ApiTokenRow | undefined> {
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return rows[0];
}

export async function setApiTokenRevoked(db: Db, id: number, at: Date): Promise<ApiTokenRow> {
  const [row] = await db.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id)).returning();
  if (!row) throw new Error(`revoking API token ${id} returned no row`);
  return row;
}
