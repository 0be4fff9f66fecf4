// Reads and writes of portal state. Each write that changes a portal also records its events, in the
// same transaction (db/outbox.ts).

import { and, eq, getTableColumns, inArray, is, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { SQLiteBoolean, type SQLiteColumn, SQLiteTextJson, SQLiteTimestamp } from 'drizzle-orm/sqlite-core';
import type { AddOn } from '../vocabulary/catalog.ts';
import { LICENSE_HOLDING_STATUSES, type PortalStatus } from '../vocabulary/statuses.ts';
import type { Db, Transaction } from './client.ts';
import { type Dialect, dialectOf, skippingLocked, tablesOf } from './dialect.ts';
import { aboutPortal, type NewEvent, recordEvents, writeWithEvents } from './outbox.ts';
import { LOCKS, poolQuery } from './postgres.ts';
import { type CustomDomainRow, customDomains, type NewPortalRow, type PortalRow, portals as portalsTable } from './schema.ts';
import { portals as pgPortals } from './schema-pg.ts';
import { exec, execSql, row, rows, sqlRows, type Work, writeTransaction } from './transaction.ts';

export async function findPortal(db: Db, id: number): Promise<PortalRow | undefined> {
  const { portals } = tablesOf(db);
  const rows = await db.select().from(portals).where(eq(portals.id, id)).limit(1);
  return rows[0];
}

export async function findPortalBySubdomain(db: Db, subdomain: string): Promise<PortalRow | undefined> {
  const { portals } = tablesOf(db);
  const rows = await db.select().from(portals).where(sql`lower(${portals.subdomain}) = ${subdomain.toLowerCase()}`).limit(1);
  return rows[0];
}

/** How many portals hold each license now. */
export async function countHeldLicenses(db: Db): Promise<Map<string, number>> {
  return licenseMap(await heldLicensesQuery(db));
}

function heldLicensesQuery(db: Db | Transaction) {
  const { portals } = tablesOf(db);
  return db
    .select({ licenseId: portals.licenseId, held: sql<number>`count(*)` })
    .from(portals)
    .where(inArray(portals.status, [...LICENSE_HOLDING_STATUSES]))
    .groupBy(portals.licenseId);
}

const licenseMap = (held: Array<{ licenseId: string; held: number }>) => new Map(held.map((r) => [r.licenseId, Number(r.held)]));

/** How many portals hold each license, read inside a transaction. */
function* heldLicenses(tx: Transaction): Work<Map<string, number>> {
  return licenseMap(yield* rows(heldLicensesQuery(tx)));
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
  return writeWithEvents(db, function* (tx): Work<InsertPortalResult> {
    const { portals, portalAddOns } = tablesOf(tx);
    // PostgreSQL: requests on every replica count the seats one at a time (SQLite's write lock does it there).
    if (dialectOf(tx) === 'postgres') yield* execSql(sql`select pg_advisory_xact_lock(${LOCKS.licenses})`);
    const taken = yield* row(tx.select({ id: portals.id }).from(portals).where(sql`lower(${portals.subdomain}) = ${values.subdomain.toLowerCase()}`));
    if (taken) return { ok: false, reason: 'SUBDOMAIN_TAKEN' };
    const held = yield* heldLicenses(tx);
    const license = licenses.find((l) => (held.get(l.id) ?? 0) < l.quantity);
    if (!license) return { ok: false, reason: 'NO_LICENSE' };
    const portal = yield* row(
      tx
        .insert(portals)
        .values({ ...values, licenseId: license.id, type: license.type })
        .returning(),
    );
    if (!portal) throw new Error('the portal was not stored');
    if (addOns.length > 0) yield* exec(tx.insert(portalAddOns).values(addOns.map((addOn) => ({ portalId: portal.id, addOn }))));
    yield* recordEvents(tx, [{ ...event, portalId: portal.id }]);
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
  return writeWithEvents(db, function* (tx) {
    const changed = dialectOf(tx) === 'postgres' ? yield* applyPortalWritesInBatches(tx, writes) : yield* applyEach(tx, writes);
    yield* recordEvents(
      tx,
      writes.flatMap((write, i) => (changed[i] ? aboutPortal(write.id, write.events) : [])),
    );
    return changed;
  });
}

function* applyEach(tx: Transaction, writes: readonly PortalWrite[]): Work<Array<PortalRow | undefined>> {
  const changed: Array<PortalRow | undefined> = [];
  for (const write of writes) changed.push(yield* applyPortalWrite(tx, write));
  return changed;
}

/** Rows per batched UPDATE on PostgreSQL. */
const ROWS_PER_UPDATE = 1000;

/**
 * PostgreSQL: the writes in few statements rather than one round trip each. Writes that change the
 * same columns on the same expectations share one UPDATE … FROM unnest(…), each row still on its own
 * condition; RETURNING tells which applied, with the changed rows. (SQLite runs each UPDATE in
 * process, where one statement per portal costs nothing more.) Writes that replace add-ons, and all
 * of them when a portal appears twice, run one by one in order.
 */
function* applyPortalWritesInBatches(tx: Transaction, writes: readonly PortalWrite[]): Work<Array<PortalRow | undefined>> {
  if (new Set(writes.map((w) => w.id)).size !== writes.length) return yield* applyEach(tx, writes);
  const changed: Array<PortalRow | undefined> = new Array(writes.length).fill(undefined);
  const groups = new Map<string, number[]>();
  for (const [i, write] of writes.entries()) {
    if (write.addOns) {
      changed[i] = yield* applyPortalWrite(tx, write);
      continue;
    }
    const shape = shapeOf(write);
    const group = groups.get(shape);
    if (group) group.push(i);
    else groups.set(shape, [i]);
  }
  for (const indexes of groups.values()) {
    for (let from = 0; from < indexes.length; from += ROWS_PER_UPDATE) {
      const chunk = indexes.slice(from, from + ROWS_PER_UPDATE);
      const batch = chunk.map((i) => writes[i] as PortalWrite);
      // As applyPortalWrite does, a write that carries its portal gets it back changed rather than read back.
      const readBack = batch.some((write) => !write.portal);
      const returned = yield* sqlRows(batchedUpdate(batch, readBack));
      const applied = new Map(returned.map((raw) => [Number(raw.id), raw]));
      for (const [k, write] of batch.entries()) {
        const raw = applied.get(write.id);
        if (raw) changed[chunk[k] as number] = write.portal ? { ...write.portal, ...definedOnly(write.changes) } : portalFromPostgres(raw);
      }
    }
  }
  return changed;
}

/** Which columns a write changes and expects (and which it expects empty): writes of one shape share a statement. */
function shapeOf({ expected, changes }: PortalWrite): string {
  const set = Object.keys(definedOnly(changes)).sort();
  const expects = Object.entries(definedOnly(expected))
    .map(([key, value]) => (value === null ? `${key}=null` : key))
    .sort();
  return `${set.join()}|${expects.join()}`;
}

const pgPortalColumns = getTableColumns(pgPortals) as Record<string, PgColumn>;

function pgColumn(key: string): PgColumn {
  const found = pgPortalColumns[key];
  if (!found) throw new Error(`portals has no column ${key}`);
  return found;
}

/**
 * One UPDATE for writes of one shape: each column's values go as one array parameter, unnested into
 * rows, so the statement's text and its parameters stay few however many portals it changes.
 */
function batchedUpdate(writes: readonly PortalWrite[], readBack: boolean): SQL {
  const first = writes[0] as PortalWrite;
  const setKeys = Object.keys(definedOnly(first.changes)).sort();
  const expectedEntries = Object.entries(definedOnly(first.expected)).sort(([a], [b]) => a.localeCompare(b));
  const compared = expectedEntries.filter(([, value]) => value !== null).map(([key]) => key);
  const empty = expectedEntries.filter(([, value]) => value === null).map(([key]) => key);
  const array = (key: string, values: unknown[]) => {
    const column = pgColumn(key);
    return sql`${sql.param(values.map((value) => (value === null || value === undefined ? null : column.mapToDriverValue(value))))}::${sql.raw(column.getSQLType())}[]`;
  };
  const arrays = [
    sql`${sql.param(writes.map((write) => write.id))}::integer[]`,
    ...setKeys.map((key) =>
      array(
        key,
        writes.map((write) => (write.changes as Record<string, unknown>)[key]),
      ),
    ),
    ...compared.map((key) =>
      array(
        key,
        writes.map((write) => (write.expected as Record<string, unknown>)[key]),
      ),
    ),
  ];
  const names = ['id', ...setKeys.map((_, k) => `s${k}`), ...compared.map((_, k) => `e${k}`)];
  const assignments = setKeys.map((key, k) => sql`${sql.identifier(pgColumn(key).name)} = v.${sql.identifier(`s${k}`)}`);
  const conditions = [
    ...compared.map((key, k) => sql` and p.${sql.identifier(pgColumn(key).name)} = v.${sql.identifier(`e${k}`)}`),
    ...empty.map((key) => sql` and p.${sql.identifier(pgColumn(key).name)} is null`),
  ];
  return sql`update "portals" as p set ${sql.join(assignments, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as v(${sql.raw(names.map((n) => `"${n}"`).join(', '))}) where p."id" = v."id"${sql.join(conditions)} returning ${sql.raw(readBack ? 'p.*' : 'p."id"')}`;
}

/** A portal row as PostgreSQL hands it back to plain SQL, read as Drizzle reads it. */
function portalFromPostgres(raw: Record<string, unknown>): PortalRow {
  const portal: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(pgPortalColumns)) {
    const value = raw[column.name];
    portal[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return portal as PortalRow;
}

function* applyPortalWrite(tx: Transaction, { id, expected, changes, addOns, portal }: PortalWrite): Work<PortalRow | undefined> {
  const { portals, portalAddOns } = tablesOf(tx);
  // As Drizzle's set() does, a change left undefined keeps the column's value.
  const defined = definedOnly(changes);
  if ((yield* execSql(updatePortalRow(id, expected, defined))) !== 1) return undefined;
  if (addOns) {
    yield* exec(tx.delete(portalAddOns).where(eq(portalAddOns.portalId, id)));
    if (addOns.length > 0) yield* exec(tx.insert(portalAddOns).values(addOns.map((addOn) => ({ portalId: id, addOn }))));
  }
  return portal ? { ...portal, ...defined } : yield* row(tx.select().from(portals).where(eq(portals.id, id)));
}

const portalColumns = getTableColumns(portalsTable) as Record<string, SQLiteColumn>;

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The conditional UPDATE of one portal as plain SQL. Sweeps run it thousands of times; its text
 * depends only on which columns change and which are expected (and which of those must be empty),
 * so SQLite's prepared statement is reused (see db/client.ts) and no query builder runs per portal.
 * Portals have no column whose stored value differs between the two databases (times are
 * milliseconds in both), so one mapping of the values serves both.
 */
function updatePortalRow(id: number, expected: PortalExpectation, changes: Partial<PortalChanges>): SQL {
  const column = (key: string) => {
    const found = portalColumns[key];
    if (!found) throw new Error(`portals has no column ${key}`);
    return found;
  };
  const value = (key: string, v: unknown) => (v === null ? sql`null` : sql`${column(key).mapToDriverValue(v)}`);
  const set = Object.entries(changes).map(([key, v]) => sql`${sql.identifier(column(key).name)} = ${value(key, v)}`);
  const where = Object.entries(definedOnly(expected)).map(([key, v]) =>
    v === null ? sql` and ${sql.identifier(column(key).name)} is null` : sql` and ${sql.identifier(column(key).name)} = ${value(key, v)}`,
  );
  return sql`update "portals" set ${sql.join(set, sql`, `)} where "id" = ${id}${sql.join(where)}`;
}

/** The add-ons of each portal, for many portals in one read. */
export async function listAddOnsOf(db: Db, portalIds: readonly number[]): Promise<Map<number, AddOn[]>> {
  const { portalAddOns } = tablesOf(db);
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
  /** PostgreSQL: the name the statement is prepared under (the first shapes of the process only). */
  name: string | undefined;
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
  // SQLite answers 0/1 and JSON text; PostgreSQL booleans and parsed JSON.
  if (is(column, SQLiteBoolean)) return (value) => (value === null ? null : value === 1 || value === true);
  if (is(column, SQLiteTextJson)) return (value) => (value === null ? null : typeof value === 'string' ? JSON.parse(value) : value);
  return (value) => (value === null ? null : column.mapFromDriverValue(value));
}

function listPlan(page: PortalPage, read: PortalListColumns, dialect: Dialect): ListPlan {
  let parameters = 0;
  const placeholder = () => (dialect === 'postgres' ? `$${++parameters}` : '?');
  const portalKeys = [...new Set<PortalColumn>(['id', ...read.portal])];
  const domainKeys = read.domain ? [...new Set<DomainColumn>(['id', ...read.domain])] : [];
  const select = [
    ...portalKeys.map((key) => `p."${portalColumns[key]!.name}"`),
    ...(read.addOns ? [`(select ${dialect === 'postgres' ? "string_agg(a.add_on, ',')" : 'group_concat(a.add_on)'} from portal_add_ons a where a.portal_id = p.id)`] : []),
    ...(read.domain ? [...domainKeys.map((key) => `d."${domainColumns[key].name}"`), 'h.name'] : []),
  ];
  const where = FILTERS.filter(([key]) => page[key] !== undefined).map(([, condition]) => `p.${condition.replace('?', placeholder())}`);
  return {
    text:
      `select ${select.join(', ')} from portals p` +
      (read.domain ? ' left join custom_domains d on d.portal_id = p.id left join hostnames h on h.id = d.hostname_id' : '') +
      (where.length ? ` where ${where.join(' and ')}` : '') +
      ` order by p.id ${page.descending ? 'desc' : 'asc'} limit ${placeholder()}`,
    // A prepared statement lives as long as its connection: only so many shapes get one, so a client
    // asking for ever new selections of fields cannot grow the server's memory without end.
    name: dialect === 'postgres' && namedPlans < NAMED_PLANS ? `portal_page_${++namedPlans}` : undefined,
    portal: portalKeys.map((key) => ({ key, decode: decoderOf(portalColumns[key]!) })),
    domain: domainKeys.map((key) => ({ key, decode: decoderOf(domainColumns[key]) })),
    addOns: read.addOns,
  };
}

/** How many list plans were given a prepared statement on PostgreSQL, and how many may be. */
let namedPlans = 0;
const NAMED_PLANS = 200;

/** The list plans of this process, by shape: which filters, which direction, which columns. */
const listPlans = new Map<string, ListPlan>();

/**
 * A page of portals, reading only what is asked of them, in one statement: the portal's columns, its
 * add-ons and its custom domain with the host name. The statement is planned once per shape of page
 * and kept prepared (see cacheStatements), and its rows are turned into objects here, column by column,
 * rather than by a general mapper: a list read costs SQLite's time and little more.
 */
export async function listPortalPage(db: Db, page: PortalPage, read: PortalListColumns): Promise<ListedPortal[]> {
  const dialect = dialectOf(db);
  const shape = `${dialect}|${FILTERS.map(([key]) => (page[key] === undefined ? '-' : '+')).join('')}${page.descending ? 'd' : 'a'}|${read.portal.join()}|${read.addOns}|${read.domain?.join() ?? '-'}`;
  let plan = listPlans.get(shape);
  if (!plan) {
    plan = listPlan(page, read, dialect);
    listPlans.set(shape, plan);
    if (listPlans.size > 500) listPlans.delete(listPlans.keys().next().value as string);
  }
  const params = [...FILTERS.flatMap(([key]) => (page[key] === undefined ? [] : [page[key]])), page.limit];
  const rows = (
    dialect === 'postgres'
      ? (await poolQuery(db, plan.text, params, true, plan.name)).rows
      : db.$client
          .prepare(plan.text)
          .raw(true)
          .all(...params)
  ) as unknown[][];
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
  const { portals } = tablesOf(db);
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
  const { portals } = tablesOf(db);
  const claimable = and(eq(portals.status, 'CONFIGURING'), lte(sql`coalesce(${portals.nextPollAt}, 0)`, at.getTime()), or(isNull(portals.leaseUntil), lt(portals.leaseUntil, at)));
  const due = skippingLocked(db, db.select({ id: portals.id }).from(portals).where(claimable).orderBy(portals.nextPollAt).limit(limit));
  return db
    .update(portals)
    .set({ leaseOwner: owner, leaseUntil })
    .where(and(inArray(portals.id, due), claimable))
    .returning();
}

/** Lets go of portals still held by `owner`, to be looked at again at `nextPollAt`. */
export async function releasePortals(db: Db, ids: readonly number[], owner: string, nextPollAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await writeTransaction(db, function* (tx) {
    const { portals } = tablesOf(tx);
    for (let i = 0; i < ids.length; i += 500) {
      yield* exec(
        tx
          .update(portals)
          .set({ leaseOwner: null, leaseUntil: null, nextPollAt, pollFailures: 0 })
          .where(and(inArray(portals.id, ids.slice(i, i + 500)), eq(portals.leaseOwner, owner))),
      );
    }
  });
}

/** When the next configuring portal is due for a look, if any is. */
export async function nextDueAt(db: Db): Promise<Date | undefined> {
  const { portals } = tablesOf(db);
  const [row] = await db
    .select({ at: sql<number | null>`min(coalesce(${portals.nextPollAt}, 0))` })
    .from(portals)
    .where(eq(portals.status, 'CONFIGURING'));
  return row?.at === null || row?.at === undefined ? undefined : new Date(row.at);
}

/** Portals waiting for their terms whose reminder or expiry is due at `at`, given the two delays. */
function termsDue(portals: typeof portalsTable, at: Date, expiryMs: number, remindAfterMs: number) {
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
  const { portals } = tablesOf(db);
  const claimable = and(termsDue(portals, at, delays.expiryMs, delays.remindAfterMs), or(isNull(portals.leaseUntil), lt(portals.leaseUntil, at)));
  const due = skippingLocked(db, db.select({ id: portals.id }).from(portals).where(claimable).orderBy(portals.createdAt).limit(limit));
  return db
    .update(portals)
    .set({ leaseOwner: owner, leaseUntil })
    .where(and(inArray(portals.id, due), claimable))
    .returning();
}

/** Lets go of portals still held by `owner`, whatever became of them. */
export async function releaseLeases(db: Db, ids: readonly number[], owner: string): Promise<void> {
  const { portals } = tablesOf(db);
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(portals)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(inArray(portals.id, ids.slice(i, i + 500)), eq(portals.leaseOwner, owner)));
  }
}

/** When the next reminder or expiry of a portal waiting for its terms is due, if any is. */
export async function nextTermsDueAt(db: Db, delays: { expiryMs: number; remindAfterMs: number }): Promise<Date | undefined> {
  const { portals } = tablesOf(db);
  const [row] = await db
    .select({
      at: sql<
        number | null
      >`min(${portals.createdAt} + case when ${portals.termsRemindedAt} is null then cast(${delays.remindAfterMs} as bigint) else cast(${delays.expiryMs} as bigint) end)`,
    })
    .from(portals)
    .where(eq(portals.status, 'AWAITING_TERMS'));
  return row?.at === null || row?.at === undefined ? undefined : new Date(row.at);
}
