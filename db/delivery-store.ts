// Bookkeeping of Slack delivery: which events are done, which wait for a retry, and each portal's
// status message. Only the delivery job writes these tables.
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { type EventRow, events, portals, slackDeliveries, slackPosts } from './schema.ts';

export type DeliveryRow = typeof slackDeliveries.$inferSelect;

export interface PendingEvent {
  event: EventRow;
  delivery: DeliveryRow | null;
  channel: string | null;
}

/** Events after `afterId` not yet delivered (due or not), oldest first, with the portal's channel. */
export async function undeliveredEvents(db: Db, afterId: number, limit: number): Promise<PendingEvent[]> {
  const rows = await db
    .select({ event: events, delivery: slackDeliveries, channel: portals.notifyChannel })
    .from(events)
    .innerJoin(portals, eq(portals.id, events.portalId))
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id))
    .where(and(gt(events.id, afterId), or(isNull(slackDeliveries.eventId), sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`)))
    .orderBy(events.id)
    .limit(limit);
  return rows;
}

/** Takes an event for `owner` until `until`, unless another process holds it or it is done. */
export async function claimDelivery(db: Db, event: EventRow, owner: string, at: Date, until: Date): Promise<DeliveryRow | undefined> {
  return db.transaction((tx) => {
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
