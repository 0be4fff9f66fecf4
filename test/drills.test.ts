// Fault drills over real wires: two server processes on one database, Slack failing 30% of its
// calls during 200 portal lifecycles, and the server killed with SIGKILL again and again while it
// provisions. Each drill ends with the same questions: did every step happen once, was every event
// written once, and did every event reach Slack once, in order, under one status message per portal?
// Knobs for investigating (off by default): DRILL_VERBOSE=1 prints the storm's delivery progress every
// 5 s and the twin servers' logs; DRILL_STORM_WAIT_MS / DRILL_STORM_TIMEOUT_MS stretch the storm's bound.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { createApiToken } from '../core/tokens.ts';
import type { Db } from '../db/client.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { createTestDatabase } from './support/databases.ts';
import type { FakeSlack, SlackMessage } from './support/fake-slack.ts';
import { startFakeSlack } from './support/fake-slack.ts';
import { MUTATIONS } from './support/lifecycle.ts';
import { type Child, freePort, runScript, waitForReady } from './support/process.ts';
import { sqlRow, sqlRows } from './support/rows.ts';
import { type SlackHarness, startSlackHarness } from './support/slack.ts';
import { portalInput, REQUEST_PORTAL, seedWithLicenses, tempDir } from './support/tenant.ts';
import { eventually, sleep } from './support/wait.ts';
import type { WireJson } from './support/wire-json.ts';

const HAPPY = ['PORTAL_REQUESTED', 'TERMS_ACCEPTED', 'CONSENT_GRANTED', 'PROVISIONING_STARTED', 'RESOURCES_REQUESTED', 'RESOURCES_CREATED', 'PACKAGE_INSTALL_STARTED', 'PORTAL_PROVISIONED'];

// Everything a drill starts is stopped here, last started first, even when the drill fails.
const cleanups: Array<() => unknown> = [];
async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // keep cleaning up
    }
  }
}
afterEach(runCleanups);
afterAll(runCleanups);

/** The drills' waits, named first; polling is test/support/wait.ts's. */
const waitFor = <T>(what: string, timeoutMs: number, check: () => T | undefined | false | Promise<T | undefined | false>, describe?: () => string | Promise<string>): Promise<T> =>
  eventually(check, timeoutMs, what, { intervalMs: 100, ...(describe ? { describe } : {}) });

