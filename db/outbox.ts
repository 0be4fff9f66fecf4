// The outbox: every event is recorded here, in the transaction of the change it tells about, and this
// process's listeners (the live feed of subscriptions, Slack delivery) are woken once it commits.
// On SQLite, listeners in other processes sharing the file find the events by re-reading. On PostgreSQL
// the transaction also sends a NOTIFY, delivered at commit, that wakes every replica's listeners
// (db/postgres.ts), and event ids are handed out under a lock held to the commit, so events become
// visible in id order and a reader that moves past an id never misses an event below it.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Transaction } from './client.ts';
import { dialectOf, tablesOf } from './dialect.ts';
import { EVENTS_CHANNEL, LOCKS, listenForEvents } from './postgres.ts';
import type { EventRow } from './schema.ts';
import { exec, execSql, type Work, writeTransaction } from './transaction.ts';

/** An event as a writer states it; the outbox adds its id and time. */
export interface NewEvent {
  type: string;
  message: string;
  data?: Record<string, unknown>;
  actor: string;
}

/** An event and the portal it is about (null: about no portal, such as an uploaded certificate). */
export type OutboxEvent = NewEvent & { portalId: number | null };

/** Rows per INSERT: a sweep records thousands of events, SQLite binds at most 32766 values per statement. */
const ROWS_PER_INSERT = 200;

/** How many events each open outbox transaction recorded so far. */
const recorded = new WeakMap<Transaction, { count: number; locked: boolean }>();

const listeners = new WeakMap<Db, Set<() => void>>();

/** Calls `listener` after every transaction of this process that recorded events in `db`. */
export function onEventsWritten(db: Db, listener: () => void): () => void {
  let set = listeners.get(db);
  if (!set) {
    set = new Set();
    listeners.set(db, set);
  }
  set.add(listener);
  if (dialectOf(db) === 'postgres') listenForEvents(db, () => emitEventsWritten(db));
  return () => set.delete(listener);
}

function emitEventsWritten(db: Db): void {
  for (const listener of listeners.get(db) ?? []) listener();
}

/**
 * A write transaction (writeTransaction) in which `work` may record events; once it commits having
 * recorded any, this process's listeners are woken. A transaction that throws rolls back and wakes no one.
 */
export async function writeWithEvents<T>(db: Db, work: (tx: Transaction) => Work<T>): Promise<T> {
  let count = 0;
  const result = await writeTransaction(db, function* (tx) {
    const tally = { count: 0, locked: false };
    recorded.set(tx, tally);
    try {
      return yield* work(tx);
    } finally {
      count = tally.count;
      recorded.delete(tx);
    }
  });
  if (count > 0) emitEventsWritten(db);
  return result;
}

/** Records `newEvents` in the transaction `tx`, which writeWithEvents opened. */
export function* recordEvents(tx: Transaction, newEvents: readonly OutboxEvent[]): Work<void> {
  const tally = recorded.get(tx);
  if (!tally) throw new Error('recordEvents needs a transaction opened by writeWithEvents, which wakes the listeners once it commits');
  if (newEvents.length === 0) return;
  if (dialectOf(tx) === 'postgres' && !tally.locked) {
    // Held to the commit: the next writer's events get higher ids and commit after these. One statement
    // takes the lock and queues the notification, since every other writer waits while this one holds it.
    yield* execSql(sql`select pg_advisory_xact_lock(${LOCKS.events}), pg_notify(${EVENTS_CHANNEL}, '')`);
    tally.locked = true;
  }
  const { events } = tablesOf(tx);
  if (dialectOf(tx) === 'postgres') {
    // One statement whatever the count: each column goes as one array parameter, unnested into rows.
    const column = <T>(pick: (event: OutboxEvent) => T) => sql.param(newEvents.map(pick));
    yield* execSql(
      sql`insert into "events" ("portal_id", "type", "message", "data", "actor")
          select v.portal_id, v.type, v.message, v.data::jsonb, v.actor
            from unnest(${column((e) => e.portalId)}::integer[], ${column((e) => e.type)}::text[], ${column((e) => e.message)}::text[], ${column((e) => JSON.stringify(e.data ?? {}))}::text[], ${column((e) => e.actor)}::text[])
                 with ordinality as v(portal_id, type, message, data, actor, n)
           order by v.n`,
    );
    tally.count += newEvents.length;
    return;
  }
  for (let i = 0; i < newEvents.length; i += ROWS_PER_INSERT) {
    const rows = newEvents.slice(i, i + ROWS_PER_INSERT).map((event) => ({ ...event, data: event.data ?? {} }));
    yield* exec(tx.insert(events).values(rows));
  }
  tally.count += newEvents.length;
}

/** The events of one portal, ready to record. */
export function aboutPortal(portalId: number | null, newEvents: readonly NewEvent[]): OutboxEvent[] {
  return newEvents.map((event) => ({ ...event, portalId }));
}

/** Events after `afterId`, oldest first (of one portal, or all): the outbox as feeds read it. */
export async function readEventsAfter(db: Db, afterId: number, limit: number, portalId?: number): Promise<EventRow[]> {
  const { events } = tablesOf(db);
  return db
    .select()
    .from(events)
    .where(and(gt(events.id, afterId), portalId === undefined ? undefined : eq(events.portalId, portalId)))
    .orderBy(events.id)
    .limit(limit);
}
