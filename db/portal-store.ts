// Reads and writes of portal state. Each write that changes a portal also records its events, in the
// same transaction (db/outbox.ts).

import { and, eq, getTableColumns, inArray, is, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { SQLiteBoolean, type SQLiteColumn, SQLiteTextJson, SQLiteTimestamp } from 'drizzle-orm/sqlite-core';
import type { AddOn } from '../vocabulary/catalog.ts';
import { LICENSE_HOLDING_STATUSES, type PortalStatus } from '../vocabulary/statuses.ts';
import { type Db, type Transaction, writeTransaction } from './client.ts';
import { aboutPortal, type NewEvent, recordEvents, writeWithEvents } from './outbox.ts';
import { type CustomDomainRow, customDomains, type NewPortalRow, type PortalRow, portalAddOns, portals } from './schema.ts';

export async function findPortal(db: Db, id: number): Promise<PortalRow | undefined> {
  const rows = await db.select().from(portals).where(eq(portals.id, id)).limit(1);
  return rows[0];
}

export async function findPortalBySubdomain(db: Db, subdomain: string): Promise<PortalRow | undefined> {
  const rows = await db.select().from(portals).where(sql`lower(${portals.subdomain}) = ${subdomain.toLowerCase()}`).limit(1);
  return rows[0];
}

/** How many portals hold each license now. */
export async function countHeldLicenses(db: Db): Promise<Map<string, number>> {
  return heldLicenses(db);
}

/** How many portals hold each license, read in `db` or inside a transaction. */
function heldLicenses(db: Db | Transaction): Map<string, number> {
  const rows = db
    .select({ licenseId: portals.licenseId, held: sql<number>`count(*)` })
    .from(portals)
    .where(inArray(portals.status, [...LICENSE_HOLDING_STATUSES]))
    .groupBy(portals.licenseId)
    .all();
  return new Map(rows.map((r) => [r.licenseId, r.held]));
}

export type InsertPortalResult = { ok: true; portal: PortalRow } | { ok: false; reason: 'SUBDOMAIN_TAKEN' | 'NO_LICENSE' };

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
  return writeWithEvents(db, (tx): InsertPortalResult => {
    const taken = tx.select({ id: portals.id }).from(portals).where(sql`lower(${portals.subdomain}) = ${values.subdomain.toLowerCase()}`).get();
    if (taken) return { ok: false, reason: 'SUBDOMAIN_TAKEN' };
    const held = heldLicenses(tx);
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
    recordEvents(tx, [{ ...event, portalId: portal.id }]);
    return { ok: true, portal };
  });
}

/** Column values the portal must still have for a change to apply (null means the column is empty). */
export type PortalExpectation = Partial<Pick<PortalRow, 'status' | 'resourceStatus' | 'packageStatus' | 'leaseOwner' | 'termsAcceptedAt' | 'termsRemindedAt' | 'attempt'>>;

export type PortalChanges = Partial<Omit<NewPortalRow, 'id' | 'createdAt'>> & { updatedAt: Date };

/** One condition per expected column: equal to the value, or empty where the value is null. */
export function expectationConditions<T extends Record<string, unknown>>(columns: { [K in keyof T]: SQLiteColumn }, expected: T): SQL[] {
  return Object.entries(expected).map(([key, value]) => {
    const column = columns[key as keyof T];
    return value === null ? isNull(column) : eq(column, value as never);
  });
}

/** One conditional change of a portal, with the events it records. */
export interface PortalWrite {
  id: number;
  /** Columns the portal must still have; when it no longer does, nothing of this write applies. */
  expected: PortalExpectation;
  changes: PortalChanges;
  events: readonly NewEvent[];
  /** Replaces the portal's add-ons when given. */
  addOns?: readonly AddOn[] | undefined;
  /** The portal as the writer read it; when given, the changed row is made from it instead of read back. */
  portal?: PortalRow | undefined;
}

/**
 * Applies `changes` and records `newEvents` in one transaction, only while the portal still matches
 * `expected`; returns undefined (and writes nothing) when it no longer does. This is how two
 * requests or two pollers racing on one portal end with one change and one set of events.
 */
export async function changePortal(
  db: Db,
  id: number,
  expected: PortalExpectation,
  changes: PortalChanges,
  newEvents: readonly NewEvent[],
  addOns?: readonly AddOn[],
): Promise<PortalRow | undefined> {
  const [changed] = await changePortals(db, [{ id, expected, changes, events: newEvents, addOns }]);
  return changed;
}

