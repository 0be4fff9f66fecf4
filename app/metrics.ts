// /metrics: this process's measures in Prometheus' text format (prom-client). Each runtime keeps its
// own registry (never prom-client's global one: tests start several runtimes in one process), fed by
// the observers the jobs, Slack delivery and the API are handed (jobs/observer.ts,
// bot/delivery/delivery-observer.ts, graphql/operation-timing.ts), by the HTTP server for each
// request, and by the database at scrape time for the portals and the Slack backlog.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationTypeNode } from 'graphql';
import type { Logger } from 'pino';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryObserver } from '../bot/delivery/delivery-observer.ts';
import type { Db } from '../db/client.ts';
import { countPortalsByStatus, slackDeliveryBacklog } from '../db/metrics-store.ts';
import type { ApiObserver } from '../graphql/operation-timing.ts';
import type { JobObserver } from '../jobs/observer.ts';
import { PORTAL_STATUSES } from '../vocabulary/statuses.ts';

const PREFIX = 'portal_ops_';

/** Operation names beyond this many are counted as "other": a client cannot grow the series without end. */
export const MAX_OPERATION_NAMES = 100;

/** The routes requests are counted under; any other path is "other", so a client cannot make new series. */
export const METRIC_ROUTES = ['/graphql', '/slack/events', '/health', '/ready', '/metrics'] as const;
export type MetricRoute = (typeof METRIC_ROUTES)[number] | 'other';

const SWEEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

let processRegistry: Registry | undefined;

/**
 * Node's and the process's own measures (CPU, memory, event loop, GC), under their usual names. They
 * describe the process, not a runtime, and prom-client cannot stop collecting them once started (a GC
 * observer and an event-loop monitor each time): one registry holds them for every runtime of the process.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

function jobObserver(registry: Registry): JobObserver {
  const registers = [registry];
  const runs = new Histogram({
    name: `${PREFIX}job_sweep_duration_seconds`,
    help: 'How long each run of a job took (a sweep, a delivery round, the certificate reminders).',
    labelNames: ['job'],
    buckets: SWEEP_BUCKETS,
    registers,
  });
  const claims = new Counter({ name: `${PREFIX}job_claims_total`, help: 'Rows a job claimed under its lease.', labelNames: ['job'], registers });
  const losses = new Counter({
    name: `${PREFIX}job_lease_losses_total`,
    help: 'Conditional writes of a job that applied to nothing: the row was no longer held by the job, or had changed since it was read.',
    labelNames: ['job'],
    registers,
  });
  const started = new Counter({ name: `${PREFIX}provisioning_operations_started_total`, help: 'Platform operations started and recorded, by kind.', labelNames: ['kind'], registers });
  const finished = new Counter({
    name: `${PREFIX}provisioning_operations_finished_total`,
    help: 'Platform operations that ended (succeeded or failed) and were recorded, by kind.',
    labelNames: ['kind', 'outcome'],
    registers,
  });
  const failures = new Counter({
    name: `${PREFIX}platform_call_failures_total`,
    help: 'Platform calls of the jobs that failed: unavailable, timeout, request_error (one request of a batch refused) or error.',
    labelNames: ['kind'],
    registers,
  });
  const checks = new Counter({ name: `${PREFIX}dns_checks_total`, help: "The DNS poller's CNAME checks, by result (found, not_yet, transient).", labelNames: ['result'], registers });
  return {
    runEnded: (job, seconds) => runs.observe({ job }, seconds),
    claimed: (job, rows) => claims.inc({ job }, rows),
    leaseLost: (job, writes) => losses.inc({ job }, writes),
    operationStarted: (kind) => started.inc({ kind }),
    operationFinished: (kind, outcome) => finished.inc({ kind, outcome }),
    platformCallFailed: (kind) => failures.inc({ kind }),
    cnameChecked: (result) => checks.inc({ result }),
  };
}

function apiObserver(registry: Registry): ApiObserver {
  const operations = new Histogram({
    name: `${PREFIX}graphql_operation_duration_seconds`,
    help: `How long GraphQL operations took to execute, by type and by the name the document gives ("anonymous" without one; "other" beyond ${MAX_OPERATION_NAMES} names).`,
    labelNames: ['operation_type', 'operation_name'],
    registers: [registry],
  });
  const names = new Set<string>();
  const nameOf = (name: string | undefined) => {
    if (name === undefined) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  return {
    operationEnded: (type: OperationTypeNode, name, seconds) => operations.observe({ operation_type: type, operation_name: nameOf(name) }, seconds),
  };
}

function deliveryObserver(registry: Registry): DeliveryObserver {
  const deliveries = new Counter({
    name: `${PREFIX}slack_deliveries_total`,
    help: 'Events Slack delivery took, by what became of them: posted, unrouted (no channel follows the portal), retried, failed (given up).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return { delivered: (outcome) => deliveries.inc({ outcome }) };
}

/** Reads at scrape time; a failed read is logged and its gauge left without samples rather than stale. */
function readAtScrape(log: Logger, what: string, read: () => Promise<void>, gauges: () => ReadonlyArray<Gauge>): () => Promise<void> {
  return async () => {
    try {
      await read();
    } catch (error) {
      for (const gauge of gauges()) gauge.reset();
      log.warn({ err: error }, `metrics: could not read ${what}`);
    }
  };
}

