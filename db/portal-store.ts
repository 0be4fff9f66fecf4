// Reads and writes of portal state. Each write that changes a portal also records its event, in the
// same transaction (the events table is the outbox).
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AddOn } from '../core/catalog.ts';
import { LICENSE_HOLDING_STATUSES } from '../core/status.ts';
import type { Db } from './client.ts';
import { type EventRow, events, type NewPortalRow, type PortalRow, portalAddOns, portals } from './schema.ts';

export interface NewEvent {
  type: string;
  message: string;
  data?: Record<string, unknown>;
  actor: string;
}

export async function findPortal(db: Db, id: number): Promise<PortalRow | undefined> {
  const rows = await db.select().from(portals).where(eq(portals.id, id)).limit(1);
  return rows[0];
}

export async function findPortalBySubdomain(db: Db, subdomain: string): Promise<PortalRow | undefined> {
  const rows = await db
    .select()
    .from(portals)
    .where(sql`lower(${portals.subdomain}) = ${subdomain.toLowerCase()}`)
    .limit(1);
  return rows[0];
}

/** How many portals hold each license now. */
export async function countHeldLicenses(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ licenseId: portals.licenseId, held: sql<number>`count(*)` })
    .from(portals)
    .where(inArray(portals.status, [...LICENSE_HOLDING_STATUSES]))
    .groupBy(portals.licenseId);
  return new Map(rows.map((r) => [r.licenseId, r.held]));
}

export type InsertPortalResult =
  | { ok: true; portal: PortalRow }
  | { ok: false; reason: 'SUBDOMAIN_TAKEN' | 'NO_LICENSE' };

/**
 * Creates a portal holding the first license in `licenses` that still has a free seat. The seat
 * count and the subdomain are checked inside the write transaction, so two requests racing for the
 * last license or the same subdomain cannot both win.
 */
export async function insertPortal(
  db: Db,
  values: Omit<NewPortalRow, 'licenseId' | 'type'>,
  addOns: readonly AddOn[],
  licenses: ReadonlyArray<{ id: string; type: NewPortalRow['type']; quantity: number }>,
  event: NewEvent,
): Promise<InsertPortalResult> {
  return db.transaction((tx): InsertPortalResult => {
    const taken = tx
      .select({ id: portals.id })
      .from(portals)
      .where(sql`lower(${portals.subdomain}) = ${values.subdomain.toLowerCase()}`)
      .get();
    if (taken) return { ok: false, reason: 'SUBDOMAIN_TAKEN' };
    const held = new Map(
      tx
        .select({ licenseId: portals.licenseId, held: sql<number>`count(*)` })
        .from(portals)
        .where(inArray(portals.status, [...LICENSE_HOLDING_STATUSES]))
        .groupBy(portals.licenseId)
        .all()
        .map((r) => [r.licenseId, r.held]),
    );
    const license = licenses.find((l) => (held.get(l.id) ?? 0) < l.quantity);
    if (!license) return { ok: false, reason: 'NO_LICENSE' };
    const portal = tx
      .insert(portals)
      .values({ ...values, licenseId: license.id, type: license.type })
      .returning()
      .get();
    if (addOns.length > 0) {
      tx.insert(portalAddOns)
        .values(addOns.map((addOn) => ({ portalId: portal.id, addOn })))
        .run();
    }
    tx.insert(events)
      .values({ ...event, data: event.data ?? {}, portalId: portal.id })
      .run();
    return { ok: true, portal };
  });
}

/** Applies `changes` only while the portal is still in `expectedStatus`; returns undefined otherwise. */
export async function updatePortal(
  db: Db,
  id: number,
  expected: { status: PortalRow['status'] },
  changes: Partial<Pick<PortalRow, 'name' | 'status' | 'resourceStatus' | 'packageStatus'>> & { updatedAt: Date },
  event: NewEvent,
): Promise<PortalRow | undefined> {
  return db.transaction((tx) => {
    const portal = tx
      .update(portals)
      .set(changes)
      .where(and(eq(portals.id, id), eq(portals.status, expected.status)))
      .returning()
      .get();
    if (!portal) return undefined;
    tx.insert(events)
      .values({ ...event, data: event.data ?? {}, portalId: id })
      .run();
    return portal;
  });
}

export async function listAddOns(db: Db, portalId: number): Promise<AddOn[]> {
  const rows = await db.select({ addOn: portalAddOns.addOn }).from(portalAddOns).where(eq(portalAddOns.portalId, portalId));
  return rows.map((r) => r.addOn);
}

export async function listEvents(db: Db, portalId: number): Promise<EventRow[]> {
  return db.select().from(events).where(eq(events.portalId, portalId)).orderBy(events.id);
}
