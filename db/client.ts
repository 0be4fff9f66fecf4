// Opens the SQLite file, applies the committed migrations and hands out the Drizzle client.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectFile } from './project-files.ts';
import { relations } from './relations.ts';
import Database, { type SqliteDatabase, type SqliteStatement } from './sqlite-driver.ts';

export const MIGRATIONS_FOLDER = projectFile('db', 'migrations');

export interface OpenDatabaseOptions {
  /**
   * Called with every SQL statement run on the connection, each time it runs: Drizzle's, the
   * simulator's prepared reads and the plain SQL of the hot paths alike (on PostgreSQL: Drizzle's
   * statements, BEGIN and COMMIT included, and poolQuery's). Tests and the benchmark count statements
   * with it.
   */
  onQuery?: (sql: string) => void;
  /** PostgreSQL: how many connections this process keeps at most (10 unless given). */
  poolSize?: number;
}

/**
 * The database cannot be used as it is: not a database, damaged, or unreadable. The message names the
 * file and what an operator can do; the process should not start on it.
 */
export class DatabaseFileError extends Error {
  override name = 'DatabaseFileError';
}

const RESTORE_ADVICE =
  'Stop every process using it, move it aside (with any -wal and -shm file beside it) and copy the latest backup ' + '(npm run db:backup) to this path, then start again.';

export function openDatabase(path: string, options: OpenDatabaseOptions = {}) {
  if (path !== ':memory:') createPrivately(resolve(path));
  // Several processes may share one file (the API and a worker); wait for a lock rather than fail.
  const client = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Turning a new file to WAL needs it to itself: SQLite answers "locked" at once, without waiting,
    // while another process is opening it too.
    whileLocked(() => client.pragma('journal_mode = WAL'));
    client.pragma('synchronous = NORMAL');
    client.pragma('foreign_keys = ON');
    if (path !== ':memory:') checkIntegrity(client, path);
  } catch (error) {
    client.close();
    if (error instanceof DatabaseFileError) throw error;
    const code = sqliteCode(error);
    if (code?.startsWith('SQLITE_NOTADB')) {
      throw new DatabaseFileError(`${path} is not a SQLite database (${(error as Error).message}). Check DATABASE_PATH, or restore the database: ${RESTORE_ADVICE}`, { cause: error });
    }
    if (code?.startsWith('SQLITE_CORRUPT')) {
      throw new DatabaseFileError(`${path} is damaged (${(error as Error).message}). ${RESTORE_ADVICE}`, { cause: error });
    }
    throw new DatabaseFileError(`${path} cannot be opened: ${(error as Error).message}.`, { cause: error });
  }
  cacheStatements(client, 200, options.onQuery);
  const db = drizzle({ client, relations });
  migrateShared(db);
  return db;
}

const BUSY_TIMEOUT_MS = 5_000;

/**
 * The database holds e-mails, token hashes and encrypted keys: its folder is made for this user only
 * (0700) and the file is created 0600 before SQLite opens it, so the -wal and -shm files SQLite makes
 * beside it, which take the main file's mode, are 0600 too. A file left readable by others by an
 * earlier version is closed to them.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      // Another process created it a moment ago: it made it private too.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * A damaged page is found now rather than by the first request that reads it, when the answer would
 * be an unexplained error. quick_check reads every page but skips the slower index cross-checks.
 */
function checkIntegrity(client: SqliteDatabase, path: string): void {
  let problems: string[];
  try {
    const rows = client.pragma('quick_check(20)') as Array<{ quick_check: string }>;
    problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  } catch (error) {
    // A page too damaged to walk stops the check itself.
    if (!sqliteCode(error)?.startsWith('SQLITE_CORRUPT')) throw error;
    problems = [(error as Error).message];
  }
  if (problems.length > 0) {
    throw new DatabaseFileError(`${path} is damaged (SQLite's quick_check: ${problems.join('; ')}). ${RESTORE_ADVICE}`);
  }
}

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

function appliedMigrations(client: SqliteDatabase): number {
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
 * The connection's one `prepare`, replacing better-sqlite3's, for every user of the connection
 * (Drizzle, the simulator, the sweeps' plain SQL):
 * - Drizzle asks for every statement anew, and preparing costs more than running a small one: the
 *   last `size` statements are kept by SQL text and handed out again. Raw mode, which Drizzle turns on
 *   for some reads and assumes off for others, is turned off again on every hand-out; a statement still
 *   being iterated is given to no one else (they get one of their own).
 * - Each statement is prepared with its bound LIMIT rewritten (unboundLimits), so SQLite does not
 *   prepare it again on each run.
 * - With `onQuery`, each statement calls it with its SQL (after unboundLimits) each time it runs,
 *   not when prepared: a statement prepared once (the simulator's directory reads) or handed out
 *   again counts each time. Tests and the benchmark count statements with it.
 */
export function cacheStatements(client: SqliteDatabase, size: number, onQuery?: (sql: string) => void): void {
  const prepareText = client.prepare.bind(client);
  const prepare = (source: string) => {
    const statement = prepareText(unboundLimits(source));
    if (onQuery) reportRuns(statement, onQuery);
    return statement;
  };
  const cache = new Map<string, SqliteStatement>();
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

/** Makes each run of `statement` call `onQuery` with its SQL first. */
function reportRuns(statement: SqliteStatement, onQuery: (sql: string) => void): void {
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      onQuery(statement.source);
      return original(...args);
    };
  }
}

export type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * SQLite's answers that say the storage failed rather than the statement: the disk is full, the file
 * or its folder is read-only, an I/O error, another process holding the write lock past the busy
 * timeout, a damaged file. Returns the SQLite error found on the error or its causes (Drizzle wraps it
 * in "Failed query"), or undefined for any other failure.
 */
export function storageFaultOf(error: unknown): (Error & { code: string }) | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); ) {
    seen.add(current);
    const code = sqliteCode(current) ?? postgresFault(current);
    if (code && STORAGE_FAULTS.some((prefix) => code.startsWith(prefix))) return current as Error & { code: string };
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return undefined;
}

const STORAGE_FAULTS = ['PG_', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL', 'SQLITE_CORRUPT', 'SQLITE_NOTADB'];

/**
 * PostgreSQL's answers that say the database cannot serve rather than the statement was wrong: no
 * connection (refused, reset, timed out), the server shutting down, out of disk or memory, a read-only
 * server (a standby), damaged data. Answered as a code starting with PG_ so callers treat them as
 * SQLite's faults.
 */
function postgresFault(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|timeout exceeded when trying to connect/i.test(error.message) ? 'PG_CONNECTION' : undefined;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return 'PG_CONNECTION';
  if (/^(08|53|57P|58)/.test(code) || code === '25006') return `PG_${code}`;
  if (code === 'XX001' || code === 'XX002') return 'PG_CORRUPT';
  return undefined;
}

/** Whether a storage fault is the file being damaged, which waiting will not mend. */
export function isDamage(fault: { code: string }): boolean {
  return fault.code.startsWith('SQLITE_CORRUPT') || fault.code.startsWith('SQLITE_NOTADB') || fault.code === 'PG_CORRUPT';
}
