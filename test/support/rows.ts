// Rows read and written straight in the database by tests, on either database: plain SQL through
// Drizzle's sql template (its parameters become ? on SQLite and $1… on PostgreSQL), and thousands of
// portals for the benchmark's 10,000-row sweeps and for tests of how sweeps handle many rows.
//
// In plain SQL, quote a camelCase alias ("portalId"): PostgreSQL folds an unquoted one to lower case.
// A count(*) or a bigint comes back as a number on both (db/postgres.ts parses them).
import { readFileSync } from 'node:fs';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { DatabaseTarget } from '../../db/database.ts';
import { dialectOf, tablesOf } from '../../db/dialect.ts';

interface PgDb {
  execute(query: SQL): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** Every row the statement answers. */
export async function sqlRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  if (dialectOf(db) === 'postgres') return (await (db as unknown as PgDb).execute(query)).rows as T[];
  return db.all(query) as T[];
}

/** The first row the statement answers, if any. */
export async function sqlRow<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T | undefined> {
  return (await sqlRows<T>(db, query))[0];
}

/** Runs a write and answers how many rows it changed. */
export async function sqlRun(db: Db, query: SQL): Promise<number> {
  if (dialectOf(db) === 'postgres') return (await (db as unknown as PgDb).execute(query)).rowCount ?? 0;
  return db.run(query).changes;
}

const CHUNK = 500;

/**
 * `count` portals of a status written straight into the database (and, if asked, a pending custom
 * domain each), in chunks of 500 rows. The portals use the 'bench' license and the sample tenant's
 * instances and administrators.
 */
export async function seedPortalRows(db: Db, count: number, status: string, options: { withDomains?: boolean } = {}) {
  const { certificates, customDomains, hostnames, portalAddOns, portals } = tablesOf(db);
  const now = new Date();
  await db
    .insert(certificates)
    .values({
      id: 'bench-cert',
      name: 'bench',
      subject: 'CN=*.bench.test',
      sans: ['*.bench.test'],
      issuer: 'CN=bench',
      notBefore: new Date(0),
      notAfter: new Date(9_999_999_999_999),
      signatureAlgorithm: 'sha256WithRSAEncryption',
      keyType: 'RSA',
      keyBits: 2048,
      thumbprint: 'BENCH',
      certificatePem: '-',
      privateKeyEncrypted: '-',
      createdBy: 'bench',
      createdAt: new Date(0),
    })
    .onConflictDoNothing();
  const configuring = status === 'CONFIGURING';
  for (let from = 0; from < count; from += CHUNK) {
    const numbers = Array.from({ length: Math.min(CHUNK, count - from) }, (_, k) => from + k);
    const inserted = await db
      .insert(portals)
      .values(
        numbers.map((i) => ({
          name: `Portal ${i}`,
          subdomain: `bench-${status.toLowerCase()}-${i}`,
          type: 'PRODUCTION' as const,
          licenseId: 'bench',
          instanceId: i % 2 ? 'contoso-field' : 'contoso-sales',
          language: 'en-US',
          administratorId: i % 2 ? 'margaret' : 'ada',
          audience: i % 3 === 0 ? ('PARTNER' as const) : ('CUSTOMER' as const),
          portalType: i % 3 === 0 ? ('PARTNER' as const) : ('CUSTOMER_SELF_SERVICE' as const),
          status: status as typeof portals.$inferInsert.status,
          resourceStatus: configuring ? ('CREATING' as const) : ('CREATED' as const),
          packageStatus: configuring ? ('PENDING' as const) : ('INSTALLED' as const),
          requestedBy: 'ada',
          attempt: 1,
          createdAt: now,
          updatedAt: now,
          nextPollAt: new Date(0),
        })),
      )
      .returning({ id: portals.id, name: portals.name });
    // The name says which number each id is, whatever order the rows come back in.
    const ids = new Map(inserted.map((row) => [Number(row.name.slice('Portal '.length)), row.id]));
    const partners = numbers.filter((i) => i % 3 === 0).map((i) => ({ portalId: ids.get(i) as number, addOn: 'PARTNER_FIELD_SERVICE' as const }));
    if (partners.length > 0) await db.insert(portalAddOns).values(partners);
    if (!options.withDomains) continue;
    const hosts = await db
      .insert(hostnames)
      .values(numbers.map((i) => ({ name: `site-${status.toLowerCase()}-${i}.bench.test`, createdAt: now })))
      .returning({ id: hostnames.id, name: hostnames.name });
    const hostIds = new Map(hosts.map((row) => [row.name, row.id]));
    await db.insert(customDomains).values(
      numbers.map((i) => ({
        portalId: ids.get(i) as number,
        hostnameId: hostIds.get(`site-${status.toLowerCase()}-${i}.bench.test`) as number,
        certificateId: 'bench-cert',
        status: 'PENDING_CNAME' as const,
        cnameTarget: `bench-${i}.portals.test`,
        nextCheckAt: new Date(0),
        createdAt: now,
        updatedAt: now,
        remindersSent: [],
        checks: 0,
      })),
    );
  }
}

/**
 * Everything the database holds, as text, for tests that a secret is stored nowhere in clear: the
 * SQLite file itself (checkpointed, so what the WAL held is in it, free pages too), or every row of
 * every PostgreSQL table.
 */
export async function storedText(db: Db, target: DatabaseTarget): Promise<string> {
  if ('path' in target) {
    db.all(sql.raw('pragma wal_checkpoint(TRUNCATE)'));
    return readFileSync(target.path).toString('latin1');
  }
  const tables = await sqlRows<{ name: string }>(db, sql`select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('public', 'drizzle')`);
  const texts: string[] = [];
  for (const { name } of tables) {
    const [schema, table] = name.split('.');
    const rows = await sqlRows<{ row: string }>(db, sql`select t::text as row from ${sql.identifier(schema as string)}.${sql.identifier(table as string)} t`);
    texts.push(...rows.map((r) => r.row));
  }
  return texts.join('\n');
}
