// The fingerprint of the SECRET_KEY a database was first used with (app/secret-key.ts).
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { tablesOf } from './dialect.ts';

/** Records `fingerprint` when the database holds none yet, and answers the one it holds. */
export async function claimKeyFingerprint(db: Db, fingerprint: string): Promise<string> {
  const { secretKeyCheck } = tablesOf(db);
  await db.insert(secretKeyCheck).values({ id: 1, fingerprint }).onConflictDoNothing();
  const [row] = await db.select({ fingerprint: secretKeyCheck.fingerprint }).from(secretKeyCheck).where(eq(secretKeyCheck.id, 1));
  if (!row) throw new Error('the secret key check was not stored');
  return row.fingerprint;
}
