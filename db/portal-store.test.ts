import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, databasesUnderTest } from '../test/support/databases.ts';
import { sqlRow, sqlRows } from '../test/support/rows.ts';
import type { Db } from './client.ts';
import { readEventsAfter } from './outbox.ts';
import { changePortals, insertPortal, type PortalWrite } from './portal-store.ts';

async function openStore() {
  const database = await createTestDatabase();
  return { db: await database.open(), close: () => database.drop() };
}

async function addPortal(db: Db, subdomain: string) {
  const now = new Date();
  const result = await insertPortal(
    db,
    {
      name: subdomain,
      subdomain,
      instanceId: 'i',
      language: 'en-US',
      administratorId: 'ada',
      audience: 'CUSTOMER',
      portalType: 'CUSTOMER_SELF_SERVICE',
      status: 'CONFIGURING',
      resourceStatus: 'CREATING',
      packageStatus: 'PENDING',
      requestedBy: 'ada',
      attempt: 1,
      createdAt: now,
      updatedAt: now,
    },
    [],
    [{ id: 'lic', type: 'PRODUCTION', quantity: 10 }],
    { type: 'PORTAL_REQUESTED', message: 'requested', actor: 'ada' },
  );
  if (!result.ok) throw new Error(result.reason);
  return result.portal;
}

describe('changing many portals in one transaction', () => {
  it('applies each write on its own condition and records events only for those that applied', async () => {
    const store = await openStore();
    try {
      const a = await addPortal(store.db, 'batch-a');
      const b = await addPortal(store.db, 'batch-b');
      const at = new Date(Date.now() + 60_000);
      const written = await changePortals(store.db, [
        {
          id: a.id,
          portal: a,
          expected: { status: 'CONFIGURING', leaseOwner: null, attempt: 1 },
          changes: { resourcesOperationId: 'op-a', nextPollAt: at, updatedAt: at },
          events: [{ type: 'RESOURCES_REQUESTED', message: 'a', actor: 'system' }],
        },
        // b is not at attempt 2: this write must not apply, nor record its event.
        { id: b.id, expected: { attempt: 2 }, changes: { lastError: 'never', updatedAt: at }, events: [{ type: 'PROVISIONING_FAILED', message: 'b', actor: 'system' }] },
        // Without the row in hand, the changed row is read back.
        { id: b.id, expected: { status: 'CONFIGURING', termsAcceptedAt: null }, changes: { status: 'PROVISIONING_FAILED', lastError: 'boom', updatedAt: at }, events: [] },
      ]);
      expect(written[0]).toMatchObject({ id: a.id, resourcesOperationId: 'op-a', nextPollAt: at, leaseOwner: null });
      expect(written[1]).toBeUndefined();
      expect(written[2]).toMatchObject({ id: b.id, status: 'PROVISIONING_FAILED', lastError: 'boom', updatedAt: at });
      const row = await sqlRow(store.db, sql`select resources_operation_id, next_poll_at from portals where id = ${a.id}`);
      expect(row).toEqual({ resources_operation_id: 'op-a', next_poll_at: at.getTime() });
      expect((await readEventsAfter(store.db, 0, 100)).map((e) => e.type)).toEqual(['PORTAL_REQUESTED', 'PORTAL_REQUESTED', 'RESOURCES_REQUESTED']);
    } finally {
      await store.close();
    }
  });
});