/** Runs `work` over `items`, `limit` at a time. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

type Gql = (query: string, variables: Record<string, unknown>) => Promise<{ data?: WireJson; errors?: Array<{ message: string }> }>;

/** GraphQL over HTTP to `baseUrl`/graphql with a bearer token; each call bounded in time. */
function httpGql(baseUrl: () => string, token: string): Gql {
  return async (query, variables) => {
    const response = await fetch(`${baseUrl()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    return (await response.json()) as { data?: WireJson; errors?: Array<{ message: string }> };
  };
}

/** Requests a portal (Partner portal of the sample tenant) through `request` and accepts + consents through `accept`. */
async function requestAndAccept(request: Gql, accept: Gql, subdomain: string): Promise<string> {
  const requested = await request(REQUEST_PORTAL, { input: portalInput({ subdomain, name: `Drill ${subdomain}` }) });
  expect(requested.data?.requestPortal?.__typename, JSON.stringify(requested)).toBe('PortalPayload');
  const id = requested.data.requestPortal.portal.id as string;
  const accepted = await accept(MUTATIONS.accept, { input: { portalId: id, termsVersion: CURRENT_TERMS_VERSION, consent: true } });
  expect(accepted.data?.result?.__typename, JSON.stringify(accepted)).toBe('PortalPayload');
  expect(accepted.data.result.portal.status).toBe('CONFIGURING');
  return id;
}

async function makeToken(db: Db, name: string): Promise<string> {
  const { token } = await createApiToken({ db, platform: new LocalPlatform(db) }, { name, scopes: ['read', 'write'], userEmail: 'ada@contoso.com' });
  return token;
}

// ---- what the database says ----

interface EventRow {
  id: number;
  portalId: number;
  type: string;
}

function portalRows(db: Db): Promise<Array<{ id: number; subdomain: string; status: string }>> {
  return sqlRows(db, sql`select id, subdomain, status from portals order by id`);
}

function eventRows(db: Db): Promise<EventRow[]> {
  return sqlRows<EventRow>(db, sql`select id, portal_id as "portalId", type from events order by id`);
}

async function eventsByPortal(db: Db): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  for (const row of await eventRows(db)) map.set(row.portalId, [...(map.get(row.portalId) ?? []), row.type]);
  return map;
}

async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await sqlRows<{ status: string; n: number }>(db, sql`select status, count(*) as n from portals group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Simulator operations per subdomain and kind, for the subdomains given. */
async function operationCounts(db: Db, subdomains: readonly string[]): Promise<Record<string, Record<string, number>>> {
  const rows = await sqlRows<{ subdomain: string; kind: string; n: number }>(db, sql`select subdomain, kind, count(*) as n from sim_operations group by subdomain, kind`);
  const counts: Record<string, Record<string, number>> = Object.fromEntries(subdomains.map((s) => [s, {}]));
  for (const row of rows) if (counts[row.subdomain]) counts[row.subdomain]![row.kind] = row.n;
  return counts;
}

/** Deliveries that are not DONE (no row yet, PENDING, SENDING or SKIPPED), by state. */
async function undelivered(db: Db): Promise<Record<string, number>> {
  const rows = await sqlRows<{ state: string; n: number }>(
    db,
    sql`select coalesce(d.state, 'NO_ROW') as state, count(*) as n from events e left join slack_deliveries d on d.event_id = e.id where d.state is null or d.state != 'DONE' group by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

// ---- what Slack saw ----

const eventIdOf = (m: SlackMessage) => m.metadata?.event_payload.event_id as number | undefined;
const isThreadReply = (channel: string) => (m: SlackMessage) => m.channel === channel && !!m.thread_ts && m.metadata?.event_payload.part === 'thread';
const isStatusMessage = (channel: string) => (m: SlackMessage) => m.channel === channel && !m.thread_ts && !m.metadata;

/** The portal a status message is about, from its text (`<displayName>: <status words>`). */
function statusMessagePortal(message: SlackMessage, portalByName: Map<string, number>): number | undefined {
  const match = /^(.+?)(?:-Configuring)?: /.exec(message.text ?? '');
  return match ? portalByName.get(match[1] as string) : undefined;
}

/**
 * Checks the channel against the outbox: each event posted exactly once as a thread reply, each
 * portal's replies in event-id order in one thread under its status message, and exactly one status
 * message per portal. `partial` (delivery not finished) checks only what was posted so far: nothing
 * twice, nothing out of order, never a second status message.
 */
async function checkSlackAgainstOutbox(slack: FakeSlack, channel: string, db: Db, options: { provisioned: boolean; partial?: boolean }) {
  const events = await eventRows(db);
  const portals = await sqlRows<{ id: number; name: string }>(db, sql`select id, name from portals order by id`);
  const portalByName = new Map(portals.map((p) => [p.name, p.id]));
  const portalOfEvent = new Map(events.map((e) => [e.id, e.portalId]));
  const replies = slack.messages.filter(isThreadReply(channel));
  const statusMessages = slack.messages.filter(isStatusMessage(channel));

  // Every event exactly once.
  const posted = new Map<number, number>();
  for (const reply of replies) posted.set(eventIdOf(reply) as number, (posted.get(eventIdOf(reply) as number) ?? 0) + 1);
  const duplicated = [...posted].filter(([, n]) => n > 1).map(([id, n]) => ({ eventId: id, portalId: portalOfEvent.get(id), type: events.find((e) => e.id === id)?.type, posts: n }));
  const missing = events.filter((e) => !posted.has(e.id)).map((e) => ({ eventId: e.id, portalId: e.portalId, type: e.type }));
  const unknown = [...posted.keys()].filter((id) => !portalOfEvent.has(id));
  expect(duplicated, 'events posted more than once as thread replies').toEqual([]);
  expect(unknown, 'thread replies for events not in the outbox').toEqual([]);
  if (!options.partial) expect(missing, 'events never posted as thread replies').toEqual([]);

  // Exactly one status message per portal (at most one while delivery is unfinished).
  const statusOf = new Map<number, SlackMessage[]>();
  const unnamed: SlackMessage[] = [];
  for (const message of statusMessages) {
    const portalId = statusMessagePortal(message, portalByName);
    if (portalId === undefined) unnamed.push(message);
    else statusOf.set(portalId, [...(statusOf.get(portalId) ?? []), message]);
  }
  expect(
    unnamed.map((m) => m.text),
    "top-level messages that are no portal's status",
  ).toEqual([]);
  const severalStatus = [...statusOf].filter(([, list]) => list.length > 1).map(([portalId, list]) => ({ portalId, statusMessages: list.map((m) => m.ts) }));
  expect(severalStatus, 'portals with more than one status message').toEqual([]);
  if (!options.partial)
    expect(
      portals.filter((p) => !statusOf.has(p.id)).map((p) => p.name),
      'portals without a status message',
    ).toEqual([]);

  // Per portal: its replies in event-id order, all in the thread of its status message.
  const outOfOrder: Array<{ portalId: number; eventIds: number[] }> = [];
  const elsewhere: Array<{ portalId: number; threads: string[]; statusTs: string | undefined }> = [];
  for (const portal of portals) {
    const mine = replies.filter((r) => portalOfEvent.get(eventIdOf(r) as number) === portal.id);
    const ids = mine.map((r) => eventIdOf(r) as number);
    if (ids.some((id, i) => i > 0 && id < (ids[i - 1] as number))) outOfOrder.push({ portalId: portal.id, eventIds: ids });
    const statusTs = statusOf.get(portal.id)?.[0]?.ts;
    const threads = [...new Set(mine.map((r) => r.thread_ts as string))];
    if (threads.some((ts) => ts !== statusTs)) elsewhere.push({ portalId: portal.id, threads, statusTs });
  }
  expect(outOfOrder, 'portals whose thread replies are out of event order').toEqual([]);
  expect(elsewhere, 'portals whose events are not in the thread of their status message').toEqual([]);

  if (options.provisioned && !options.partial) {
    const notProvisioned = portals
      .map((p) => ({ portal: p.name, message: statusOf.get(p.id)?.[0] }))
      .filter(({ message }) => !JSON.stringify(message?.blocks ?? []).includes('✓ Provisioned'))
      .map(({ portal, message }) => ({ portal, text: message?.text }));
    expect(notProvisioned, 'status messages that do not say provisioned').toEqual([]);
  }
  // No failure happened, so no alert was posted.
  expect(slack.messages.filter((m) => m.metadata?.event_payload.part === 'alert')).toEqual([]);
  return { events: events.length, replies: replies.length, statusMessages: statusMessages.length };
}

// ---- the drills ----

describe('fault drills', () => {
  it('two server processes on one database: each step once, each event once, each post once', async () => {
    const started = Date.now();
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const seed = seedWithLicenses(database.dir, [{ id: 'prod', type: 'PRODUCTION', quantity: 50 }]);
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    slack.users.set('U0ADA', 'ada@contoso.com');
    const env = {
      ...database.env,
      PLATFORM_SEED: seed,
      PLATFORM_SPEED: 'fast',
      PROVISION_POLL: '* * * * * *',
      PROVISION_LEASE_SECONDS: '2',
      SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
      SLACK_SIGNING_SECRET: 'x',
      SLACK_API_URL: slack.url,
      SLACK_CHANNEL: 'C0DRILL',
      SLACK_CHANNEL_INTERVAL_MS: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    // The first server makes the database (migrations, tenant); the second joins it.
    const urls: string[] = [];
    const servers: Child[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const server = runScript('app/main.ts', [], { ...env, PORT: String(port) });
      cleanups.push(() => server.process.kill('SIGKILL'));
      servers.push(server);
      urls.push(`http://127.0.0.1:${port}`);
      await waitForReady(urls[i] as string, server);
    }
    const db = await database.open();
    const token = await makeToken(db, 'drill-twins');
    const [a, b] = urls.map((url) => httpGql(() => url, token)) as [Gql, Gql];

    // 20 portals, requested on one server and accepted on the other, alternating.
    const subdomains = Array.from({ length: 20 }, (_, i) => `twin-${i}`);
    try {
      await inPool(subdomains, 4, async (subdomain, i) => {
        await (i % 2 === 0 ? requestAndAccept(a, b, subdomain) : requestAndAccept(b, a, subdomain));
      });
    } catch (error) {
      // The servers log why a mutation was masked as "Unexpected error." (right after answering).
      await sleep(500);
      const logged = servers
        .flatMap((server) => server.output().split('\n'))
        .filter((line) => /"level":(50|60)/.test(line))
        .map((line) => `${line.slice(0, 300)}…`);
      throw new Error(`${(error as Error).message}\n--- errors the servers logged ---\n${logged.slice(0, 5).join('\n')}`);
    }

    await waitFor(
      '20 portals provisioned',
      60_000,
      async () => (await countByStatus(db)).PROVISIONED === 20,
      async () => JSON.stringify(await countByStatus(db)),
    );
    await waitFor(
      'every event delivered to Slack',
      60_000,
      async () => Object.keys(await undelivered(db)).length === 0,
      async () => JSON.stringify(await undelivered(db)),
    );
    // Let anything late (a second delivery of the same event) land before counting.
    const postsAtSettle = slack.callsTo('chat.postMessage').length;
    await sleep(1_500);
    expect(slack.callsTo('chat.postMessage').length - postsAtSettle, 'posts after every event was delivered').toBe(0);

    for (const server of servers) expect(server.process.exitCode, server.output()).toBeNull();
    if (process.env.DRILL_VERBOSE) for (const server of servers) console.info(`[server log]\n${server.output().slice(0, 8000)}`);
    expect(await operationCounts(db, subdomains)).toEqual(Object.fromEntries(subdomains.map((s) => [s, { CREATE_RESOURCES: 1, INSTALL_PACKAGE: 1 }])));
    const byPortal = await eventsByPortal(db);
    expect(byPortal.size).toBe(20);
    for (const [portalId, types] of byPortal) expect(types, `events of portal ${portalId}`).toEqual(HAPPY);
    const seen = await checkSlackAgainstOutbox(slack, 'C0DRILL', db, { provisioned: true });
    expect(seen).toEqual({ events: 160, replies: 160, statusMessages: 20 });
    const errors = servers.flatMap((server) => server.output().split('\n')).filter((line) => /"level":(50|60)/.test(line));
    expect(errors, 'errors the servers logged').toEqual([]);
    console.info(`[drill] two servers on one database: ${Date.now() - started} ms`);
  }, 120_000);

  it(
    'Slack answering 429 or 500 to 30% of calls during 200 portal lifecycles: every event once, in order',
    async () => {
      const started = Date.now();
      const seedDir = tempDir('portal-ops-drill-storm-');
      cleanups.push(() => seedDir.remove());
      const seed = seedWithLicenses(seedDir.path, [
        { id: 'prod', type: 'PRODUCTION', quantity: 150 },
        { id: 'trial', type: 'TRIAL', quantity: 100 },
      ]);
      const h: SlackHarness = await startSlackHarness({ SLACK_CHANNEL: 'C0STORM', PLATFORM_SEED: seed });
      cleanups.push(() => h.stop());
      const db = await h.database.open();
      const token = await makeToken(db, 'drill-storm');
      const gql = httpGql(() => h.runtime.http.url, token);

      h.slack.failRandomly(0.3, [
        { status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } },
        { status: 500, json: { ok: false, error: 'internal_error' } },
      ]);
      const subdomains = Array.from({ length: 200 }, (_, i) => `storm-${i}`);
      await inPool(subdomains, 10, (subdomain) => requestAndAccept(gql, gql, subdomain).then(() => undefined));
      const requestedAt = Date.now();

      const progress = process.env.DRILL_VERBOSE
        ? setInterval(async () => {
            const window = await sqlRows<{ id: number; portalId: number; nextAt: number | null }>(
              db,
              sql`select e.id, e.portal_id as "portalId", d.next_attempt_at as "nextAt" from events e left join slack_deliveries d on d.event_id = e.id where d.state is null or d.state in ('PENDING','SENDING') order by e.id limit 200`,
            );
            const heads = new Map<number, number | null>();
            for (const row of window) if (!heads.has(row.portalId)) heads.set(row.portalId, row.nextAt);
            const blockedPortals = [...heads].filter(([, at]) => at !== null && at > Date.now()).map(([id]) => id);
            const blockedEvents = window.filter((r) => blockedPortals.includes(r.portalId)).length;
            const cpu = process.cpuUsage();
            console.info(
              `[storm +${Math.round((Date.now() - started) / 1000)}s] undelivered ${JSON.stringify(await undelivered(db))}; window ${window.length} events of ${heads.size} portals, ${blockedEvents} behind ${blockedPortals.length} waiting heads; cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms; slack calls ${h.slack.calls.length}`,
            );
          }, 5_000)
        : undefined;
      cleanups.push(() => clearInterval(progress));
      await waitFor(
        '200 portals provisioned',
        60_000,
        async () => (await countByStatus(db)).PROVISIONED === 200,
        async () => JSON.stringify(await countByStatus(db)),
      );
      const provisionedAt = Date.now();
      // Every event delivered within the bound, with Slack still failing; a SKIPPED event is lost for good.
      let notDelivered: Error | undefined;
      try {
        await waitFor(
          'every event delivered to Slack',
          Number(process.env.DRILL_STORM_WAIT_MS ?? 120_000),
          async () => {
            const left = await undelivered(db);
            if (left.SKIPPED)
              throw new Error(`events given up on: ${JSON.stringify(await sqlRows(db, sql`select event_id, attempts, last_error from slack_deliveries where state = 'SKIPPED' limit 5`))}`);
            return Object.keys(left).length === 0;
          },
          async () =>
            `${JSON.stringify(await undelivered(db))}; undelivered events by attempts so far: ${JSON.stringify(await sqlRows(db, sql`select attempts, count(*) as n, max(next_attempt_at) - ${Date.now()} as "latestRetryInMs" from slack_deliveries where state != 'DONE' group by attempts`))}`,
        );
      } catch (error) {
        notDelivered = error as Error;
      }
      const deliveredAt = Date.now();
      h.slack.failRandomly(0, []);
      await sleep(1_500);

      // What was posted is right even if not everything was: nothing twice, nothing out of order, one status message.
      await checkSlackAgainstOutbox(h.slack, 'C0STORM', db, { provisioned: true, partial: true });
      if (notDelivered) throw notDelivered;
      const byPortal = await eventsByPortal(db);
      expect(byPortal.size).toBe(200);
      for (const [portalId, types] of byPortal) expect(types, `events of portal ${portalId}`).toEqual(HAPPY);
      const seen = await checkSlackAgainstOutbox(h.slack, 'C0STORM', db, { provisioned: true });
      expect(seen).toEqual({ events: 1600, replies: 1600, statusMessages: 200 });
      const calls = h.slack.calls.filter((c) => !c.method.startsWith('response/')).length;
      const attempts = (await sqlRow<{ most: number; total: number }>(db, sql`select max(attempts) as most, sum(attempts) as total from slack_deliveries`)) as {
        most: number;
        total: number;
      };
      console.info(
        `[drill] Slack storm: ${Date.now() - started} ms (requests ${requestedAt - started} ms, provisioned +${provisionedAt - requestedAt} ms, delivered +${deliveredAt - provisionedAt} ms; ${calls} Slack calls, retries ${attempts.total}, most retries of one event ${attempts.most})`,
      );
    },
    Number(process.env.DRILL_STORM_TIMEOUT_MS ?? 170_000),
  );

  it('the server killed with SIGKILL during sweeps, several times: no portal stuck, each step and event once', async () => {
    const started = Date.now();
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const seed = seedWithLicenses(database.dir, [{ id: 'prod', type: 'PRODUCTION', quantity: 50 }]);
    const env: Record<string, string> = {
      ...database.env,
      PLATFORM_SEED: seed,
      PLATFORM_SPEED: 'fast',
      PROVISION_POLL: '* * * * * *',
      PROVISION_LEASE_SECONDS: '1',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const db = await database.open();
    await LocalPlatform.connect(db, seed, 'fast');
    const token = await makeToken(db, 'drill-kill');

    let server: Child | undefined;
    let url = '';
    const outputs: string[] = [];
    const start = async () => {
      const port = await freePort();
      const child = runScript('app/main.ts', [], { ...env, PORT: String(port) });
      server = child;
      cleanups.push(() => child.process.kill('SIGKILL'));
      url = `http://127.0.0.1:${port}`;
      await waitForReady(url, child);
    };
    const kill = async () => {
      const child = server as Child;
      child.process.kill('SIGKILL');
      await child.exited;
      outputs.push(child.output());
    };
    await start();
    const gql = httpGql(() => url, token);
    const subdomains = Array.from({ length: 30 }, (_, i) => `kill-${i}`);
    // 10 portals first, then 5 more before each of four kills, so that every kill lands while
    // portals are being provisioned (a fast portal takes well under a second).
    const waves = [subdomains.slice(0, 10), ...[0, 1, 2, 3].map((i) => subdomains.slice(10 + i * 5, 15 + i * 5))];
    const statesAtKill: string[] = [];
    for (const [round, wave] of waves.entries()) {
      await inPool(wave, 5, (subdomain) => requestAndAccept(gql, gql, subdomain).then(() => undefined));
      if (round === waves.length - 1) break;
      await sleep(Math.floor(Math.random() * 500));
      statesAtKill.push(JSON.stringify(await countByStatus(db)));
      await kill();
      await start();
    }

    await waitFor(
      'no portal configuring',
      30_000,
      async () => !(await countByStatus(db)).CONFIGURING,
      async () => `${JSON.stringify(await countByStatus(db))}; at each kill: ${statesAtKill.join(' ')}`,
    );
    expect(server?.process.exitCode, server?.output()).toBeNull();
    const stuck = (await portalRows(db)).filter((p) => p.status !== 'PROVISIONED');
    expect(stuck, 'portals not provisioned').toEqual([]);
    const byPortal = await eventsByPortal(db);
    expect(byPortal.size).toBe(30);
    for (const [portalId, types] of byPortal) expect(types, `events of portal ${portalId}`).toEqual(HAPPY);
    // No event type twice within one attempt (every portal is on its first attempt here).
    const perAttempt = new Map<string, number>();
    for (const e of await eventRows(db)) perAttempt.set(`${e.portalId}:${e.type}`, (perAttempt.get(`${e.portalId}:${e.type}`) ?? 0) + 1);
    expect([...perAttempt].filter(([, n]) => n > 1)).toEqual([]);
    expect(await operationCounts(db, subdomains)).toEqual(Object.fromEntries(subdomains.map((s) => [s, { CREATE_RESOURCES: 1, INSTALL_PACKAGE: 1 }])));
    const crashes = [...outputs, server?.output() ?? ''].flatMap((o) => o.split('\n')).filter((line) => /"level":(50|60)/.test(line));
    expect(crashes, 'error logs of the killed servers').toEqual([]);
    console.info(`[drill] SIGKILL x4: ${Date.now() - started} ms; portals by status at each kill: ${statesAtKill.join(' ')}`);
  }, 90_000);
});
