// Several replicas on one PostgreSQL database, over real wires: product processes started together on
// a new database, sharing 300 portals from request to provisioned while one of them at a time is
// killed with SIGKILL and started again; requests and terms go through whichever replica is up, Slack
// is the fake on loopback. Then the questions every drill asks: each portal provisioned once, each
// platform operation started once, each event posted to Slack once, no license given twice, no two
// replicas holding one portal at once. And a subscription on one replica hearing what another wrote.
// DRILL_VERBOSE=1 prints the replicas' logs and the drill's progress.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { createTestDatabase } from './support/databases.ts';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.ts';
import { MUTATIONS } from './support/lifecycle.ts';
import { ROOT, runScript } from './support/process.ts';
import {
  callAnyReplica,
  claimsByPid,
  type GqlAnswer,
  killLoop,
  type OutboxEvent,
  overlappingClaims,
  query,
  type ReplicaAnswer,
  ReplicaSet,
  readerPool,
  recordClaims,
  slackAgainstOutbox,
} from './support/replicas.ts';
import { type SlackProxy, startSlackProxy } from './support/slack-proxy.ts';
import { nextPayloads, openEventStream, type SseFrame } from './support/sse.ts';
import { portalInput, REQUEST_PORTAL, seedWithLicenses, tempDir } from './support/tenant.ts';
import { eventually, sleep } from './support/wait.ts';

const HAPPY = ['PORTAL_REQUESTED', 'TERMS_ACCEPTED', 'CONSENT_GRANTED', 'PROVISIONING_STARTED', 'RESOURCES_REQUESTED', 'RESOURCES_CREATED', 'PACKAGE_INSTALL_STARTED', 'PORTAL_PROVISIONED'];
const CHANNEL = 'C0REPLICAS';
/** Seats in all: as many as portals, so that the requests beyond them must be refused. */
const PORTALS = 300;
const BEYOND_LICENSES = 10;
const verbose = Boolean(process.env.DRILL_VERBOSE);

/**
 * What each replica runs: the bundle `npm start` runs (scripts/build.mjs), built once for this file; it
 * starts in a few seconds where the sources through tsx take several times longer, so the kill loop
 * gets through more kills. REPLICA_DRILL_SOURCES=1 runs app/main.ts through tsx instead.
 */
let program = 'app/main.ts';
const bundleDir = join(ROOT, '.test-dist', `replicas-${randomUUID()}`);
beforeAll(async () => {
  if (process.env.REPLICA_DRILL_SOURCES) return;
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', bundleDir], { cwd: ROOT });
  program = join(bundleDir, 'main.js');
}, 120_000);
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

// Everything a test starts is stopped here, last started first, even when it fails.
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

const waitFor = <T>(what: string, timeoutMs: number, check: () => T | undefined | false | Promise<T | undefined | false>, describe?: () => string | Promise<string>) => {
  let last = '';
  const refresh = async () => {
    if (describe) last = await describe();
  };
  return eventually(
    async () => {
      const value = await check();
      if (!value) await refresh();
      return value;
    },
    timeoutMs,
    what,
    { intervalMs: 200, describe: () => last },
  );
};

/** Runs `work` over `items`, `limit` at a time. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

interface Drill {
  set: ReplicaSet;
  pool: pg.Pool;
  slack: FakeSlack;
  token: string;
  env: Record<string, string>;
}

/**
 * A new PostgreSQL database, the fake Slack, and `size` replicas started at the same instant on it (so
 * they race to migrate it and seed the simulated tenant), with a token made by `npm run token:create`.
 * With `proxy`, the replicas reach the fake Slack through it.
 */
