// Reads and writes of certificates, host names and custom domains. A domain's change and its events
// are written in one transaction, as portals' are.
import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { aboutPortal, type NewEvent, recordEvents, writeWithEvents } from './outbox.ts';
import { expectationConditions } from './portal-store.ts';
import { type CertificateRow, type CustomDomainRow, certificates, customDomains, type HostnameRow, hostnames } from './schema.ts';

export async function findCertificate(db: Db, id: string): Promise<CertificateRow | undefined> {
  const [row] = await db.select().from(certificates).where(eq(certificates.id, id)).limit(1);
  return row;
}

export async function findCertificateByThumbprint(db: Db, thumbprint: string): Promise<CertificateRow | undefined> {
  const [row] = await db.select().from(certificates).where(eq(certificates.thumbprint, thumbprint)).limit(1);
  return row;
}

export async function insertCertificate(db: Db, row: typeof certificates.$inferInsert, event: NewEvent): Promise<CertificateRow> {
  return writeWithEvents(db, (tx) => {
    const certificate = tx.insert(certificates).values(row).returning().get();
    recordEvents(tx, [{ ...event, portalId: null }]);
    return certificate;
  });
}

export async function findHostname(db: Db, by: { id?: number; name?: string }): Promise<HostnameRow | undefined> {
  const condition = by.id !== undefined ? eq(hostnames.id, by.id) : eq(hostnames.name, by.name ?? '');
  const [row] = await db.select().from(hostnames).where(condition).limit(1);
  return row;
}

export async function findDomain(db: Db, by: { id?: number; portalId?: number; hostnameId?: number }): Promise<CustomDomainRow | undefined> {
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
  return writeWithEvents(db, (tx): InsertDomainResult => {
    if (tx.select({ id: customDomains.id }).from(customDomains).where(eq(customDomains.portalId, input.domain.portalId)).get()) return { ok: false, reason: 'PORTAL_HAS_DOMAIN' };
    tx.insert(hostnames).values({ name: input.hostname }).onConflictDoNothing().run();
    const hostname = tx.select().from(hostnames).where(eq(hostnames.name, input.hostname)).get();
    if (!hostname) throw new Error('the host name was not stored');
    if (tx.select({ id: customDomains.id }).from(customDomains).where(eq(customDomains.hostnameId, hostname.id)).get()) return { ok: false, reason: 'HOSTNAME_IN_USE' };
    if (input.certificate) tx.insert(certificates).values(input.certificate).onConflictDoNothing().run();
    const certificateId = input.certificate?.id ?? input.domain.certificateId;
    if (!certificateId) throw new Error('a custom domain needs a certificate');
    const domain = tx
      .insert(customDomains)
      .values({ ...input.domain, hostnameId: hostname.id, certificateId })
      .returning()
      .get();
    recordEvents(tx, aboutPortal(domain.portalId, input.events));
    return { ok: true, domain };
  });
}

export type DomainExpectation = Partial<Pick<CustomDomainRow, 'status' | 'leaseOwner' | 'checks' | 'bindOperationId'>>;

/** Applies `changes` and records `newEvents` only while the domain still matches `expected`. */
export async function changeDomain(
  db: Db,
  id: number,
  expected: DomainExpectation,
  changes: Partial<typeof customDomains.$inferInsert> & { updatedAt: Date },
  newEvents: readonly NewEvent[],
): Promise<CustomDomainRow | undefined> {
  return writeWithEvents(db, (tx) => {
    const domain = tx
      .update(customDomains)
      .set(changes)
      .where(and(eq(customDomains.id, id), ...expectationConditions(customDomains, expected)))
      .returning()
      .get();
    if (!domain) return undefined;
    recordEvents(tx, aboutPortal(domain.portalId, newEvents));
    return domain;
  });
}

export async function deleteDomain(db: Db, id: number, event: NewEvent): Promise<CustomDomainRow | undefined> {
  return writeWithEvents(db, (tx) => {
    const domain = tx.delete(customDomains).where(eq(customDomains.id, id)).returning().get();
    if (domain) recordEvents(tx, [{ ...event, portalId: domain.portalId }]);
    return domain;
  });
}

/** Claims due domains (waiting for their CNAME or being bound) for `owner` until `leaseUntil`. */
export async function claimDueDomains(db: Db, owner: string, at: Date, leaseUntil: Date, limit: number): Promise<CustomDomainRow[]> {
  const claimable = and(
    sql`${customDomains.status} in ('PENDING_CNAME', 'BINDING')`,
    lte(sql`coalesce(${customDomains.nextCheckAt}, 0)`, at.getTime()),
    or(isNull(customDomains.leaseUntil), lt(customDomains.leaseUntil, at)),
  );
  const due = db.select({ id: customDomains.id }).from(customDomains).where(claimable).orderBy(customDomains.nextCheckAt).limit(limit);
  return db
    .update(customDomains)
    .set({ leaseOwner: owner, leaseUntil })
    .where(and(sql`${customDomains.id} in ${due}`, claimable))
    .returning();
}

/** When the next domain is due for a look, if any is. */
export async function nextDomainDueAt(db: Db): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<number | null>`min(coalesce(${customDomains.nextCheckAt}, 0))` })
    .from(customDomains)
    .where(sql`${customDomains.status} in ('PENDING_CNAME', 'BINDING')`);
  return row?.at === null || row?.at === undefined ? undefined : new Date(row.at);
}

/** Configured domains whose certificate expires before `before`, with that certificate. */
export async function domainsExpiringBefore(db: Db, before: Date) {
  return db
    .select({ domain: customDomains, certificate: certificates, hostname: hostnames.name })
    .from(customDomains)
    .innerJoin(certificates, eq(certificates.id, customDomains.certificateId))
    .innerJoin(hostnames, eq(hostnames.id, customDomains.hostnameId))
    .where(and(eq(customDomains.status, 'CONFIGURED'), lt(certificates.notAfter, before)));
}
