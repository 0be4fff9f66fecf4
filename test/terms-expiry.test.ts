// A portal whose terms of service nobody answers: reminded a day before, expired after the wait,
// its license free again, each step once even with two processes sweeping. A test database with
// the sample tenant; the job's clock is set, not waited for.

import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { DEFAULT_TERMS_EXPIRY } from '../core/terms-expiry.ts';
import { TermsExpiry } from '../jobs/terms-expiry.ts';
import { eventTypes, PortalDriver } from './support/lifecycle.ts';
import { sqlRow, sqlRows } from './support/rows.ts';
import { openTestTenant, portalInput, seedWithLicenses, type TestTenant, tempDir } from './support/tenant.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dir: ReturnType<typeof tempDir>;
let tenant: TestTenant;
let ada: PortalDriver;
beforeEach(async () => {
  dir = tempDir();
  // One seat: whether a new request gets it shows whether the waiting portal still holds it.
  tenant = await openTestTenant({ seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 1 }]) });
  ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
});
afterEach(async () => {
  await tenant.close();
  dir.remove();
});

function jobAt(clock: { now: Date }) {
  return new TermsExpiry({ db: tenant.db, log: createLogger('silent'), policy: DEFAULT_TERMS_EXPIRY, now: () => clock.now });
}

async function requestedAt(portalId: string): Promise<Date> {
  const row = (await sqlRow<{ at: number }>(tenant.db, sql`select created_at as at from portals order by id desc limit 1`)) as { at: number };
  expect(portalId).toBeTruthy();
  return new Date(row.at);
}

describe('terms of service nobody answers', () => {
  it('reminds the requester a day before, then expires the request and frees its license', async () => {
    const id = await ada.request();
    const start = await requestedAt(id);
    const clock = { now: new Date(start.getTime() + 5 * DAY) };
    const job = jobAt(clock);

    expect(await job.sweep()).toMatchObject({ reminded: 0, expired: 0 });
    clock.now = new Date(start.getTime() + 6 * DAY + HOUR);
    expect(await job.sweep()).toMatchObject({ reminded: 1, expired: 0 });
    expect(await job.sweep()).toMatchObject({ reminded: 0, expired: 0 });
    const reminded = await ada.state(id);
    expect(reminded.status).toBe('AWAITING_TERMS');
    const reminder = reminded.events.find((e: { type: string }) => e.type === 'TERMS_REMINDER');
    expect(reminder?.message).toContain('expires in about 23 hours');

    // The one seat is still held.
    const { body: held } = await tenant.gql(
      `mutation($input: RequestPortalInput!) { requestPortal(input: $input) { __typename } }`,
      { input: portalInput({ subdomain: 'second' }) },
      ada.token,
    );
    expect(held.data.requestPortal.__typename).toBe('ValidationError');

    clock.now = new Date(start.getTime() + 7 * DAY);
    expect(await job.sweep()).toMatchObject({ expired: 1 });
    const expired = await ada.state(id);
    expect(expired.status).toBe('EXPIRED');
    expect(eventTypes(expired).slice(-2)).toEqual(['TERMS_REMINDER', 'TERMS_EXPIRED']);
    expect(expired.events.at(-1)?.actor).toBe('system:terms-expiry');

    // The seat is free again, and the expired portal's terms can no longer be answered.
    const { body: freed } = await tenant.gql(
      `mutation($input: RequestPortalInput!) { requestPortal(input: $input) { __typename } }`,
      { input: portalInput({ subdomain: 'second' }) },
      ada.token,
    );
    expect(freed.data.requestPortal.__typename).toBe('PortalPayload');
    expect((await ada.accept(id)).__typename).toBe('ConflictError');
    expect((await ada.mutate('decline', { portalId: id })).__typename).toBe('ConflictError');
  });

  it('expires at once a portal found past its time, without a late reminder', async () => {
    const id = await ada.request();
    const start = await requestedAt(id);
    expect(await jobAt({ now: new Date(start.getTime() + 30 * DAY) }).sweep()).toMatchObject({ reminded: 0, expired: 1 });
    expect(eventTypes(await ada.state(id)).slice(1)).toEqual(['TERMS_EXPIRED']);
  });

  it('leaves alone a portal whose terms were accepted', async () => {
    const id = await ada.request();
    const start = await requestedAt(id);
    await ada.accept(id);
    expect(await jobAt({ now: new Date(start.getTime() + 30 * DAY) }).sweep()).toMatchObject({ claimed: 0 });
    expect(eventTypes(await ada.state(id))).not.toContain('TERMS_EXPIRED');
  });

  it('writes each reminder and expiry once when two processes sweep at the same time', async () => {
    await tenant.close();
    tenant = await openTestTenant({ seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 40 }]) });
    ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await ada.request({ subdomain: `waiting-${i}` }));
    const start = await requestedAt(ids[0] as string);
    const clock = { now: new Date(start.getTime() + 6 * DAY + HOUR) };
    const one = jobAt(clock);
    const two = jobAt(clock);
    const reminders = await Promise.all([one.sweep(), two.sweep(), one.sweep(), two.sweep()]);
    expect(reminders.reduce((n, r) => n + r.reminded, 0)).toBe(30);
    clock.now = new Date(start.getTime() + 8 * DAY);
    const expiries = await Promise.all([one.sweep(), two.sweep(), one.sweep(), two.sweep()]);
    expect(expiries.reduce((n, r) => n + r.expired, 0)).toBe(30);
    const counted = await sqlRows(tenant.db, sql`select type, count(*) as n from events where type in ('TERMS_REMINDER', 'TERMS_EXPIRED') group by type order by type`);
    expect(counted).toEqual([
      { type: 'TERMS_EXPIRED', n: 30 },
      { type: 'TERMS_REMINDER', n: 30 },
    ]);
    const leases = await sqlRow<{ n: number }>(tenant.db, sql`select count(*) as n from portals where lease_owner is not null`);
    expect(leases?.n).toBe(0);
  });
});
