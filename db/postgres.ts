// Opens a PostgreSQL database (DATABASE_URL): a pool of connections, the committed migrations applied
// once however many replicas start together, and a LISTEN connection that wakes this process when any
// replica records events (db/outbox.ts sends the NOTIFY).
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Db, OpenDatabaseOptions } from './client.ts';
import { projectFile } from './project-files.ts';
import { pgRelations } from './relations.ts';

export const PG_MIGRATIONS_FOLDER = projectFile('db', 'migrations-pg');

/** The channel db/outbox.ts notifies on when a transaction that recorded events commits. */
export const EVENTS_CHANNEL = 'portal_ops_events';

/** The channel db/token-store.ts notifies on when an API token changes (revoked, stamped). */
export const TOKENS_CHANNEL = 'portal_ops_tokens';

/** Advisory lock keys of the product (pg_advisory_lock takes any bigint; these spell "portalops"). */
export const LOCKS = { migrations: 7_073_010_001, events: 7_073_010_002, licenses: 7_073_010_003 } as const;

/**
 * A bigint (count(*), min() of an epoch-millisecond column) as a number, as SQLite answers it: every
 * count and time of ours is far below 2^53. Set in pg's own registry because Drizzle hands pg type
 * parsers of its own with each query, which fall back on that registry for int8; a parser given to
 * the pool alone left Drizzle's count(*) and min() reads strings ("17…" made an Invalid Date).
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

interface PostgresHandle {
  url: string;
  pool: pg.Pool;
  listener?: EventListener;
  /** What the LISTEN connection calls on every replica's events (db/outbox.ts). */
  wakeEvents?: () => void;
  /**
   * Counts what may have changed API tokens: a NOTIFY on the tokens channel, and the LISTEN connection
   * being opened or lost (while it is down, changes go unheard). A reader keeps what it read only if
   * the count did not move while it read.
   */
  tokenChanges: number;
  /** OpenDatabaseOptions.onQuery: Drizzle's statements reach it through the logger, poolQuery's here. */
  onQuery?: (sql: string) => void;
}

const handles = new WeakMap<object, PostgresHandle>();

/** The PostgreSQL server of DATABASE_URL cannot be used at start: the message names it (without its password) and what to check. */
export class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL without its password, to name the database in logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    // Not a URL: whatever follows a colon and precedes an @ may be a password.
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/**
 * The URL pg connects with, and the settings of every connection after any the URL's `options` gives
 * (pg lets the URL's `options` win over the pool's, so it is taken out of the URL and merged here).
 * The named statements of the hot reads (poolQuery's `name`, Drizzle's prepare()) keep one generic
 * plan: by default the server plans them again on every run whenever it guesses a generic plan costs
 * more, which it does for the list page's LIMIT $n (planning took 0.9 ms, running it 0.2 ms).
 * Unnamed statements, all the others, are planned for their values as before.
 */
function connectionOf(url: string): { connectionString: string; options: string } {
  const settings = '-c plan_cache_mode=force_generic_plan';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL pg can read either: it reports that when connecting.
    return { connectionString: url, options: settings };
  }
  const given = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  return { connectionString: parsed.toString(), options: given ? `${given} ${settings}` : settings };
}

export async function openPostgres(url: string, options: OpenDatabaseOptions = {}): Promise<Db> {
  const pool = new pg.Pool({ ...connectionOf(url), max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection the server closed (a restart) reports here; the pool replaces it.
  pool.on('error', () => {});
  try {
    await migrateOnce(pool);
  } catch (error) {
    await pool.end();
    throw new PostgresUnavailableError(
      `PostgreSQL at ${redactUrl(url)} cannot be used: ${(error as Error).message}. Check DATABASE_URL (host, port, user, password, database) and that the server is running and lets this user in.`,
      { cause: error },
    );
  }
  const onQuery = options.onQuery;
  const db = drizzle({ client: pool, relations: pgRelations, ...(onQuery ? { logger: { logQuery: (sql: string) => onQuery(sql) } } : {}) });
  handles.set(db, { url, pool, tokenChanges: 0, ...(onQuery ? { onQuery } : {}) });
  return db as unknown as Db;
}

/**
 * Applies the migrations the database lacks. Replicas starting together each take the same session
 * advisory lock first, so one applies them and the others find them applied.
 */
async function migrateOnce(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCKS.migrations]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: PG_MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [LOCKS.migrations]);
    }
  } finally {
    client.release();
  }
}

export function postgresPool(db: object): pg.Pool | undefined {
  return handles.get(db)?.pool;
}

/**
 * Runs plain SQL with `$1…` parameters on the pool, rows as arrays when `arrays`. With a `name` the
 * statement is prepared on each connection the first time it runs there and executed by name after,
 * which spares the server parsing and planning it again: for the few fixed texts of the hot paths.
 */
export async function poolQuery(db: object, text: string, params: unknown[], arrays = false, name?: string): Promise<{ rows: unknown[]; rowCount: number }> {
  const handle = handles.get(db);
  if (!handle) throw new Error('not a PostgreSQL database opened by openPostgres');
  handle.onQuery?.(text);
  const result = await handle.pool.query({ text, values: params, ...(arrays ? { rowMode: 'array' as const } : {}), ...(name ? { name } : {}) });
  return { rows: result.rows, rowCount: result.rowCount ?? 0 };
}

/**
 * One LISTEN connection per database, started by the first who needs it: every NOTIFY on the events
 * channel (from this replica or another) wakes the events' listeners, and one on the tokens channel
 * counts a token change. A lost connection is opened again after a second; the events' listeners are
 * woken then too, since events may have been written while it was down, and token changes counted.
 */
class EventListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly handle: PostgresHandle) {
    void this.connect(false);
  }

  /** Whether notifications are being heard now. */
  get live(): boolean {
    return this.client !== undefined;
  }

  private async connect(again: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.handle.url });
    client.on('notification', (message) => {
      if (message.channel === TOKENS_CHANNEL) this.handle.tokenChanges += 1;
      else this.handle.wakeEvents?.();
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}; listen ${TOKENS_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.handle.tokenChanges += 1;
      this.client = client;
      if (again) this.handle.wakeEvents?.();
    } catch {
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    this.handle.tokenChanges += 1;
    client.removeAllListeners('end');
    client.removeAllListeners('notification');
    client.on('error', () => {});
    void client.end().catch(() => {});
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect(true);
    }, 1000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.handle.tokenChanges += 1;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}

function listenerOf(handle: PostgresHandle): EventListener {
  handle.listener ??= new EventListener(handle);
  return handle.listener;
}

/** Starts this database's LISTEN connection (once) so that `wake` runs on every replica's events. */
export function listenForEvents(db: object, wake: () => void): void {
  const handle = handles.get(db);
  if (!handle || handle.wakeEvents) return;
  handle.wakeEvents = wake;
  listenerOf(handle);
}

/**
 * Where API token changes stand: `heard` when the LISTEN connection is up (so a change made on any
 * replica reaches this one), and the count of changes so far (see PostgresHandle.tokenChanges).
 * Starts the LISTEN connection on first use.
 */
export function tokenChangesOf(db: object): { heard: boolean; count: number } | undefined {
  const handle = handles.get(db);
  if (!handle) return undefined;
  return { heard: listenerOf(handle).live, count: handle.tokenChanges };
}

export async function closePostgres(db: object): Promise<void> {
  const handle = handles.get(db);
  if (!handle) return;
  handles.delete(db);
  await handle.listener?.stop();
  await handle.pool.end();
}