/**
 * Applies many writes in one transaction, each on its own condition as `changePortal` does: answer i
 * is the changed portal of write i, or undefined where its portal no longer matched. A sweep that
 * moves thousands of portals pays for one commit instead of thousands.
 */
export async function changePortals(db: Db, writes: readonly PortalWrite[]): Promise<Array<PortalRow | undefined>> {
  if (writes.length === 0) return [];
  return writeWithEvents(db, (tx) => {
    const rows = writes.map(({ id, expected, changes, addOns, portal }): PortalRow | undefined => {
      // As Drizzle's set() does, a change left undefined keeps the column's value.
      const defined = definedOnly(changes);
      if (!updatePortalRow(db, id, expected, defined)) return undefined;
      if (addOns) {
        tx.delete(portalAddOns).where(eq(portalAddOns.portalId, id)).run();
        if (addOns.length > 0)
          tx.insert(portalAddOns)
            .values(addOns.map((addOn) => ({ portalId: id, addOn })))
            .run();
      }
      return portal ? { ...portal, ...defined } : tx.select().from(portals).where(eq(portals.id, id)).get();
    });
    recordEvents(
      tx,
      writes.flatMap((write, i) => (rows[i] ? aboutPortal(write.id, write.events) : [])),
    );
    return rows;
  });
}

const portalColumns = getTableColumns(portals) as Record<string, SQLiteColumn>;

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The conditional UPDATE of one portal as plain SQL. Sweeps run it thousands of times; its text
 * depends only on which columns change and which are expected (and which of those must be empty),
 * so the prepared statement is reused (see db/client.ts) and no query builder runs per portal.
 */
function updatePortalRow(db: Db, id: number, expected: PortalExpectation, changes: Partial<PortalChanges>): boolean {
  const set = Object.entries(changes);
  const where = Object.entries(definedOnly(expected));
  const column = (key: string) => {
    const found = portalColumns[key];
    if (!found) throw new Error(`portals has no column ${key}`);
    return found;
  };
  const driverValue = (key: string, value: unknown) => (value === null ? null : column(key).mapToDriverValue(value));
  const text =
    `update "portals" set ${set.map(([key]) => `"${column(key).name}" = ?`).join(', ')} where "id" = ?` +
    where.map(([key, value]) => ` and "${column(key).name}" ${value === null ? 'is null' : '= ?'}`).join('');
  const params = [...set.map(([key, value]) => driverValue(key, value)), id, ...where.filter(([, value]) => value !== null).map(([key, value]) => driverValue(key, value))];
  return db.$client.prepare(text).run(...params).changes === 1;
}

/** The add-ons of each portal, for many portals in one read. */
export async function listAddOnsOf(db: Db, portalIds: readonly number[]): Promise<Map<number, AddOn[]>> {
  const found = new Map<number, AddOn[]>(portalIds.map((id) => [id, []]));
  for (let i = 0; i < portalIds.length; i += 500) {
    const rows = await db
      .select()
      .from(portalAddOns)
      .where(inArray(portalAddOns.portalId, portalIds.slice(i, i + 500)));
    for (const row of rows) found.get(row.portalId)?.push(row.addOn);
  }
  return found;
}

export async function listAddOns(db: Db, portalId: number): Promise<AddOn[]> {
  return (await listAddOnsOf(db, [portalId])).get(portalId) ?? [];
}

/** Which portals a list shows. */
export interface PortalFilter {
  status?: PortalStatus;
  instanceId?: string;
  requestedBy?: string;
}

export type PortalColumn = keyof PortalRow;
export type DomainColumn = keyof CustomDomainRow;

/**
 * A portal as a list reads it: the columns asked for, its add-ons when asked for, and its custom
 * domain (the columns asked for and the host name) when asked for.
 */
export type ListedPortal = Partial<PortalRow> & {
  id: number;
  addOns?: Array<{ addOn: AddOn }>;
  customDomain?: (Partial<CustomDomainRow> & { id: number; hostname: { name: string } }) | null;
};

/** One page of a list, by id: after or before an id, ascending or (for the last ones) descending. */
export interface PortalPage extends PortalFilter {
  afterId?: number;
  beforeId?: number;
  limit: number;
  descending: boolean;
}

/** What of each portal a list reads. */
export interface PortalListColumns {
  portal: readonly PortalColumn[];
  addOns: boolean;
  /** Null: the custom domain is not read. */
  domain: readonly DomainColumn[] | null;
}