async function startReplicas(size: number, licenses: Array<{ id: string; type: 'TRIAL' | 'PRODUCTION'; quantity: number }>, proxy?: SlackProxy): Promise<Drill> {
  const database = await createTestDatabase('postgres');
  cleanups.push(() => database.drop());
  const dir = tempDir('portal-ops-replicas-');
  cleanups.push(() => dir.remove());
  const slack = await startFakeSlack();
  cleanups.push(() => slack.close());
  if (proxy) proxy.target = slack.url;
  const env = {
    ...database.env,
    PLATFORM_SEED: seedWithLicenses(dir.path, licenses),
    PLATFORM_SPEED: 'fast',
    PROVISION_POLL: '* * * * * *',
    PROVISION_LEASE_SECONDS: '2',
    SECRET_KEY: randomBytes(32).toString('base64'),
    SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
    SLACK_SIGNING_SECRET: 'replica-drill-signing-secret',
    SLACK_API_URL: proxy ? proxy.url : slack.url,
    SLACK_CHANNEL: CHANNEL,
    SLACK_CHANNEL_INTERVAL_MS: '0',
    PORTAL_DOMAIN: 'portals.test',
  };
  const set = new ReplicaSet(size, env, program);
  cleanups.push(async () => {
    for (let i = 0; i < size; i++) await set.kill(i);
  });
  await set.startAll();
  const pool = readerPool(database.env.DATABASE_URL as string);
  cleanups.push(() => pool.end());
  const cli = runScript('scripts/token-create.ts', ['--name', 'replica-drill', '--scopes', 'read,write', '--user', 'ada@contoso.com'], env);
  expect(await cli.exited, cli.output()).toBe(0);
  const token = cli.output().trim().split('\n').at(-1) as string;
  return { set, pool, slack, token, env };
}

const rowId = (globalId: string) => Number(decodeGlobalID(globalId).id);

/** Calls of the requests and terms that met a dead replica: retried elsewhere, and settled by the database when their outcome was unknown. */
const calls = { retried: 0, settledByDatabase: 0 };
function counted(answer: ReplicaAnswer): ReplicaAnswer {
  if (answer.failedTries > 0) calls.retried += 1;
  return answer;
}

/** A request asking back only what the drill reads of the answer. */
const REQUEST = /* GraphQL */ `
  mutation Request($input: RequestPortalInput!) {
    requestPortal(input: $input) { __typename ... on PortalPayload { portal { id } } ... on ValidationError { fields { field } } ... on Error { message } }
  }
`;

/** Requests a portal through any replica: its row id, or 'refused' when no license was left. */
async function requestPortal({ set, pool, token }: Drill, subdomain: string): Promise<number | 'refused'> {
  const { body, uncertain } = counted(await callAnyReplica(set, token, REQUEST, { input: portalInput({ subdomain, name: `Drill ${subdomain}` }) }));
  const answer = body.data?.requestPortal as { __typename: string; portal?: { id: string }; fields?: Array<{ field: string }> } | undefined;
  if (answer?.__typename === 'PortalPayload') return rowId(answer.portal?.id as string);
  if (uncertain) {
    // A replica died after it took the request and before it answered: the database knows whether it ran.
    const [row] = await query<{ id: number }>(pool, 'select id from portals where subdomain = $1', [subdomain]);
    calls.settledByDatabase += 1;
    if (row) return row.id;
  }
  if (answer?.__typename === 'ValidationError' && answer.fields?.every((f) => f.field === 'license')) return 'refused';
  throw new Error(`requesting ${subdomain}: ${JSON.stringify(body)}`);
}

/** Accepts the terms with consent through any replica. */
async function acceptTerms({ set, pool, token }: Drill, portalId: number): Promise<void> {
  const input = { portalId: encodeGlobalID('Portal', portalId), termsVersion: CURRENT_TERMS_VERSION, consent: true };
  const { body, uncertain } = counted(await callAnyReplica(set, token, MUTATIONS.accept, { input }));
  const answer = body.data?.result as { __typename: string; portal?: { status: string } } | undefined;
  if (answer?.__typename === 'PortalPayload' && answer.portal?.status === 'CONFIGURING') return;
  if (uncertain) {
    const [row] = await query<{ status: string }>(pool, 'select status from portals where id = $1', [portalId]);
    calls.settledByDatabase += 1;
    if (row && row.status !== 'AWAITING_TERMS') return;
  }
  throw new Error(`accepting the terms of portal ${portalId}: ${JSON.stringify(body)}`);
}

const LICENSES = '{ licenses { id quantity used available } }';
type License = { id: string; quantity: number; used: number; available: number };

