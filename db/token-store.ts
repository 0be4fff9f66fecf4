import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { type ApiTokenRow, apiTokens } from './schema.ts';

export async function insertApiToken(
  db: Db,
  values: { name: string; tokenHash: string; scopes: string[]; userId: string | null },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning();
  if (!row) throw new Error('inserting the API token returned no row');
  return row;
}

export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

export async function touchApiToken(db: Db, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}
