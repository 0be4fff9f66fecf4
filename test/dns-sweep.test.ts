// A DNS sweep over more due domains than one round: every domain is checked once, and the sweep never
// holds more leases than one round's, so a lease need only outlast the checks of a round.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { DNS_TIMING, DnsPoller } from '../jobs/dns-poller.ts';
import { SAMPLE_SEED_PATH } from '../platform/local/seed.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { createTestDatabase } from './support/databases.ts';
import { startDnsServer } from './support/dns-server.ts';
import { seedPortalRows, sqlRow } from './support/rows.ts';
import { sleep } from './support/wait.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a DNS sweep over 1,200 pending domains', () => {
  it('checks each once, in rounds: never more than 500 domains leased at a time', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const dns = await startDnsServer();
    cleanups.push(() => dns.close());
    const db = await database.open();
    const platform = await LocalPlatform.connect(db, SAMPLE_SEED_PATH, 'fast');
    await seedPortalRows(db, 1_200, 'PROVISIONED', { withDomains: true });
    const leased = async () => (await sqlRow<{ n: number }>(db, sql`select count(*) as n from custom_domains where lease_owner is not null`))?.n ?? 0;
    let mostLeased = 0;
    let sampling = true;
    // The checks wait on the DNS server, so the sampler gets turns during the sweep.
    const sampler = (async () => {
      while (sampling) {
        mostLeased = Math.max(mostLeased, await leased());
        await sleep(1);
      }
    })();
    cleanups.push(() => {
      sampling = false;
      return sampler;
    });
    const poller = new DnsPoller({
      db,
      platform,
      log: createLogger('silent'),
      portalDomain: 'portals.test',
      secretKey: randomBytes(32),
      dns: { servers: [dns.address], timeoutMs: 2_000 },
      timing: { ...DNS_TIMING, batchSize: 2_000 },
    });
    expect(await poller.sweep()).toMatchObject({ claimed: 1_200, found: 0 });
    sampling = false;
    await sampler;
    expect(dns.queries).toHaveLength(1_200);
    expect(new Set(dns.queries.map((query) => query.name)).size).toBe(1_200);
    expect(mostLeased).toBeGreaterThan(0);
    expect(mostLeased).toBeLessThanOrEqual(500);
    const pending = await sqlRow<{ n: number }>(db, sql`select count(*) as n from custom_domains where status = 'PENDING_CNAME' and lease_owner is null and checks = 1`);
    expect(pending?.n).toBe(1_200);
  }, 60_000);
});
