// The reads /metrics makes at each scrape: portals by status, and Slack delivery's backlog. Plain
// awaited queries in standard SQL (grouped counts, min), so they read the same on any database.
import { and, count, eq, gt, inArray, isNotNull, isNull, min, or } from 'drizzle-orm';
import type { PortalStatus } from '../vocabulary/statuses.ts';
import type { Db } from './client.ts';
import { tablesOf } from './dialect.ts';

/** How many portals are in each status; a status no portal is in is left out. */
export async function countPortalsByStatus(db: Db): Promise<Map<PortalStatus, number>> {
  const { portals } = tablesOf(db);
  const rows = await db.select({ status: portals.status, portals: count() }).from(portals).groupBy(portals.status);
  return new Map(rows.map((row) => [row.status, Number(row.portals)]));
}

export interface DeliveryBacklog {
  /** Events about a portal that Slack delivery has not yet finished with. */
  pending: number;
  /** When the oldest of them was written, if there is one. */
  oldestAt: Date | undefined;
}

/**
 * Slack delivery's backlog among the events after `afterId` (every event up to it is known to be
 * done): those with no delivery yet, or one still pending or being sent.
 */
export async function slackDeliveryBacklog(db: Db, afterId: number): Promise<DeliveryBacklog> {
  const { events, slackDeliveries } = tablesOf(db);
  const [row] = await db
    .select({ pending: count(), oldestAt: min(events.createdAt) })
    .from(events)
    .leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id))
    .where(and(gt(events.id, afterId), isNotNull(events.portalId), or(isNull(slackDeliveries.eventId), inArray(slackDeliveries.state, ['PENDING', 'SENDING']))));
  return { pending: Number(row?.pending ?? 0), oldestAt: row?.oldestAt ?? undefined };
}