interface ListPlan {
  text: string;
  /** Where each value of a result row goes, and how it is read from SQLite's value. */
  portal: Array<{ key: string; decode: (value: unknown) => unknown }>;
  domain: Array<{ key: string; decode: (value: unknown) => unknown }>;
  addOns: boolean;
}

const domainColumns = getTableColumns(customDomains);
const FILTERS = [
  ['status', 'status = ?'],
  ['instanceId', 'instance_id = ?'],
  ['requestedBy', 'requested_by = ?'],
  ['afterId', 'id > ?'],
  ['beforeId', 'id < ?'],
] as const;

/** How a value SQLite hands back is read for a column, as Drizzle reads it: times, booleans, JSON. */
function decoderOf(column: SQLiteColumn): (value: unknown) => unknown {
  if (is(column, SQLiteTimestamp)) {
    const scale = column.mode === 'timestamp' ? 1000 : 1;
    return (value) => (value === null ? null : new Date((value as number) * scale));
  }
  if (is(column, SQLiteBoolean)) return (value) => (value === null ? null : value === 1);
  if (is(column, SQLiteTextJson)) return (value) => (value === null ? null : JSON.parse(value as string));
  return (value) => (value === null ? null : column.mapFromDriverValue(value));
}

function listPlan(page: PortalPage, read: PortalListColumns): ListPlan {
  const portalKeys = [...new Set<PortalColumn>(['id', ...read.portal])];
  const domainKeys = read.domain ? [...new Set<DomainColumn>(['id', ...read.domain])] : [];
  const select = [
    ...portalKeys.map((key) => `p."${portalColumns[key]!.name}"`),
    ...(read.addOns ? ['(select group_concat(a.add_on) from portal_add_ons a where a.portal_id = p.id)'] : []),
    ...(read.domain ? [...domainKeys.map((key) => `d."${domainColumns[key].name}"`), 'h.name'] : []),
  ];
  const where = FILTERS.filter(([key]) => page[key] !== undefined).map(([, condition]) => `p.${condition}`);
  return {
    text:
      `select ${select.join(', ')} from portals p` +
      (read.domain ? ' left join custom_domains d on d.portal_id = p.id left join hostnames h on h.id = d.hostname_id' : '') +
      (where.length ? ` where ${where.join(' and ')}` : '') +
      ` order by p.id ${page.descending ? 'desc' : 'asc'} limit ?`,
    portal: portalKeys.map((key) => ({ key, decode: decoderOf(portalColumns[key]!) })),
    domain: domainKeys.map((key) => ({ key, decode: decoderOf(domainColumns[key]) })),
    addOns: read.addOns,
  };
}

/** The list plans of this process, by shape: which filters, which direction, which columns. */
const listPlans = new Map<string, ListPlan>();

/**
 * A page of portals, reading only what is asked of them, in one statement: the portal's columns, its
 * add-ons and its custom domain with the host name. The statement is planned once per shape of page
 * and kept prepared (see cacheStatements), and its rows are turned into objects here, column by column,
 * rather than by a general mapper: a list read costs SQLite's time and little more.
 */
export async function listPortalPage(db: Db, page: PortalPage, read: PortalListColumns): Promise<ListedPortal[]> {
  const shape = `${FILTERS.map(([key]) => (page[key] === undefined ? '-' : '+')).join('')}${page.descending ? 'd' : 'a'}|${read.portal.join()}|${read.addOns}|${read.domain?.join() ?? '-'}`;
  let plan = listPlans.get(shape);
  if (!plan) {
    plan = listPlan(page, read);
    listPlans.set(shape, plan);
    if (listPlans.size > 500) listPlans.delete(listPlans.keys().next().value as string);
  }
  const params = [...FILTERS.flatMap(([key]) => (page[key] === undefined ? [] : [page[key]])), page.limit];
  const rows = db.$client
    .prepare(plan.text)
    .raw(true)
    .all(...params) as unknown[][];
  const { portal, domain, addOns } = plan;
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    let i = 0;
    for (; i < portal.length; i++) row[portal[i]!.key] = portal[i]!.decode(values[i]);
    if (addOns) {
      const list = values[i++] as string | null;
      row.addOns = list ? list.split(',').map((addOn) => ({ addOn })) : [];
    }
    if (domain.length > 0) {
      if (values[i] === null) row.customDomain = null;
      else {
        const found: Record<string, unknown> = {};
        for (const column of domain) found[column.key] = column.decode(values[i++]);
        found.hostname = { name: values[i] };
        row.customDomain = found;
      }
    }
    return row as ListedPortal;
  });
}

