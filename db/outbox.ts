// The outbox: every event is recorded here, in the transaction of the change it tells about, and this
// process's listeners (the live feed of subscriptions, Slack delivery) are woken once it commits.
// Listeners in other processes sharing the database find the events by re-reading. A database that can
// wake other processes itself (PostgreSQL's NOTIFY, issue 17) would say so in recordEvents, once.
import { and, eq, gt } from 'drizzle-orm';
import { type Db, type Transaction, writeTransaction } from './client.ts';
import { type EventRow, events } from './schema.ts';

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
const recorded = new WeakMap<Transaction, { count: number }>();

const listeners = new WeakMap<Db, Set<() => void>>();

/** Calls `listener` after every transaction of this process that recorded events in `db`. */
export function onEventsWritten(db: Db, listener: () => void): () => void {
  let set = listeners.get(db);
  if (!set) {
    set = new Set();
    listeners.set(db, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

function emitEventsWritten(db: Db): void {
  for (const listener of listeners.get(db) ?? []) listener();
}

/**
 * A write transaction (writeTransaction) in which `work` may record events; once it commits having
 * recorded any, this process's listeners are woken. A transaction that throws rolls back and wakes no one.
 */
export function writeWithEvents<T>(db: Db, work: (tx: Transaction) => T): T {
  let count = 0;
  const result = writeTransaction(db, (tx) => {
    const tally = { count: 0 };
    recorded.set(tx, tally);
    try {
      return work(tx);
    } finally {
      count = tally.count;
      recorded.delete(tx);
    }
  });
  if (count > 0) emitEventsWritten(db);
  return result;
}

/** Records `newEvents` in the transaction `tx`, which writeWithEvents opened. */
export function recordEvents(tx: Transaction, newEvents: readonly OutboxEvent[]): void {
  const tally = recorded.get(tx);
  if (!tally) throw new Error('recordEvents needs a transaction opened by writeWithEvents, which wakes the listeners once it commits');
  for (let i = 0; i < newEvents.length; i += ROWS_PER_INSERT) {
    const rows = newEvents.slice(i, i + ROWS_PER_INSERT).map((event) => ({ ...event, data: event.data ?? {} }));
    tx.insert(events).values(rows).run();
  }
  tally.count += newEvents.length;
}

/** The events of one portal, ready to record. */
export function aboutPortal(portalId: number | null, newEvents: readonly NewEvent[]): OutboxEvent[] {
  return newEvents.map((event) => ({ ...event, portalId }));
}

/** Events after `afterId`, oldest first (of one portal, or all): the outbox as feeds read it. */
export async function readEventsAfter(db: Db, afterId: number, limit: number, portalId?: number): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(and(gt(events.id, afterId), portalId === undefined ? undefined : eq(events.portalId, portalId)))
    .orderBy(events.id)
    .limit(limit);
}
