// Reads and writes of certificates, host names and custom domains. A domain's change and its events
// are written in one transaction, as portals' are.
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { skippingLocked, tablesOf } from './dialect.ts';
import { aboutPortal, type NewEvent, recordEvents, writeWithEvents } from './outbox.ts';
import { expectationConditions } from './portal-store.ts';
import type { CertificateRow, CustomDomainRow, certificates, customDomains, HostnameRow } from './schema.ts';
import { exec, row, type Work } from './transaction.ts';

export async function findCertificate(db: Db, id: string): Promise<CertificateRow | undefined> {
  const { certificates } = tablesOf(db);
  const [row] = await db.select().from(certificates).where(eq(certificates.id, id)).limit(1);
  return row;
}

export async function findCertificateByThumbprint(db: Db, thumbprint: string): Promise<CertificateRow | undefined> {
  const { certificates } = tablesOf(db);
  const [row] = await db.select().from(certificates).where(eq(certificates.thumbprint, thumbprint)).limit(1);
  return row;
}

export async function insertCertificate(db: Db, values: typeof certificates.$inferInsert, event: NewEvent): Promise<CertificateRow> {
  return writeWithEvents(db, function* (tx) {
    const { certificates } = tablesOf(tx);
    const certificate = yield* row(tx.insert(certificates).values(values).returning());
    if (!certificate) throw new Error('the certificate was not stored');
    yield* recordEvents(tx, [{ ...event, portalId: null }]);
    return certificate;
  });
}

export async function findHostname(db: Db, by: { id?: number; name?: string }): Promise<HostnameRow | undefined> {
  const { hostnames } = tablesOf(db);
  const condition = by.id !== undefined ? eq(hostnames.id, by.id) : eq(hostnames.name, by.name ?? '');
  const [row] = await db.select().from(hostnames).where(condition).limit(1);
  return row;
}

export async function findDomain(db: Db, by: { id?: number; portalId?: number; hostnameId?: number }): Promise<CustomDomainRow | undefined> {
  const { customDomains } = tablesOf(db);
  const condition =
    by.id !== undefined ? eq(customDomains.id, by.id) : by.portalId !== undefined ? eq(customDomains.portalId, by.portalId) : eq(customDomains.hostnameId, by.hostnameId ?? -1);
  const [row] = await db.select().from(customDomains).where(condition).limit(1);
  return row;
}

export type InsertDomainResult = { ok: true; domain: CustomDomainRow } | { ok: false; reason: 'PORTAL_HAS_DOMAIN' | 'HOSTNAME_IN_USE' };

/** Creates the domain, with its host name and new certificate when they are new, in one transaction. */
export async function insertDomain(
  db: Db,
  input: {
    hostname: string;
    certificate?: typeof certificates.$inferInsert;
    domain: Omit<typeof customDomains.$inferInsert, 'hostnameId' | 'certificateId'> & { certificateId?: string };
    events: readonly NewEvent[];
  },
): Promise<InsertDomainResult> {
  return writeWithEvents(db, function* (tx): Work<InsertDomainResult> {
    const { certificates, customDomains, hostnames } = tablesOf(tx);
    if (yield* row(tx.select({ id: customDomains.id }).from(customDomains).where(eq(customDomains.portalId, input.domain.portalId)))) return { ok: false, reason: 'PORTAL_HAS_DOMAIN' };
    yield* exec(tx.insert(hostnames).values({ name: input.hostname }).onConflictDoNothing());
    const hostname = yield* row(tx.select().from(hostnames).where(eq(hostnames.name, input.hostname)));
    if (!hostname) throw new Error('the host name was not stored');
    if (yield* row(tx.select({ id: customDomains.id }).from(customDomains).where(eq(customDomains.hostnameId, hostname.id)))) return { ok: false, reason: 'HOSTNAME_IN_USE' };
    if (input.certificate) yield* exec(tx.insert(certificates).values(input.certificate).onConflictDoNothing());
    const certificateId = input.certificate?.id ?? input.domain.certificateId;
    if (!certificateId) throw new Error('a custom domain needs a certificate');
    const domain = yield* row(
      tx
        .insert(customDomains)
        .values({ ...input.domain, hostnameId: hostname.id, certificateId })
        .returning(),
    );
    if (!domain) throw new Error('the custom domain was not stored');
    yield* recordEvents(tx, aboutPortal(domain.portalId, input.events));
    return { ok: true, domain };
  });
}

export type DomainExpectation = Partial<Pick<CustomDomainRow, 'status' | 'leaseOwner' | 'checks' | 'bindOperationId' | 'updatedAt'>>;

type DomainChanges = Partial<typeof customDomains.$inferInsert> & { updatedAt: Date };

/** A change of one domain waiting for the next group commit, and the caller waiting for its answer. */
interface QueuedDomainWrite {
  id: number;
  expected: DomainExpectation;
  changes: DomainChanges;
  events: readonly NewEvent[];
  resolve: (domain: CustomDomainRow | undefined) => void;
  reject: (error: unknown) => void;
}

/** Writes per group commit at most. */
const GROUP_COMMIT_SIZE = 200;

/**
 * The domain changes of one database, committed in groups: a change that arrives while a group is
 * being written waits for the next one. The DNS sweep checks 50 domains at once and each check ends
 * in a change with an event; one transaction per change queued them all on the events lock of
 * PostgreSQL (db/outbox.ts), one after another. Each change still applies on its own condition; a
 * group whose transaction fails is written again one change at a time, so one bad change fails alone.
 */
