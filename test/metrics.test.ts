// /metrics over real wires: the product started in-process on a loopback port with a test database,
// a portal driven through provisioning on the simulator at test speed, then the text Prometheus
// would scrape read over HTTP, checked as its exposition format and for what moved.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { MAX_OPERATION_NAMES, Metrics } from '../app/metrics.ts';
import { type Runtime, startRuntime } from '../app/runtime.ts';
import type { Actor } from '../core/actor.ts';
import { requestPortal } from '../core/portals.ts';
import { acceptPortalTerms } from '../core/provisioning.ts';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { createApiToken } from '../core/tokens.ts';
import { closeDatabase } from '../db/database.ts';
import { findPortal } from '../db/portal-store.ts';
import { FAST_TIMING, ProvisioningPoller } from '../jobs/provisioning-poller.ts';
import { SAMPLE_SEED_PATH } from '../platform/local/seed.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import type { Platform } from '../platform/platform.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { MUTATIONS, PORTAL_STATE } from './support/lifecycle.ts';
import { type SlackHarness, startSlackHarness } from './support/slack.ts';
import { portalInput, REQUEST_PORTAL } from './support/tenant.ts';
import { eventually } from './support/wait.ts';
import type { WireJson } from './support/wire-json.ts';

// ---- the exposition format ----

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
  helps: Set<string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`line ${line}: labels that do not parse: {${text}}`);
    labels[match[1] as string] = (match[2] as string).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (!/^-?[0-9.]+(e[-+]?\d+)?$/i.test(text) || Number.isNaN(value)) throw new Error(`line ${line}: "${text}" is not a sample value`);
  return value;
}

/** The family a sample belongs to: a histogram's _bucket, _sum and _count are its own name's. */
function familyOf(name: string, types: Map<string, string>): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && ['histogram', 'summary'].includes(types.get(base) ?? '') ? base : name;
}

/** Parses Prometheus' text format (0.0.4), failing on any line that is not a comment, HELP, TYPE or `name{labels} value`. */
function parseExposition(text: string): Exposition {
  const exposition: Exposition = { samples: [], types: new Map(), helps: new Set() };
  expect(text.endsWith('\n'), 'the text ends with a line feed').toBe(true);
  text.split('\n').forEach((line, i) => {
    const at = i + 1;
    if (line === '') return;
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name = '', rest = ''] = comment;
      if (!new RegExp(`^${NAME}$`).test(name)) throw new Error(`line ${at}: "${name}" is not a metric name`);
      if (kind === 'HELP') exposition.helps.add(name);
      else if (TYPES.has(rest)) exposition.types.set(name, rest);
      else throw new Error(`line ${at}: unknown type "${rest}"`);
      return;
    }
    if (line.startsWith('#')) return;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`line ${at} is not a sample line: ${line}`);
    const name = sample[1] as string;
    const family = familyOf(name, exposition.types);
    if (!exposition.types.has(family) || !exposition.helps.has(family)) throw new Error(`line ${at}: ${name} comes without HELP and TYPE lines for ${family}`);
    const labels = parseLabels(sample[2] ?? '', at);
    if (name.endsWith('_bucket') && exposition.types.get(family) === 'histogram' && labels.le === undefined) throw new Error(`line ${at}: a bucket without le`);
    exposition.samples.push({ name, labels, value: parseValue(sample[3] as string, at) });
  });
  return exposition;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function sampleOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function sumOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

// ---- the product ----

async function scrape(baseUrl: string, token?: string): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(text);
}

/** A read-write API token for ada@contoso.com, made through a connection of the test's own. */
async function apiToken(database: TestDatabase): Promise<string> {
  const db = await database.open();
  try {
    return (await createApiToken({ db, platform: new LocalPlatform(db) }, { name: 'metrics-test', scopes: ['read', 'write'], userEmail: 'ada@contoso.com' })).token;
  } finally {
    await closeDatabase(db);
  }
}

function graphqlOver(baseUrl: string, token: string) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<WireJson> => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };
}