describe.each(databasesUnderTest())('changing many different portals at once on %s', (kind) => {
  it('writes each portal as its own UPDATE would: conditions, empty columns, rows read back or made, add-ons, events in order', async () => {
    const database = await createTestDatabase(kind);
    const statements: string[] = [];
    const db = await database.open({ onQuery: (text) => statements.push(text) });
    try {
      const portals = [];
      for (let i = 0; i < 7; i++) portals.push(await addPortal(db, `many-${i}`));
      const [p0, p1, p2, p3, p4, p5, p6] = portals as [
        (typeof portals)[0],
        (typeof portals)[0],
        (typeof portals)[0],
        (typeof portals)[0],
        (typeof portals)[0],
        (typeof portals)[0],
        (typeof portals)[0],
      ];
      const at = new Date(Date.now() + 60_000);
      const leased = (portal: typeof p0, owner: string): PortalWrite => ({
        id: portal.id,
        portal,
        expected: { status: 'CONFIGURING', leaseOwner: null },
        changes: { leaseOwner: owner, leaseUntil: at, updatedAt: at },
        events: [{ type: 'NOTE', message: owner, actor: 'system' }],
      });
      statements.length = 0;
      const written = await changePortals(db, [
        leased(p0, 'w0'),
        // The same shape, but p1 is not at attempt 2 any more: nothing of it applies.
        { ...leased(p1, 'w1'), expected: { status: 'CONFIGURING', leaseOwner: null, attempt: 2 } },
        leased(p2, 'w2'),
        // Another shape, read back: a column set to empty, and one expected empty.
        {
          id: p3.id,
          expected: { status: 'CONFIGURING', termsAcceptedAt: null },
          changes: { status: 'PROVISIONING_FAILED', lastError: 'boom', resourceStatus: null, updatedAt: at },
          events: [{ type: 'NOTE', message: 'failed', actor: 'system' }],
        },
        // Expected empty where it is not: no change.
        { id: p4.id, expected: { resourceStatus: null }, changes: { lastError: 'never', updatedAt: at }, events: [{ type: 'NOTE', message: 'never', actor: 'system' }] },
        // Add-ons replaced.
        { id: p5.id, expected: { status: 'CONFIGURING' }, changes: { updatedAt: at }, addOns: ['PARTNER_FIELD_SERVICE'], events: [{ type: 'NOTE', message: 'add-ons', actor: 'system' }] },
        leased(p6, 'w6'),
      ]);
      expect(written.map((row) => row?.id)).toEqual([p0.id, undefined, p2.id, p3.id, undefined, p5.id, p6.id]);
      expect(written[0]).toMatchObject({ leaseOwner: 'w0', leaseUntil: at, status: 'CONFIGURING', name: 'many-0' });
      expect(written[3]).toMatchObject({ status: 'PROVISIONING_FAILED', lastError: 'boom', resourceStatus: null, updatedAt: at, subdomain: 'many-3', attempt: 1 });
      const stored = await sqlRows<{ id: number; lease_owner: string | null; status: string; last_error: string | null; resource_status: string | null }>(
        db,
        sql`select id, lease_owner, status, last_error, resource_status from portals order by id`,
      );
      expect(stored.map((row) => [row.lease_owner, row.status, row.last_error, row.resource_status])).toEqual([
        ['w0', 'CONFIGURING', null, 'CREATING'],
        [null, 'CONFIGURING', null, 'CREATING'],
        ['w2', 'CONFIGURING', null, 'CREATING'],
        [null, 'PROVISIONING_FAILED', 'boom', null],
        [null, 'CONFIGURING', null, 'CREATING'],
        [null, 'CONFIGURING', null, 'CREATING'],
        ['w6', 'CONFIGURING', null, 'CREATING'],
      ]);
      expect(await sqlRows(db, sql`select add_on as "addOn" from portal_add_ons where portal_id = ${p5.id}`)).toEqual([{ addOn: 'PARTNER_FIELD_SERVICE' }]);
      const notes = (await readEventsAfter(db, 0, 100)).filter((event) => event.type === 'NOTE');
      expect(notes.map((event) => [event.portalId, event.message])).toEqual([
        [p0.id, 'w0'],
        [p2.id, 'w2'],
        [p3.id, 'failed'],
        [p5.id, 'add-ons'],
        [p6.id, 'w6'],
      ]);
      // PostgreSQL: one UPDATE per shape of write (the three leases share one; the four others differ), not one per portal.
      const updates = statements.filter((text) => /^update "portals"/i.test(text));
      expect(updates).toHaveLength(kind === 'postgres' ? 5 : 7);
    } finally {
      await database.drop();
    }
  });
});
