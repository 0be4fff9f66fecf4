// The one way the product opens its database: a PostgreSQL URL (DATABASE_URL) or a SQLite file
// (DATABASE_PATH). Both give the same Drizzle client type; db/dialect.ts tells them apart.
import { type Db, type OpenDatabaseOptions, openDatabase } from './client.ts';
import { dialectOf, tablesOf } from './dialect.ts';
import { closePostgres, isPostgresUrl, openPostgres } from './postgres.ts';

export type DatabaseTarget = { url: string } | { path: string };

export async function connectDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Db> {
  if ('url' in target) {
    if (!isPostgresUrl(target.url)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
    return openPostgres(target.url, options);
  }
  return openDatabase(target.path, options);
}

export async function closeDatabase(db: Db): Promise<void> {
  if (dialectOf(db) === 'postgres') await closePostgres(db);
  else db.$client.close();
}

/**
 * Whether the database answers a query and takes a write now (readiness). A full disk or a read-only
 * file still answers reads, so only a committed write tells; it rewrites one row of readiness_probe.
 */
export async function databaseAnswers(db: Db): Promise<boolean> {
  const { readinessProbe } = tablesOf(db);
  const checkedAt = new Date();
  await db.insert(readinessProbe).values({ id: 1, checkedAt }).onConflictDoUpdate({ target: readinessProbe.id, set: { checkedAt } });
  return true;
}
