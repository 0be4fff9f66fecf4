// Write transactions written once for both databases. A transaction's work is a generator: it yields
// each statement (through `rows`, `row`, `exec`) and gets its answer back. On SQLite the statements run
// synchronously inside one better-sqlite3 transaction, so nothing else of this process runs on the
// connection in between; on PostgreSQL they run in order on the transaction's own connection.
import type { SQL } from 'drizzle-orm';
import type { Db, Transaction } from './client.ts';
import { dialectOf } from './dialect.ts';

/** A statement a transaction's work hands to its runner. */
export type Step = { op: 'all'; query: unknown } | { op: 'get'; query: unknown } | { op: 'run'; query: unknown } | { op: 'sql'; query: SQL } | { op: 'sqlRows'; query: SQL };

/** The work of a transaction: yields statements, returns its answer. */
export type Work<T> = Generator<Step, T, unknown>;

/** Every row the query answers (a select, or a write with returning()). */
export function* rows<R>(query: { all(): R[] }): Work<R[]> {
  return (yield { op: 'all', query }) as R[];
}

/** The first row the query answers, if any. */
export function* row<R>(query: { get(): R | undefined }): Work<R | undefined> {
  return (yield { op: 'get', query }) as R | undefined;
}

/** Runs a write and answers how many rows it changed. */
export function* exec(query: { run(): unknown }): Work<number> {
  return (yield { op: 'run', query }) as number;
}

/** Runs a statement of plain SQL (drizzle's `sql` template) and answers how many rows it changed. */
export function* execSql(query: SQL): Work<number> {
  return (yield { op: 'sql', query }) as number;
}

/** Every row a statement of plain SQL answers, as the database hands it back (column names as keys). */
export function* sqlRows<R = Record<string, unknown>>(query: SQL): Work<R[]> {
  return (yield { op: 'sqlRows', query }) as R[];
}

/** Drives `work`, running each statement it yields with `step`, throwing a statement's failure into it. */
function driveSync<T>(work: Work<T>, step: (s: Step) => unknown): T {
  let next = work.next();
  for (;;) {
    if (next.done) return next.value;
    let answer: unknown;
    try {
      answer = step(next.value);
    } catch (error) {
      next = work.throw(error);
      continue;
    }
    next = work.next(answer);
  }
}

async function driveAsync<T>(work: Work<T>, step: (s: Step) => Promise<unknown>): Promise<T> {
  let next = work.next();
  for (;;) {
    if (next.done) return next.value;
    let answer: unknown;
    try {
      answer = await step(next.value);
    } catch (error) {
      next = work.throw(error);
      continue;
    }
    next = work.next(answer);
  }
}

type SqliteQuery = { all(): unknown[]; get(): unknown; run(): { changes: number } };

function sqliteStep(tx: Transaction, s: Step): unknown {
  if (s.op === 'sql') return tx.run(s.query).changes;
  if (s.op === 'sqlRows') return tx.all(s.query);
  const query = s.query as SqliteQuery;
  if (s.op === 'all') return query.all();
  if (s.op === 'get') return query.get();
  return query.run().changes;
}

interface PgTransaction {
  execute(query: SQL): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

async function postgresStep(tx: PgTransaction, s: Step): Promise<unknown> {
  if (s.op === 'sql') return (await tx.execute(s.query)).rowCount ?? 0;
  if (s.op === 'sqlRows') return (await tx.execute(s.query)).rows;
  const answer = (await (s.query as PromiseLike<unknown>)) as unknown[] | { rowCount: number | null };
  if (s.op === 'all') return answer;
  if (s.op === 'get') return (answer as unknown[])[0];
  return (answer as { rowCount: number | null }).rowCount ?? 0;
}

/**
 * Runs `work` in one write transaction and answers what it returns; a failure rolls everything back.
 * SQLite takes its write lock at BEGIN (a deferred transaction that reads first could not wait for
 * another process's lock); PostgreSQL runs READ COMMITTED, and the work's conditional writes and
 * advisory locks (db/outbox.ts, db/portal-store.ts) give the same guarantees.
 */
export async function writeTransaction<T>(db: Db, work: (tx: Transaction) => Work<T>): Promise<T> {
  if (dialectOf(db) === 'sqlite') return sqliteWriteTransaction(db, work);
  const pg = db as unknown as { transaction<R>(run: (tx: PgTransaction) => Promise<R>): Promise<R> };
  return pg.transaction((tx) => driveAsync(work(tx as unknown as Transaction), (s) => postgresStep(tx, s)));
}

/** writeTransaction on SQLite, answered synchronously (for code that opens a SQLite file synchronously). */
export function sqliteWriteTransaction<T>(db: Db, work: (tx: Transaction) => Work<T>): T {
  if (dialectOf(db) !== 'sqlite') throw new Error('sqliteWriteTransaction needs a SQLite database');
  const run = (tx: Transaction): T => driveSync(work(tx), (s) => sqliteStep(tx, s));
  return db.transaction(run as never, { behavior: 'immediate' }) as T;
}
