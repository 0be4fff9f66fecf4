// Bookkeeping of Slack delivery: which events are done, which wait for a retry, and each portal's
// status message. Only the delivery job writes these tables.
import { and, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { skippingLocked, tablesOf } from './dialect.ts';
import type { EventRow, slackDeliveries } from './schema.ts';
import { exec, row, writeTransaction } from './transaction.ts';

export type DeliveryRow = typeof slackDeliveries.$inferSelect;

export interface PendingEvent {
  event: EventRow;
  delivery: DeliveryRow | null;
  channel: string | null;
}

function undelivered({ slackDeliveries }: ReturnType<typeof tablesOf>) {
  return or(isNull(slackDeliveries.eventId), sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`);
}

function pendingEvents(db: Db) {
  const { events, portals, slackDeliveries } = tablesOf(db);
  return db
    .select({ event: events, delivery: slackDeliveries, channel: portals.notifyChannel })
    .from(events)
    .innerJoin(portals, eq(portals.id, events.portalId))
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id));
}

/**
 * The oldest undelivered event of each portal, when it is due (not waiting for a retry, not held by
 * another process): a portal whose head waits holds back only its own later events.
 */
export async function dueHeads(db: Db, afterId: number, at: Date, limit: number): Promise<PendingEvent[]> {
  const t = tablesOf(db);
  const { events, slackDeliveries } = t;
  const heads = db
    .select({ id: sql`min(${events.id})` })
    .from(events)
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id))
    .where(and(gt(events.id, afterId), isNotNull(events.portalId), undelivered(t)))
    .groupBy(events.portalId);
  return pendingEvents(db)
    .where(
      and(
        inArray(events.id, heads),
        or(isNull(slackDeliveries.nextAttemptAt), lte(slackDeliveries.nextAttemptAt, at)),
        or(isNull(slackDeliveries.leaseUntil), lt(slackDeliveries.leaseUntil, at)),
      ),
    )
    .orderBy(events.id)
    .limit(limit);
}

/** The next undelivered event of a portal after `afterId`. */
export async function nextUndelivered(db: Db, portalId: number, afterId: number): Promise<PendingEvent | undefined> {
  const t = tablesOf(db);
  const { events } = t;
  const [row] = await pendingEvents(db)
    .where(and(eq(events.portalId, portalId), gt(events.id, afterId), undelivered(t)))
    .orderBy(events.id)
    .limit(1);
  return row;
}

/** The smallest id of an event not yet delivered, and when the next retry is due. */
export async function deliveryBacklog(db: Db, afterId: number): Promise<{ oldest: number | undefined; nextAttemptAt: Date | undefined }> {
  const t = tablesOf(db);
  const { events, slackDeliveries } = t;
  const [oldest] = await db
    .select({ id: events.id })
    .from(events)
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id))
    .where(and(gt(events.id, afterId), isNotNull(events.portalId), undelivered(t)))
    .orderBy(events.id)
    .limit(1);
  const [next] = await db
    .select({ at: sql<number | null>`min(${slackDeliveries.nextAttemptAt})` })
    .from(slackDeliveries)
    .where(sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`);
  return { oldest: oldest?.id, nextAttemptAt: next?.at ? new Date(next.at) : undefined };
}

/** Takes an event for `owner` until `until`, unless another process holds it or it is done. */
export async function claimDelivery(db: Db, event: EventRow, owner: string, at: Date, until: Date): Promise<DeliveryRow | undefined> {
  return writeTransaction(db, function* (tx) {
    const { slackDeliveries } = tablesOf(tx);
    yield* exec(tx.insert(slackDeliveries).values({ eventId: event.id, portalId: event.portalId, state: 'PENDING' }).onConflictDoNothing());
    return yield* row(
      tx
        .update(slackDeliveries)
        .set({ leaseOwner: owner, leaseUntil: until })
        .where(
          and(
            eq(slackDeliveries.eventId, event.id),
            sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`,
            or(isNull(slackDeliveries.leaseUntil), lt(slackDeliveries.leaseUntil, at), eq(slackDeliveries.leaseOwner, owner)),
          ),
        )
        .returning(),
    );
  });
}

export async function updateDelivery(
  db: Db,
  eventId: number,
  owner: string,
  changes: Partial<Pick<DeliveryRow, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'deliveredAt' | 'leaseOwner' | 'leaseUntil'>>,
): Promise<void> {
  const { slackDeliveries } = tablesOf(db);
  await db
    .update(slackDeliveries)
    .set(changes)
    .where(and(eq(slackDeliveries.eventId, eventId), eq(slackDeliveries.leaseOwner, owner)));
}

export async function findStatusPost(db: Db, portalId: number) {
  const { slackPosts } = tablesOf(db);
  const [row] = await db.select().from(slackPosts).where(eq(slackPosts.portalId, portalId)).limit(1);
  return row;
}

export async function saveStatusPost(db: Db, portalId: number, channel: string, statusTs: string): Promise<void> {
  const { slackPosts } = tablesOf(db);
  await db.insert(slackPosts).values({ portalId, channel, statusTs }).onConflictDoUpdate({ target: slackPosts.portalId, set: { channel, statusTs } });
}

/** The status message must be edited by `dueAt` (see slack_posts.edit_due_at). */
export async function statusEditDue(db: Db, portalId: number, dueAt: Date): Promise<void> {
  const { slackPosts } = tablesOf(db);
  await db.update(slackPosts).set({ editDueAt: dueAt }).where(eq(slackPosts.portalId, portalId));
}

/**
 * An edit that read the portal at `readAt` went out: nothing is owed any more, unless an event was
 * delivered after that read (its due time, `graceMs` after its delivery, is later than this allows).
 */
export async function statusEdited(db: Db, portalId: number, readAt: Date, graceMs: number): Promise<void> {
  const { slackPosts } = tablesOf(db);
  await db
    .update(slackPosts)
    .set({ editDueAt: null })
    .where(and(eq(slackPosts.portalId, portalId), lte(slackPosts.editDueAt, new Date(readAt.getTime() + graceMs))));
}

/**
 * Takes up to `limit` status messages whose edit is overdue at `at` (the process that owed it died, or
 * the edit failed), each due again at `until`: one replica edits each, and another takes over after.
 */
export async function claimOverdueStatusEdits(db: Db, at: Date, until: Date, limit: number): Promise<number[]> {
  const { slackPosts } = tablesOf(db);
  const overdue = skippingLocked(db, db.select({ portalId: slackPosts.portalId }).from(slackPosts).where(lte(slackPosts.editDueAt, at)).orderBy(slackPosts.editDueAt).limit(limit));
  const claimed = await db
    .update(slackPosts)
    .set({ editDueAt: until })
    .where(and(inArray(slackPosts.portalId, overdue), lte(slackPosts.editDueAt, at)))
    .returning({ portalId: slackPosts.portalId });
  return claimed.map((row) => row.portalId);
}
