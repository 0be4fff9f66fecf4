// Opens the SQLite file, applies the committed migrations and hands out the Drizzle client.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { relations } from './relations.ts';
import { projectFile } from '../core/project-files.ts';

export const MIGRATIONS_FOLDER = projectFile('db', 'migrations');

export interface OpenDatabaseOptions {
  /**
   * Called with every SQL statement run on the connection, each time it runs: Drizzle's, the
   * simulator's prepared reads and the plain SQL of the hot paths alike. Tests and the benchmark
   * count statements with it.
   */
  onQuery?: (sql: string) => void;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}) {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // Several processes may share one file (the API and a worker); wait for a lock rather than fail.
  const client = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  // Turning a new file to WAL needs it to itself: SQLite answers "locked" at once, without waiting,
  // while another process is opening it too.
  whileLocked(() => client.pragma('journal_mode = WAL'));
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  cacheStatements(client, 200);
  if (options.onQuery) countStatements(client, options.onQuery);
  const db = drizzle({ client, relations });
  migrateShared(db);
  return db;
}

/**
 * Calls `onQuery` with the SQL SQLite runs (after unboundLimits) each time a statement of the
 * connection runs. Counted when run, not when prepared: a statement prepared once (the simulator's
 * directory reads) or handed out again by the cache counts each time it runs.
 */
function countStatements(client: Database.Database, onQuery: (sql: string) => void): void {
  const counted = new WeakSet<Database.Statement>();
  const prepare = client.prepare.bind(client);
  client.prepare = ((source: string) => {
    const statement = prepare(source);
    if (!counted.has(statement)) {
      counted.add(statement);
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          onQuery(statement.source);
          return original(...args);
        };
      }
    }
    return statement;
  }) as typeof client.prepare;
}

const BUSY_TIMEOUT_MS = 5_000;

function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Runs `work` again while SQLite answers "locked" without waiting, for at most the busy timeout. */
function whileLocked<T>(work: () => T): T {
  const until = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!isLocked(error) || Date.now() > until) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // opening is synchronous: a short sleep
    }
  }
}

function appliedMigrations(client: Database.Database): number {
  try {
    return (client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
  } catch (error) {
    if (error instanceof Error && /no such table/.test(error.message)) return 0;
    throw error;
  }
}

/**
 * Applies the migrations this file lacks, with other processes opening the same file at the same
 * time (the API and a worker started together on a new file). Drizzle reads which migrations were
 * applied before it takes the write lock, so the slower of two starts would apply the first again
 * and fail on "table already exists". When a migration fails after another process applied some,
 * the list is read again and the rest applied; a failure of the migration itself is thrown. A
 * "locked" that SQLite gives without waiting (a read transaction that cannot become a write) is tried
 * again.
 */
function migrateShared(db: ReturnType<typeof drizzle<typeof relations>>): void {
  const client = db.$client;
  let applied = whileLocked(() => appliedMigrations(client));
  for (;;) {
    try {
      whileLocked(() => migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }));
      return;
    } catch (error) {
      const now = whileLocked(() => appliedMigrations(client));
      if (now <= applied) throw error;
      applied = now;
    }
  }
}

export type Db = ReturnType<typeof openDatabase>;

/**
 * SQLite prepares a statement again on every run when its LIMIT is a bare bound parameter: the query
 * planner reads the value, so binding one expires the plan. Drizzle binds every LIMIT (findFirst's
 * `limit 1` too), so the API token lookup, the page of portals and the Slack user's lookup were parsed
 * and planned anew on each request: 19.8 µs instead of 13.2 for a lookup by key when warm, and most of
 * a 60–80 µs first statement between Slack commands. `limit +?` is the same limit as an expression,
 * which the planner leaves alone. (No SQL of ours has "limit ?" inside a string literal.)
 */
export function unboundLimits(source: string): string {
  return source.replace(/\blimit \?/gi, 'limit +?');
}

/**
 * Drizzle asks better-sqlite3 to prepare every statement anew, and preparing costs more than running
 * a small one. This makes `client.prepare` keep the last `size` statements by SQL text, for every
 * user of the connection (Drizzle, the simulator, the sweeps' plain SQL), each prepared with its
 * bound LIMIT rewritten (unboundLimits). Raw mode, which Drizzle turns on for some reads and assumes
 * off for others, is turned off again on every hand-out; a statement still being iterated is given
 * to no one else (they get one of their own).
 */
export function cacheStatements(client: Database.Database, size: number): void {
  const prepareText = client.prepare.bind(client);
  const prepare = (source: string) => prepareText(unboundLimits(source));
  const cache = new Map<string, Database.Statement>();
  client.prepare = ((source: string) => {
    const kept = cache.get(source);
    if (kept && !kept.busy) {
      // Most recently used last, so the first key is the one to drop.
      cache.delete(source);
      cache.set(source, kept);
      if (kept.reader) kept.raw(false);
      return kept;
    }
    const statement = prepare(source);
    if (!kept) {
      cache.set(source, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
    }
    return statement;
  }) as typeof client.prepare;
}

type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * A write transaction that takes SQLite's write lock at BEGIN. A deferred transaction that reads
 * first and writes later cannot wait for another process's lock (SQLite answers SQLITE_BUSY at once
 * rather than risk a stale read); an immediate one waits up to busy_timeout like any single write.
 */
export function writeTransaction<T>(db: Db, work: (tx: Transaction) => T): T {
  return db.transaction(work as never, { behavior: 'immediate' }) as T;
}

/** Whether the database answers a query now (readiness). */
export function databaseAnswers(db: Db): boolean {
  db.$client.prepare('select 1').get();
  return true;
}