/** How many portals a list would show in all. */
export async function countPortals(db: Db, filter: PortalFilter): Promise<number> {
  return db.$count(
    portals,
    and(
      filter.status !== undefined ? eq(portals.status, filter.status) : undefined,
      filter.instanceId !== undefined ? eq(portals.instanceId, filter.instanceId) : undefined,
      filter.requestedBy !== undefined ? eq(portals.requestedBy, filter.requestedBy) : undefined,
    ),
  );
}

/**
 * Claims up to `limit` configuring portals that are due, for `owner`, until `leaseUntil`. It is one
 * UPDATE statement, which SQLite runs alone: two pollers never hold the same portal at once.
 */
export async function claimDuePortals(db: Db, owner: string, at: Date, leaseUntil: Date, limit: number): Promise<PortalRow[]> {
  const claimable = and(eq(portals.status, 'CONFIGURING'), lte(sql`coalesce(${portals.nextPollAt}, 0)`, at.getTime()), or(isNull(portals.leaseUntil), lt(portals.leaseUntil, at)));
  const due = db.select({ id: portals.id }).from(portals).where(claimable).orderBy(portals.nextPollAt).limit(limit);
  return db
    .update(portals)
    .set({ leaseOwner: owner, leaseUntil })
    .where(and(inArray(portals.id, due), claimable))
    .returning();
}

/** Lets go of portals still held by `owner`, to be looked at again at `nextPollAt`. */
export async function releasePortals(db: Db, ids: readonly number[], owner: string, nextPollAt: Date): Promise<void> {
  if (ids.length === 0) return;
  writeTransaction(db, (tx) => {
    for (let i = 0; i < ids.length; i += 500) {
      tx.update(portals)
        .set({ leaseOwner: null, leaseUntil: null, nextPollAt, pollFailures: 0 })
        .where(and(inArray(portals.id, ids.slice(i, i + 500)), eq(portals.leaseOwner, owner)))
        .run();
    }
  });
}

/** When the next configuring portal is due for a look, if any is. */
export async function nextDueAt(db: Db): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<number | null>`min(coalesce(${portals.nextPollAt}, 0))` })
    .from(portals)
    .where(eq(portals.status, 'CONFIGURING'));
  return row?.at === null || row?.at === undefined ? undefined : new Date(row.at);
}

/** Portals waiting for their terms whose reminder or expiry is due at `at`, given the two delays. */
function termsDue(at: Date, expiryMs: number, remindAfterMs: number) {
  return and(
    eq(portals.status, 'AWAITING_TERMS'),
    or(lte(portals.createdAt, new Date(at.getTime() - expiryMs)), and(isNull(portals.termsRemindedAt), lte(portals.createdAt, new Date(at.getTime() - remindAfterMs)))),
  );
}

/**
 * Claims up to `limit` portals waiting for their terms whose reminder or expiry is due, for `owner`
 * until `leaseUntil`: one UPDATE, so two processes never hold the same portal at once.
 */
export async function claimTermsDue(db: Db, owner: string, at: Date, leaseUntil: Date, limit: number, delays: { expiryMs: number; remindAfterMs: number }): Promise<PortalRow[]> {
  const claimable = and(termsDue(at, delays.expiryMs, delays.remindAfterMs), or(isNull(portals.leaseUntil), lt(portals.leaseUntil, at)));
  const due = db.select({ id: portals.id }).from(portals).where(claimable).orderBy(portals.createdAt).limit(limit);
  return db
    .update(portals)
    .set({ leaseOwner: owner, leaseUntil })
    .where(and(inArray(portals.id, due), claimable))
    .returning();
}

/** Lets go of portals still held by `owner`, whatever became of them. */
export async function releaseLeases(db: Db, ids: readonly number[], owner: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(portals)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(inArray(portals.id, ids.slice(i, i + 500)), eq(portals.leaseOwner, owner)));
  }
}

/** When the next reminder or expiry of a portal waiting for its terms is due, if any is. */
export async function nextTermsDueAt(db: Db, delays: { expiryMs: number; remindAfterMs: number }): Promise<Date | undefined> {
  const [row] = await db
    .select({
      at: sql<number | null>`min(${portals.createdAt} + case when ${portals.termsRemindedAt} is null then ${delays.remindAfterMs} else ${delays.expiryMs} end)`,
    })
    .from(portals)
    .where(eq(portals.status, 'AWAITING_TERMS'));
  return row?.at === null || row?.at === undefined ? undefined : new Date(row.at);
}
