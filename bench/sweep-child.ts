// One poll sweep measured in a process of its own, so its peak memory is the sweep's and not the
// rest of the benchmark's. bench/run.ts seeds the database, starts the loopback DNS server and runs:
//   tsx bench/sweep-child.ts provisioning <database> <seed>
//   tsx bench/sweep-child.ts dns <database> <dns server address>
// where <database> is a SQLite file's path or a postgres:// URL, and reads one JSON line from stdout.
// The runtime module is loaded as the server loads it, so the process carries the product's code, not
// just the poller's.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import '../app/runtime.ts';
import { createLogger } from '../app/logger.ts';
import { closeDatabase, connectDatabase } from '../db/database.ts';
import { isPostgresUrl } from '../db/postgres.ts';
import { DNS_TIMING, DnsPoller } from '../jobs/dns-poller.ts';
import { ProvisioningPoller, STANDARD_TIMING } from '../jobs/provisioning-poller.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { sqlRun } from '../test/support/rows.ts';

const [kind, database, extra] = process.argv.slice(2);
if (!kind || !database || !extra) throw new Error('usage: sweep-child.ts provisioning|dns <database path or URL> <seed|dns address>');
const log = createLogger('silent');
const onPostgres = isPostgresUrl(database);
const db = await connectDatabase(onPostgres ? { url: database } : { path: database });

/**
 * Times one sweep. On PostgreSQL the tables' statistics are brought up to date first (not timed), as
 * autovacuum keeps them on a live database: right after thousands of rows are written at once the
 * planner would otherwise plan for the empty tables it last saw.
 */
async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; report: T }> {
  if (onPostgres) await sqlRun(db, sql`analyze`);
  const started = performance.now();
  const report = await work();
  return { seconds: (performance.now() - started) / 1000, report };
}

const result: Record<string, unknown> = {};
if (kind === 'provisioning') {
  const platform = await LocalPlatform.connect(db, extra, 'fast');
  const poller = new ProvisioningPoller({ db, platform, log, timing: { ...STANDARD_TIMING, batchSize: 10_000, concurrency: 64 } });
  // First sweep: every portal needs its portal URL requested from the platform.
  result.start = await timed(() => poller.sweep());
  // Steady sweep: every operation still running (the usual case while provisioning takes hours).
  await sqlRun(db, sql`update sim_operations set duration_ms = 3600000`);
  await sqlRun(db, sql`update portals set next_poll_at = 0`);
  result.steady = await timed(() => poller.sweep());
  // Transition sweep: every portal URL has just been created; each portal moves on and its package starts.
  await sqlRun(db, sql`update sim_operations set duration_ms = 0`);
  await sqlRun(db, sql`update portals set next_poll_at = 0`);
  result.transition = await timed(() => poller.sweep());
} else {
  const platform = await LocalPlatform.connect(db, '/nonexistent', 'fast');
  const poller = new DnsPoller({
    db,
    platform,
    log,
    portalDomain: 'portals.test',
    secretKey: randomBytes(32),
    dns: { servers: [extra], timeoutMs: 2_000 },
    timing: { ...DNS_TIMING, batchSize: 10_000 },
  });
  result.sweep = await timed(() => poller.sweep());
}
// maxRSS is the operating system's own record of the process's peak resident set, in KiB.
result.peakRssMb = process.resourceUsage().maxRSS / 1024;
await closeDatabase(db);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exitCode = 0;
