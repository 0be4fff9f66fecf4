import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/support/databases.ts';
import { sqlRow } from '../test/support/rows.ts';
import type { Db } from './client.ts';
import { readEventsAfter } from './outbox.ts';
import { changePortals, insertPortal } from './portal-store.ts';

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
