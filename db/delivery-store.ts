// Bookkeeping of Slack delivery: which events are done, which wait for a retry, and each portal's
// status message. Only the delivery job writes these tables.
import { and, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { type Db, writeTransaction } from './client.ts';
import { type EventRow, events, portals, slackDeliveries, slackPosts } from './schema.ts';

export type DeliveryRow = typeof slackDeliveries.$inferSelect;

export interface PendingEvent {
  event: EventRow;
  delivery: DeliveryRow | null;
  channel: string | null;
}

const UNDELIVERED = or(isNull(slackDeliveries.eventId), sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`);

function pendingEvents(db: Db) {
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
  const heads = db
    .select({ id: sql`min(${events.id})` })
    .from(events)
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id))
    .where(and(gt(events.id, afterId), isNotNull(events.portalId), UNDELIVERED))
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
  const [row] = await pendingEvents(db)
    .where(and(eq(events.portalId, portalId), gt(events.id, afterId), UNDELIVERED))
    .orderBy(events.id)
    .limit(1);
  return row;
}

/** The smallest id of an event not yet delivered, and when the next retry is due. */
export async function deliveryBacklog(db: Db, afterId: number): Promise<{ oldest: number | undefined; nextAttemptAt: Date | undefined }> {
  const [oldest] = await db
    .select({ id: events.id })
    .from(events)
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id))
    .where(and(gt(events.id, afterId), isNotNull(events.portalId), UNDELIVERED))
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
  return writeTransaction(db, (tx) => {
    tx.insert(slackDeliveries).values({ eventId: event.id, portalId: event.portalId, state: 'PENDING' }).onConflictDoNothing().run();
    return tx
      .update(slackDeliveries)
      .set({ leaseOwner: owner, leaseUntil: until })
      .where(
        and(
          eq(slackDeliveries.eventId, event.id),
          sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`,
          or(isNull(slackDeliveries.leaseUntil), lt(slackDeliveries.leaseUntil, at), eq(slackDeliveries.leaseOwner, owner)),
        ),
      )
      .returning()
      .get();
  });
}

export async function updateDelivery(
  db: Db,
  eventId: number,
  owner: string,
  changes: Partial<Pick<DeliveryRow, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'deliveredAt' | 'leaseOwner' | 'leaseUntil'>>,
): Promise<void> {
  await db
    .update(slackDeliveries)
    .set(changes)
    .where(and(eq(slackDeliveries.eventId, eventId), eq(slackDeliveries.leaseOwner, owner)));
}

export async function findStatusPost(db: Db, portalId: number) {
  const [row] = await db.select().from(slackPosts).where(eq(slackPosts.portalId, portalId)).limit(1);
  return row;
}

export async function saveStatusPost(db: Db, portalId: number, channel: string, statusTs: string): Promise<void> {
  await db.insert(slackPosts).values({ portalId, channel, statusTs }).onConflictDoUpdate({ target: slackPosts.portalId, set: { channel, statusTs } });
}

export async function markStatusPost(db: Db, portalId: number, stale: boolean): Promise<void> {
  await db.update(slackPosts).set({ stale }).where(eq(slackPosts.portalId, portalId));
}

export async function staleStatusPosts(db: Db, limit: number) {
  return db.select().from(slackPosts).where(eq(slackPosts.stale, true)).limit(limit);
}