/** Requests a portal (the named operation "Request"), accepts its terms with consent (an anonymous mutation) and waits until `status`. */
async function provision(gql: ReturnType<typeof graphqlOver>, subdomain: string, status = 'PROVISIONED'): Promise<void> {
  const requested = await gql(REQUEST_PORTAL, { input: portalInput({ subdomain }) });
  const id = requested.requestPortal.portal.id as string;
  const accepted = await gql(MUTATIONS.accept, { input: { portalId: id, termsVersion: CURRENT_TERMS_VERSION, consent: true } });
  expect(accepted.result.__typename).toBe('PortalPayload');
  await eventually(async () => (await gql(PORTAL_STATE, { id })).portal.status === status, 15_000, `${subdomain} ${status}`, { intervalMs: 50 });
}

/** The product without Slack, on a test database of its own; `env` adds to the test settings. */
async function startPlain(env: Record<string, string> = {}): Promise<{ runtime: Runtime; database: TestDatabase; stop(): Promise<void> }> {
  const database = await createTestDatabase();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', ...database.env, PLATFORM_SPEED: 'fast', PROVISION_POLL: '* * * * * *', PORTAL_DOMAIN: 'portals.test', ...env });
  const runtime = await startRuntime(config, createLogger('silent')).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    runtime,
    database,
    async stop() {
      await runtime.stop();
      await database.drop();
    },
  };
}

const METRICS_TOKEN = 'metrics-test-token-0123456789abcdef';

