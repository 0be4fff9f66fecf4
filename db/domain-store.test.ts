import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, databasesUnderTest, type TestDatabase } from '../test/support/databases.ts';
import { seedPortalRows, sqlRows } from '../test/support/rows.ts';
import type { Db } from './client.ts';
import { changeDomain } from './domain-store.ts';
import { readEventsAfter } from './outbox.ts';
import type { CustomDomainRow } from './schema.ts';

describe.each(databasesUnderTest())('domain changes committed in groups on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let statements: string[];
  let domains: CustomDomainRow[];

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    statements = [];
    db = await database.open({ onQuery: (text) => statements.push(text.toLowerCase()) });
    await seedPortalRows(db, 4, 'PROVISIONED', { withDomains: true });
    domains = await sqlRows<CustomDomainRow>(db, sql`select id, checks from custom_domains order by id`);
    statements.length = 0;
  });

  afterEach(async () => {
    await database.drop();
  });

  const checked = (domain: CustomDomainRow, message: string) =>
    changeDomain(db, domain.id, { status: 'PENDING_CNAME', checks: domain.checks }, { checks: domain.checks + 1, updatedAt: new Date() }, [
      { type: 'DOMAIN_CHECKED', message, actor: 'system' },
    ]);

  it('writes changes made together in one transaction, each on its own condition, with their events in order', async () => {
    const [a, b, c, d] = domains as [CustomDomainRow, CustomDomainRow, CustomDomainRow, CustomDomainRow];
    const stale = { ...c, checks: c.checks + 5 };
    const answers = await Promise.all([checked(a, 'a'), checked(b, 'b'), checked(stale, 'stale'), checked(d, 'd')]);
    expect(answers.map((row) => row?.checks)).toEqual([a.checks + 1, b.checks + 1, undefined, d.checks + 1]);
    expect((await readEventsAfter(db, 0, 10)).map((event) => event.message)).toEqual(['a', 'b', 'd']);
    const stored = await sqlRows<{ checks: number }>(db, sql`select checks from custom_domains order by id`);
    expect(stored.map((row) => row.checks)).toEqual([a.checks + 1, b.checks + 1, c.checks, d.checks + 1]);
    // PostgreSQL's statements name their BEGIN: one for the four changes (SQLite's come from its driver).
    if (kind === 'postgres') expect(statements.filter((text) => text.startsWith('begin'))).toHaveLength(1);
  });

  it('fails only the change that cannot be written when changes of the same group succeed', async () => {
    const [a, b, c] = domains as [CustomDomainRow, CustomDomainRow, CustomDomainRow];
    const broken = changeDomain(db, b.id, {}, { certificateId: 'no-such-certificate', updatedAt: new Date() }, [{ type: 'DOMAIN_CHECKED', message: 'broken', actor: 'system' }]);
    const [first, second, third] = await Promise.allSettled([checked(a, 'a'), broken, checked(c, 'c')]);
    expect(first.status === 'fulfilled' && first.value?.checks).toBe(a.checks + 1);
    expect(second.status).toBe('rejected');
    expect(third.status === 'fulfilled' && third.value?.checks).toBe(c.checks + 1);
    expect((await readEventsAfter(db, 0, 10)).map((event) => event.message)).toEqual(['a', 'c']);
  });

  it('writes a change made after a group began in the next group', async () => {
    const [a, b] = domains as [CustomDomainRow, CustomDomainRow];
    const first = checked(a, 'first');
    await first;
    const later = await checked({ ...a, checks: a.checks + 1 }, 'later');
    const other = await checked(b, 'other');
    expect([later?.checks, other?.checks]).toEqual([a.checks + 2, b.checks + 1]);
    expect((await readEventsAfter(db, 0, 10)).map((event) => event.message)).toEqual(['first', 'later', 'other']);
  });
});