function portalGauge(registry: Registry, db: Db, log: Logger): void {
  const portals: Gauge<'status'> = new Gauge({
    name: `${PREFIX}portals`,
    help: 'Portals in each status, read from the database at each scrape.',
    labelNames: ['status'],
    registers: [registry],
    collect: readAtScrape(
      log,
      'the portals by status',
      async () => {
        const counts = await countPortalsByStatus(db);
        for (const status of PORTAL_STATUSES) portals.set({ status }, counts.get(status) ?? 0);
      },
      () => [portals],
    ),
  });
}

export interface MetricsOptions {
  db: Db;
  log: Logger;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

export class Metrics {
  readonly registry = new Registry();
  readonly jobs: JobObserver;
  readonly delivery: DeliveryObserver;
  readonly api: ApiObserver;
  private readonly requests: Histogram<'route' | 'status_class'>;
  /** SHA-256 of the token: compared in constant time, whatever the length sent. */
  private readonly tokenDigest: Buffer | undefined;

  constructor(private readonly options: MetricsOptions) {
    this.jobs = jobObserver(this.registry);
    this.delivery = deliveryObserver(this.registry);
    this.api = apiObserver(this.registry);
    this.requests = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: `How long HTTP requests took to answer, by route (${METRIC_ROUTES.join(', ')} or other) and status class (2xx… or aborted); event streams are left out.`,
      labelNames: ['route', 'status_class'],
      registers: [this.registry],
    });
    portalGauge(this.registry, options.db, options.log);
    this.tokenDigest = options.token === undefined ? undefined : digest(options.token);
    processMetrics();
  }

  /** One HTTP request answered (or cut off: `aborted`). */
  requestEnded(route: MetricRoute, statusClass: string, seconds: number): void {
    this.requests.observe({ route, status_class: statusClass }, seconds);
  }

  /** The Slack backlog gauges, once Slack delivery runs; `doneThrough`: every event up to this id is done. */
  watchSlackBacklog(doneThrough: () => number): void {
    const { db, log } = this.options;
    const registers = [this.registry];
    const read = readAtScrape(
      log,
      'the Slack delivery backlog',
      async () => {
        const backlog = await slackDeliveryBacklog(db, doneThrough());
        pending.set(backlog.pending);
        lag.set(backlog.oldestAt ? Math.max(0, (Date.now() - backlog.oldestAt.getTime()) / 1000) : 0);
      },
      () => [pending, lag],
    );
    // A scrape collects both gauges at once: one read serves the two.
    let reading: Promise<void> | undefined;
    const collect = () => {
      reading ??= read().finally(() => {
        reading = undefined;
      });
      return reading;
    };
    const pending = new Gauge({ name: `${PREFIX}slack_deliveries_pending`, help: 'Events Slack delivery has yet to finish with, read at each scrape.', registers, collect });
    const lag = new Gauge({
      name: `${PREFIX}slack_delivery_lag_seconds`,
      help: 'Age of the oldest event Slack delivery has yet to finish with (0 when none), read at each scrape.',
      registers,
      collect,
    });
  }

  /** Answers GET (or HEAD) /metrics. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, { error: 'Use GET for /metrics.' }, { allow: 'GET, HEAD' });
    if (!this.authorized(req.headers.authorization)) {
      return answer(res, 401, { error: 'Send the metrics token in the Authorization header: "Bearer <METRICS_TOKEN>".' }, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    try {
      const text = (await this.registry.metrics()) + (await processMetrics().metrics());
      res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.options.log.error({ err: error }, 'metrics: the scrape failed');
      answer(res, 500, { error: 'The metrics could not be read; see the server log.' });
    }
  }

  private authorized(header: string | undefined): boolean {
    if (!this.tokenDigest) return true;
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    // Compared even when nothing was sent, so the answer takes as long either way.
    return timingSafeEqual(digest(sent ?? ''), this.tokenDigest) && sent !== undefined;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