class DomainWriteGroups {
  private queued: QueuedDomainWrite[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  add(write: Omit<QueuedDomainWrite, 'resolve' | 'reject'>): Promise<CustomDomainRow | undefined> {
    return new Promise((resolve, reject) => {
      this.queued.push({ ...write, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      // Changes made in the same turn of the event loop join the first group.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) await this.commit(this.queued.splice(0, GROUP_COMMIT_SIZE));
    } finally {
      this.writing = false;
    }
  }

  private async commit(group: QueuedDomainWrite[]): Promise<void> {
    try {
      const written = await applyDomainWrites(this.db, group);
      for (const [i, write] of group.entries()) write.resolve(written[i]);
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      for (const write of group) await this.commit([write]);
    }
  }
}

const writeGroups = new WeakMap<Db, DomainWriteGroups>();

/** The changes in one transaction, in order, each on its own condition; then all their events. */
function applyDomainWrites(db: Db, writes: readonly Omit<QueuedDomainWrite, 'resolve' | 'reject'>[]): Promise<Array<CustomDomainRow | undefined>> {
  return writeWithEvents(db, function* (tx) {
    const { customDomains } = tablesOf(tx);
    const written: Array<CustomDomainRow | undefined> = [];
    for (const { id, expected, changes } of writes) {
      written.push(
        yield* row(
          tx
            .update(customDomains)
            .set(changes)
            .where(and(eq(customDomains.id, id), ...expectationConditions(customDomains, expected)))
            .returning(),
        ),
      );
    }
    // Events last: on PostgreSQL the events lock is then held only for their insert and the commit.
    yield* recordEvents(
      tx,
      writes.flatMap((write, i) => {
        const domain = written[i];
        return domain ? aboutPortal(domain.portalId, write.events) : [];
      }),
    );
    return written;
  });
}

/** Applies `changes` and records `newEvents` only while the domain still matches `expected` (in the next group commit). */
export async function changeDomain(db: Db, id: number, expected: DomainExpectation, changes: DomainChanges, newEvents: readonly NewEvent[]): Promise<CustomDomainRow | undefined> {
  let groups = writeGroups.get(db);
  if (!groups) {
    groups = new DomainWriteGroups(db);
    writeGroups.set(db, groups);
  }
  return groups.add({ id, expected, changes, events: newEvents });
}

export async function deleteDomain(db: Db, id: number, event: NewEvent): Promise<CustomDomainRow | undefined> {
  return writeWithEvents(db, function* (tx) {
    const { customDomains } = tablesOf(tx);
    const domain = yield* row(tx.delete(customDomains).where(eq(customDomains.id, id)).returning());
    if (domain) yield* recordEvents(tx, [{ ...event, portalId: domain.portalId }]);
    return domain;
  });
}

/** Claims due domains (waiting for their CNAME or being bound) for `owner` until `leaseUntil`. */
export async function claimDueDomains(db: Db, owner: string, at: Date, leaseUntil: Date, limit: number): Promise<CustomDomainRow[]> {
  const { customDomains } = tablesOf(db);
  const claimable = and(
    sql`${customDomains.status} in ('PENDING_CNAME', 'BINDING')`,
    lte(sql`coalesce(${customDomains.nextCheckAt}, 0)`, at.getTime()),
    or(isNull(customDomains.leaseUntil), lt(customDomains.leaseUntil, at)),
  );
  const due = skippingLocked(db, db.select({ id: customDomains.id }).from(customDomains).where(claimable).orderBy(customDomains.nextCheckAt).limit(limit));
  return db
    .update(customDomains)
    .set({ leaseOwner: owner, leaseUntil })
    .where(and(sql`${customDomains.id} in ${due}`, claimable))
    .returning();
}

/** When the next domain is due for a look, if any is. */
export async function nextDomainDueAt(db: Db): Promise<Date | undefined> {
  const { customDomains } = tablesOf(db);
  const [row] = await db
    .select({ at: sql<number | null>`min(coalesce(${customDomains.nextCheckAt}, 0))` })
    .from(customDomains)
    .where(sql`${customDomains.status} in ('PENDING_CNAME', 'BINDING')`);
  return row?.at === null || row?.at === undefined ? undefined : new Date(row.at);
}

/** Configured domains whose certificate expires before `before`, with that certificate. */
export async function domainsExpiringBefore(db: Db, before: Date) {
  const { certificates, customDomains, hostnames } = tablesOf(db);
  return db
    .select({ domain: customDomains, certificate: certificates, hostname: hostnames.name })
    .from(customDomains)
    .innerJoin(certificates, eq(certificates.id, customDomains.certificateId))
    .innerJoin(hostnames, eq(hostnames.id, customDomains.hostnameId))
    .where(and(eq(customDomains.status, 'CONFIGURED'), lt(certificates.notAfter, before)));
}

/** The custom domain of each portal that has one, with its host name, for many portals in one read. */
export async function listDomainsOf(db: Db, portalIds: readonly number[]): Promise<Map<number, CustomDomainRow & { hostname: { name: string } }>> {
  const { customDomains, hostnames } = tablesOf(db);
  const rows = await db
    .select({ domain: customDomains, name: hostnames.name })
    .from(customDomains)
    .innerJoin(hostnames, eq(hostnames.id, customDomains.hostnameId))
    .where(inArray(customDomains.portalId, [...portalIds]));
  return new Map(rows.map((r) => [r.domain.portalId, { ...r.domain, hostname: { name: r.name } }]));
}

/** The host name of each custom domain, for many domains in one read. */
export async function listHostnamesOf(db: Db, domainIds: readonly number[]): Promise<Map<number, string>> {
  const { customDomains, hostnames } = tablesOf(db);
  const rows = await db
    .select({ id: customDomains.id, name: hostnames.name })
    .from(customDomains)
    .innerJoin(hostnames, eq(hostnames.id, customDomains.hostnameId))
    .where(inArray(customDomains.id, [...domainIds]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