describe('/metrics of a product with Slack and a metrics token', () => {
  let h: SlackHarness;
  let baseUrl: string;

  beforeAll(async () => {
    h = await startSlackHarness({ METRICS_TOKEN, SLACK_CHANNEL: 'C0PORTALS' });
    baseUrl = h.runtime.http.url;
  });
  afterAll(() => h?.stop());

  it('counts a portal provisioned through the API: the jobs, the operations, the API, HTTP, Slack delivery and the portals by status', async () => {
    const gql = graphqlOver(baseUrl, await apiToken(h.database));
    await provision(gql, 'metrics-portal');
    // Slack delivery posts the portal's 8 events (requested … provisioned) to the channel.
    const m = await eventually(
      async () => {
        const now = await scrape(baseUrl, METRICS_TOKEN);
        return sampleOf(now, 'portal_ops_slack_deliveries_total', { outcome: 'posted' }) === 8 && sampleOf(now, 'portal_ops_slack_deliveries_pending') === 0 && now;
      },
      10_000,
      'the 8 events posted to Slack',
    );
    expect(sampleOf(m, 'portal_ops_portals', { status: 'PROVISIONED' })).toBe(1);
    for (const status of ['AWAITING_TERMS', 'CONFIGURING', 'PROVISIONING_FAILED', 'DECLINED', 'EXPIRED']) expect(sampleOf(m, 'portal_ops_portals', { status })).toBe(0);
    expect(sampleOf(m, 'portal_ops_slack_delivery_lag_seconds')).toBe(0);

    expect(sampleOf(m, 'portal_ops_job_sweep_duration_seconds_count', { job: 'provisioning' })).toBeGreaterThan(0);
    expect(sampleOf(m, 'portal_ops_job_sweep_duration_seconds_bucket', { job: 'provisioning', le: '+Inf' })).toBe(
      sampleOf(m, 'portal_ops_job_sweep_duration_seconds_count', { job: 'provisioning' }),
    );
    expect(sampleOf(m, 'portal_ops_job_sweep_duration_seconds_count', { job: 'slack-delivery' })).toBeGreaterThan(0);
    expect(sampleOf(m, 'portal_ops_job_claims_total', { job: 'provisioning' })).toBeGreaterThan(0);
    for (const kind of ['CREATE_RESOURCES', 'INSTALL_PACKAGE']) {
      expect(sampleOf(m, 'portal_ops_provisioning_operations_started_total', { kind })).toBe(1);
      expect(sampleOf(m, 'portal_ops_provisioning_operations_finished_total', { kind, outcome: 'succeeded' })).toBe(1);
    }

    expect(sampleOf(m, 'portal_ops_graphql_operation_duration_seconds_count', { operation_type: 'mutation', operation_name: 'Request' })).toBe(1);
    expect(sampleOf(m, 'portal_ops_graphql_operation_duration_seconds_count', { operation_type: 'mutation', operation_name: 'anonymous' })).toBe(1);
    expect(sampleOf(m, 'portal_ops_graphql_operation_duration_seconds_count', { operation_type: 'query', operation_name: 'State' })).toBeGreaterThan(0);
    expect(sampleOf(m, 'portal_ops_http_request_duration_seconds_count', { route: '/graphql', status_class: '2xx' })).toBeGreaterThanOrEqual(3);
    // Routes are a fixed set: no series is named after a raw path.
    for (const s of m.samples.filter((sample) => sample.name.startsWith('portal_ops_http_')))
      expect(['/graphql', '/slack/events', '/health', '/ready', '/metrics', 'other']).toContain(s.labels.route);

    // Node's and the process's own measures, under their usual names.
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(m.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    // Every measure of ours says what it is.
    for (const name of ['portal_ops_job_lease_losses_total', 'portal_ops_platform_call_failures_total', 'portal_ops_dns_checks_total']) expect(m.types.get(name)).toBe('counter');
    expect(h.logs.join('')).not.toContain(METRICS_TOKEN);
  });

  it('answers 401 without the metrics token or with another, 200 with it', async () => {
    const get = (headers: Record<string, string> = {}) => fetch(`${baseUrl}/metrics`, { headers });
    const refusals: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-the-metrics-token' },
      { authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of refusals) {
      const refused = await get(headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await refused.json()).toEqual({ error: 'Send the metrics token in the Authorization header: "Bearer <METRICS_TOKEN>".' });
    }
    const allowed = await get({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('# TYPE portal_ops_portals gauge');
    expect((await fetch(`${baseUrl}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(405);
  });
});

describe('/metrics of a product without Slack nor a metrics token', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('counts the failed platform calls, caps the operation names, and shows no Slack measures', async () => {
    const product = await startPlain();
    stops.push(product.stop);
    const baseUrl = product.runtime.http.url;
    const gql = graphqlOver(baseUrl, await apiToken(product.database));
    // The simulator's unreachable-portal: the platform answers errors 3 times, then provisioning goes on.
    await provision(gql, 'unreachable-portal');
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) await gql(`query Named${i} { __typename }`);
    const m = await scrape(baseUrl);
    // Its three refusals come as answers to the start of its URL, one request of the batch each.
    expect(sampleOf(m, 'portal_ops_platform_call_failures_total', { kind: 'request_error' })).toBe(3);
    expect(sumOf(m, 'portal_ops_platform_call_failures_total')).toBe(3);
    expect(sampleOf(m, 'portal_ops_portals', { status: 'PROVISIONED' })).toBe(1);
    const names = new Set(m.samples.filter((s) => s.name === 'portal_ops_graphql_operation_duration_seconds_count').map((s) => s.labels.operation_name));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 2);
    expect(names).toContain('anonymous');
    expect(sampleOf(m, 'portal_ops_graphql_operation_duration_seconds_count', { operation_type: 'query', operation_name: 'other' })).toBeGreaterThanOrEqual(5);
    expect(m.types.has('portal_ops_slack_deliveries_pending')).toBe(false);
    expect(m.types.has('portal_ops_slack_delivery_lag_seconds')).toBe(false);
  });

  it('has no /metrics with METRICS=off', async () => {
    const product = await startPlain({ METRICS: 'off' });
    stops.push(product.stop);
    const response = await fetch(`${product.runtime.http.url}/metrics`);
    expect(response.status).toBe(404);
    expect((await fetch(`${product.runtime.http.url}/health`)).status).toBe(200);
  });
});

describe('the metrics settings', () => {
  it('are on without a token unless told otherwise, and refuse what they cannot use without echoing a token', () => {
    const defaults = loadConfig({});
    expect(defaults.METRICS).toBe('on');
    expect(defaults.METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS: 'off', METRICS_TOKEN: METRICS_TOKEN })).toMatchObject({ METRICS: 'off', METRICS_TOKEN });
    expect(() => loadConfig({ METRICS: 'yes' })).toThrow(/METRICS: must be "on" \(serve \/metrics\) or "off" \(no \/metrics\) \(got "yes"\)/);
    const short = (() => {
      try {
        loadConfig({ METRICS_TOKEN: 'short-secret' });
      } catch (error) {
        return error;
      }
    })();
    expect(short).toBeInstanceOf(ConfigError);
    expect((short as Error).message).toContain('METRICS_TOKEN: must be at least 16 characters');
    expect((short as Error).message).not.toContain('short-secret');
  });
});

describe('a write that lost its lease', () => {
  it('is counted for the poller that lost it, and the step for the poller that took the portal over', async () => {
    const database = await createTestDatabase();
    try {
      const db = await database.open();
      const platform = await LocalPlatform.connect(db, SAMPLE_SEED_PATH, 'fast');
      const [ada] = await platform.getUsers(['ada']);
      const actor: Actor = { kind: 'user', user: ada!, scopes: ['read', 'write'], via: 'test' };
      const portal = await requestPortal({ db, platform }, actor, portalInput({ instanceId: 'contoso-field', administratorId: 'margaret' }));
      await acceptPortalTerms({ db, platform }, actor, portal.id, CURRENT_TERMS_VERSION, { consent: true });
      const log = createLogger('silent');
      const [first, second] = [new Metrics({ db, log }), new Metrics({ db, log })];
      // The second poller's clock runs an hour ahead of the first's: the first's lease has ended for it.
      let offsetMs = 0;
      let takeOver: (() => Promise<unknown>) | undefined;
      const late = new ProvisioningPoller({ db, platform: whileAsked(platform, () => takeOver), log, timing: FAST_TIMING, now: () => new Date(Date.now() + offsetMs), observer: first.jobs });
      const ahead = new ProvisioningPoller({ db, platform, log, timing: FAST_TIMING, now: () => new Date(Date.now() + 3_600_000), observer: second.jobs });

      expect(await late.sweep()).toMatchObject({ claimed: 1, started: 1 });
      const operationId = (await findPortal(db, portal.id))?.resourcesOperationId as string;
      await eventually(async () => (await platform.getOperations([operationId]))[0]?.status === 'SUCCEEDED', 10_000, 'the portal URL made');
      // The first poller claims the portal again and asks the platform; meanwhile the second takes it over and records the answer.
      offsetMs = 60_000;
      takeOver = () => ahead.sweep();
      expect(await late.sweep()).toMatchObject({ claimed: 1, finished: 1 });
      expect((await findPortal(db, portal.id))?.packageStatus).toBe('INSTALLING');

      const lost = parseExposition(await first.registry.metrics());
      expect(sampleOf(lost, 'portal_ops_job_lease_losses_total', { job: 'provisioning' })).toBe(1);
      expect(sampleOf(lost, 'portal_ops_job_claims_total', { job: 'provisioning' })).toBe(2);
      expect(sampleOf(lost, 'portal_ops_provisioning_operations_started_total', { kind: 'CREATE_RESOURCES' })).toBe(1);
      expect(sumOf(lost, 'portal_ops_provisioning_operations_finished_total')).toBe(0);
      const took = parseExposition(await second.registry.metrics());
      expect(sampleOf(took, 'portal_ops_job_lease_losses_total', { job: 'provisioning' })).toBeUndefined();
      expect(sampleOf(took, 'portal_ops_job_claims_total', { job: 'provisioning' })).toBe(1);
      expect(sampleOf(took, 'portal_ops_provisioning_operations_finished_total', { kind: 'CREATE_RESOURCES', outcome: 'succeeded' })).toBe(1);
      expect(sampleOf(took, 'portal_ops_provisioning_operations_started_total', { kind: 'INSTALL_PACKAGE' })).toBe(1);
    } finally {
      await database.drop();
    }
  });
});

/** The platform, where a look at operations first runs what `before()` gives (once): another poller, between a claim and its write. */
function whileAsked(platform: Platform, before: () => (() => Promise<unknown>) | undefined): Platform {
  let ran = false;
  return new Proxy(platform, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'getOperations') return typeof value === 'function' ? value.bind(target) : value;
      return async (ids: readonly string[]) => {
        const run = ran ? undefined : before();
        if (run) {
          ran = true;
          await run();
        }
        return target.getOperations(ids);
      };
    },
  });
}