/** Reads the licenses query through any replica every few hundred ms, keeping what it saw. */
function watchLicenses(drill: Drill) {
  const seen: License[][] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { body } = await callAnyReplica(drill.set, drill.token, LICENSES, {}).catch(() => ({ body: {} as GqlAnswer }));
      if (body.data?.licenses) seen.push(body.data.licenses as License[]);
      await sleep(300);
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function countByStatus(pool: pg.Pool): Promise<Record<string, number>> {
  const rows = await query<{ status: string; n: number }>(pool, 'select status, count(*)::int as n from portals group by status');
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function undelivered(pool: pg.Pool): Promise<Record<string, number>> {
  const rows = await query<{ state: string; n: number }>(
    pool,
    `select coalesce(d.state, 'NO_ROW') as state, count(*)::int as n from events e left join slack_deliveries d on d.event_id = e.id
     where d.state is distinct from 'DONE' group by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Everything the outbox and the simulator hold, for the checks. */
async function readBack(pool: pg.Pool) {
  const portals = await query<{ id: number; name: string; subdomain: string; status: string; attempt: number; license_id: string }>(
    pool,
    'select id, name, subdomain, status, attempt, license_id from portals order by id',
  );
  const events = await query<{ id: number; portal_id: number; type: string; alert: boolean }>(
    pool,
    "select id::int, portal_id::int, type, coalesce((data ->> 'alert')::boolean, false) as alert from events order by id",
  );
  const operations = await query<{ subdomain: string; kind: string; n: number }>(pool, 'select subdomain, kind, count(*)::int as n from sim_operations group by subdomain, kind');
  return { portals, events, operations };
}

async function drill(size: number) {
  const started = Date.now();
  calls.retried = 0;
  calls.settledByDatabase = 0;
  const d = await startReplicas(size, [
    { id: 'prod', type: 'PRODUCTION', quantity: 200 },
    { id: 'trial', type: 'TRIAL', quantity: PORTALS - 200 },
  ]);
  const { set, pool, slack } = d;
  const startedAt = Date.now();
  await recordClaims(pool, [
    { table: 'portals', key: 'id' },
    { table: 'slack_deliveries', key: 'event_id' },
  ]);
  const chaos = killLoop(set, { minMs: 1_000, maxMs: 2_000 });
  cleanups.push(() => chaos.stop());
  const licenses = watchLicenses(d);
  cleanups.push(() => licenses.stop());
  const progress = verbose
    ? setInterval(
        async () =>
          console.info(
            `[replicas ${size} +${Date.now() - started} ms] ${JSON.stringify(await countByStatus(pool))} undelivered ${JSON.stringify(await undelivered(pool))} kills ${chaos.kills}`,
          ),
        2_000,
      )
    : undefined;
  cleanups.push(() => clearInterval(progress));

  // 310 requests for 300 seats, eight at a time, each to whichever replica is up; terms accepted likewise.
  const subdomains = Array.from({ length: PORTALS + BEYOND_LICENSES }, (_, i) => `drill-${size}-${i}`);
  const outcomes = await inPool(subdomains, 8, async (subdomain) => {
    const id = await requestPortal(d, subdomain);
    if (id !== 'refused') await acceptTerms(d, id);
    return id;
  });
  const requestedAt = Date.now();
  await waitFor(
    `${PORTALS} portals provisioned`,
    90_000,
    async () => (await countByStatus(pool)).PROVISIONED === PORTALS,
    async () => JSON.stringify(await countByStatus(pool)),
  );
  const provisionedAt = Date.now();
  const kills = await chaos.stop();
  await licenses.stop();
  await waitFor(
    'every event delivered to Slack',
    90_000,
    async () => {
      const left = await undelivered(pool);
      if (left.SKIPPED)
        throw new Error(`events given up on: ${JSON.stringify(await query(pool, "select event_id, attempts, last_error from slack_deliveries where state = 'SKIPPED' limit 5"))}`);
      return Object.keys(left).length === 0;
    },
    async () => JSON.stringify(await undelivered(pool)),
  );
  const deliveredAt = Date.now();
  // Anything late (a second post of an event, a last status edit) lands before the count.
  const postsAtSettle = slack.callsTo('chat.postMessage').length;
  // A replica killed owing a status edit leaves it to another once the edit is overdue (a delivery lease).
  await waitFor(
    'every status message edited to say provisioned',
    60_000,
    () => slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts && JSON.stringify(m.blocks ?? []).includes('✓ Provisioned')).length >= PORTALS,
    async () =>
      JSON.stringify(await query(pool, 'select count(*)::int as owed, min(edit_due_at)::float8 - $1 as "firstDueInMs" from slack_posts where edit_due_at is not null', [Date.now()])),
  );
  const editedAt = Date.now();
  await sleep(1_500);
  if (verbose) for (const o of set.outputs()) console.info(`[replica ${o.replica} pid ${o.pid}]\n${o.text.slice(0, 4000)}`);
  console.info(
    `[replica drill] ${size} replicas, phases: start ${startedAt - started} ms, requests +${requestedAt - startedAt} ms, provisioned +${provisionedAt - requestedAt} ms, delivered +${deliveredAt - provisionedAt} ms, status messages edited +${editedAt - deliveredAt} ms`,
  );

  // Every portal: provisioned, on its first attempt, with each step's event once.
  const { portals, events, operations } = await readBack(pool);
  const refused = outcomes.filter((o) => o === 'refused').length;
  const byPortal = new Map<number, string[]>();
  for (const e of events) byPortal.set(e.portal_id, [...(byPortal.get(e.portal_id) ?? []), e.type]);
  // The simulator's operations per portal: one per step and attempt.
  const opCounts = new Map<string, Record<string, number>>();
  for (const o of [...operations].sort((x, y) => x.kind.localeCompare(y.kind))) opCounts.set(o.subdomain, { ...opCounts.get(o.subdomain), [o.kind]: o.n });
  const oneEach = JSON.stringify({ CREATE_RESOURCES: 1, INSTALL_PACKAGE: 1 });
  // Slack against the outbox, and each portal's status message as it reads now.
  const outbox: OutboxEvent[] = events.map((e) => ({ id: e.id, portalId: e.portal_id, type: e.type, alert: e.alert }));
  const slackProblems = slackAgainstOutbox(slack.messages, CHANNEL, outbox, portals);
  const statusNotProvisioned = slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts && !m.metadata && !JSON.stringify(m.blocks ?? []).includes('✓ Provisioned'));
  // Licenses: at every look, and at the end against the portals that hold one.
  const final = (await callAnyReplica(set, d.token, LICENSES, {})).body.data?.licenses as License[];
  const held = new Map<string, number>();
  for (const p of portals) held.set(p.license_id, (held.get(p.license_id) ?? 0) + 1);
  // Leases: who claimed the portals, and whether a claim ever overlapped another replica's lease.
  const claims = await claimsByPid(pool, 'portals');
  const byReplica = new Map<number, number>();
  for (const [pid, n] of claims) {
    const replica = set.replicaOfPid(pid) ?? -1;
    byReplica.set(replica, (byReplica.get(replica) ?? 0) + n);
  }
  const multiClaimed = await query<{ n: number }>(
    pool,
    "select count(*)::int as n from (select row_id from drill_claims where tbl = 'portals' group by row_id having count(distinct owner) > 1) x",
  );
  const errors = set.errorLines();
  const codes = await set.stopAll();
  console.info(
    `[replica drill] ${size} replicas: ${Date.now() - started} ms in all; ${PORTALS} portals, ${refused} refused; ${calls.retried} calls retried on another replica, ${calls.settledByDatabase} settled by the database; ${kills.kills} kills, ${kills.restarts} restarts (down ${Math.min(...kills.downMs)}–${Math.max(...kills.downMs)} ms), ${set.starts} processes; ` +
      `portal claims by replica ${JSON.stringify(Object.fromEntries(byReplica))}, ${multiClaimed[0]?.n} portals worked by more than one process; ` +
      `${slack.callsTo('chat.postMessage').length} posts, ${slack.callsTo('chat.update').length} status edits; ${licenses.seen.length} looks at the licenses`,
  );

  // Every question at once, so that one run shows every problem.
  expect({
    portals: portals.length,
    refused,
    notProvisionedOnFirstAttempt: portals.filter((p) => p.status !== 'PROVISIONED' || p.attempt !== 1).map((p) => p.subdomain),
    eventsNotEachStepOnce: portals.filter((p) => JSON.stringify(byPortal.get(p.id)) !== JSON.stringify(HAPPY)).map((p) => ({ portal: p.subdomain, events: byPortal.get(p.id) })),
    events: events.length,
    operationsNotOneEach: portals.filter((p) => JSON.stringify(opCounts.get(p.subdomain)) !== oneEach).map((p) => ({ portal: p.subdomain, operations: opCounts.get(p.subdomain) })),
    portalsWithOperations: opCounts.size,
    ...slackProblems,
    postsAfterSettling: slack.callsTo('chat.postMessage').length - postsAtSettle,
    statusMessagesNotSayingProvisioned: statusNotProvisioned.map((m) => m.text),
    licensesSeenOverQuantity: licenses.seen.flat().filter((l) => l.used > l.quantity),
    licensesAtEnd: final.map((l) => ({ id: l.id, used: l.used, available: l.available })),
    overlappingClaims: await overlappingClaims(pool),
    claimsByNoReplica: byReplica.get(-1) ?? 0,
    replicasThatClaimedPortals: byReplica.size > 1 ? 'more than one' : `${byReplica.size}`,
    errorsLogged: errors,
    exitCodesOnSigterm: codes,
  }).toEqual({
    portals: PORTALS,
    refused: BEYOND_LICENSES,
    notProvisionedOnFirstAttempt: [],
    eventsNotEachStepOnce: [],
    events: PORTALS * HAPPY.length,
    operationsNotOneEach: [],
    portalsWithOperations: PORTALS,
    ...Object.fromEntries(Object.keys(slackProblems).map((k) => [k, []])),
    postsAfterSettling: 0,
    statusMessagesNotSayingProvisioned: [],
    licensesSeenOverQuantity: [],
    licensesAtEnd: final.map((l) => ({ id: l.id, used: held.get(l.id) ?? 0, available: 0 })),
    overlappingClaims: [],
    claimsByNoReplica: 0,
    replicasThatClaimedPortals: 'more than one',
    errorsLogged: [],
    exitCodesOnSigterm: codes.map(() => 0),
  });
}

describe('several replicas on one PostgreSQL database', () => {
  it.each([3, 2])('%i replicas share 300 portals while one at a time is killed with SIGKILL: each step, event, post and seat once', (size) => drill(size), 400_000);

  it('a status edit owed by a replica killed before it made it is made by another replica', async () => {
    // The drill found status messages left saying "Configuring": the edit after a portal's last events
    // lived only in the memory of the replica that delivered them, and died with it.
    // Replica A reaches Slack through a proxy that, once told, keeps every chat.update from Slack.
    let dropEdits = false;
    const proxy = await startSlackProxy((method) => (dropEdits && method === 'chat.update' ? 'drop' : 'pass'));
    cleanups.push(() => proxy.close());
    const d = await startReplicas(1, [{ id: 'prod', type: 'PRODUCTION', quantity: 5 }], proxy);
    const { pool, slack } = d;
    const gql = (query: string, variables: Record<string, unknown>) => callAnyReplica(d.set, d.token, query, variables);
    const statusMessages = () => slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts);
    const requested = await gql(REQUEST_PORTAL, { input: portalInput({ subdomain: 'owed-edit', name: 'Before' }) });
    const portalId = (requested.body.data?.requestPortal as { portal: { id: string } } | undefined)?.portal.id;
    await waitFor(
      'the request delivered, its status message posted and edited',
      30_000,
      async () => Object.keys(await undelivered(pool)).length === 0 && statusMessages().length === 1 && slack.callsTo('chat.update').length > 0,
    );

    // A renames the portal, posts the rename in the thread, and is killed while its status edit is on its way.
    dropEdits = true;
    const renamed = await gql(MUTATIONS.rename, { input: { portalId, name: 'After' } });
    expect(renamed.body.data?.result).toMatchObject({ __typename: 'PortalPayload' });
    await waitFor('the rename delivered and the status edit sent', 30_000, async () => Object.keys(await undelivered(pool)).length === 0 && proxy.lost.length > 0);
    await d.set.kill(0);
    expect(statusMessages().map((m) => m.text)).toEqual(['Before: Waiting for the terms of service']);

    // Replica B, reaching Slack directly, makes the edit once it is overdue.
    const b = new ReplicaSet(1, { ...d.env, SLACK_API_URL: slack.url }, program);
    cleanups.push(() => b.kill(0));
    await b.startAll();
    await waitFor(
      'the status message edited by replica B',
      60_000,
      () => statusMessages()[0]?.text === 'After: Waiting for the terms of service',
      () => JSON.stringify(statusMessages().map((m) => m.text)),
    );
    expect(statusMessages()).toHaveLength(1);
    expect(slack.messages.filter((m) => m.thread_ts).map((m) => m.metadata?.event_payload.event_id)).toHaveLength(2);
  }, 120_000);

  it('a subscription on one replica streams what another replica writes', async () => {
    const d = await startReplicas(2, [{ id: 'prod', type: 'PRODUCTION', quantity: 20 }]);
    const [a, b] = [d.set.url(0), d.set.url(1)];
    const stream = await openEventStream({ fetch: (url, init) => fetch(url, init) }, 'subscription { portalEvents { sequence type portal { id name } } }', {
      token: d.token,
      url: `${a}/graphql`,
    });
    cleanups.push(() => stream.close());
    expect(stream.status).toBe(200);
    const received: Array<{ frame: SseFrame; at: number }> = [];
    void (async () => {
      for (;;) {
        const frames = await stream.frames(1).catch(() => []);
        if (frames.length === 0) return;
        for (const frame of frames) received.push({ frame, at: performance.now() });
      }
    })();
    const onB = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${b}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: Record<string, { __typename: string; portal: { id: string } }> };
    };
    // From sending the rename to B until A streamed it (B's own answer time included), and B's answer time alone.
    const latencies: number[] = [];
    const answers: number[] = [];
    const requested = await onB(REQUEST_PORTAL, { input: portalInput({ subdomain: 'heard-on-a', name: 'Heard on A' }) });
    expect(requested.data.requestPortal?.__typename).toBe('PortalPayload');
    const portalId = requested.data.requestPortal?.portal.id as string;
    // Renames through B, each one heard on A: the time from B's answer to A's frame, as measured.
    for (let i = 0; i <= 10; i++) {
      const name = `Heard on A ${i}`;
      const sent = performance.now();
      const renamed = await onB(MUTATIONS.rename, { input: { portalId, name } });
      const answered = performance.now();
      expect(renamed.data.result?.__typename).toBe('PortalPayload');
      const heard = await eventually(
        () => received.find(({ frame }) => JSON.stringify(nextPayloads([frame], 'portalEvents')).includes(name)),
        15_000,
        `the rename to "${name}" streamed on replica A`,
      );
      if (i > 0) {
        latencies.push(heard.at - sent);
        answers.push(answered - sent);
      }
      if (verbose) console.info(`rename ${i}: B answered after ${Math.round(answered - sent)} ms, A streamed it ${(heard.at - answered).toFixed(1)} ms later`);
    }
    const events = nextPayloads<{ type: string; portal: { id: string } }>(
      received.map((r) => r.frame),
      'portalEvents',
    );
    expect(events[0]).toMatchObject({ type: 'PORTAL_REQUESTED', portal: { id: portalId } });
    expect(events.filter((e) => e.type === 'PORTAL_RENAMED')).toHaveLength(11);
    const spread = (values: number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      return `${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms`;
    };
    console.info(
      `[replica drill] subscription on A, writes on B: ${latencies.length} renames streamed on A ${spread(latencies)} after they were sent to B (B answered in ${spread(answers)})`,
    );
  }, 90_000);
});
