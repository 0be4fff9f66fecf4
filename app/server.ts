// One HTTP port for everything: GraphQL at /graphql, liveness at /health, readiness at /ready, and
// the process's measures at /metrics when they are on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { databaseAnswers } from '../db/database.ts';
import { MAX_GRAPHQL_BODY_BYTES } from '../graphql/body-limit.ts';
import type { GraphQLServer } from '../graphql/yoga.ts';
import { acceptQueueLength } from './accept-queue.ts';
import { METRIC_ROUTES, type MetricRoute } from './metrics.ts';

/** Slack waits 3 s for an answer; a route that has not answered by then never will. */
const ROUTE_DEADLINE_MS = 3_500;

/** Requests declaring a bigger body are refused before they are read; GraphQL counts streamed ones. */
export const MAX_BODY_BYTES = MAX_GRAPHQL_BODY_BYTES;

export interface HttpApp {
  server: Server;
  url: string;
  /**
   * Says not ready, accepts the connections already queued, closes the port and lets the requests in
   * flight finish (up to `graceMs`, after which their connections are cut).
   */
  close(graceMs?: number): Promise<void>;
}

export interface HttpAppDeps {
  db: Db;
  graphql: GraphQLServer;
  log: Logger;
  /** Extra routes mounted by other parts (the Slack receiver), by exact path. */
  routes?: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Serves /metrics and is told of every request answered; without it there is no /metrics. */
  metrics?: MetricsEndpoint | undefined;
}

/** What the server needs of the measures (app/metrics.ts). */
export interface MetricsEndpoint {
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  requestEnded(route: MetricRoute, statusClass: string, seconds: number): void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Waits until the connections queued on the port when shutdown began have been accepted and their
 * requests read (each setImmediate lets one poll of the event loop pass), so that closing the port
 * resets none of them. Where the queue cannot be seen, one turn of the loop accepts what is queued.
 */
async function acceptQueued(port: number): Promise<void> {
  for (let turns = 0; turns < 1_000; turns += 1) {
    await nextTurn();
    const queued = acceptQueueLength(port);
    if (!queued) break;
  }
  // The accepted connections' requests are read in the next poll; until then they count as idle.
  await nextTurn();
  await nextTurn();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function ready(res: ServerResponse, deps: HttpAppDeps, closing: boolean): Promise<void> {
  if (closing) {
    json(res, 503, { status: 'shutting down' });
    return;
  }
  try {
    await databaseAnswers(deps.db);
    json(res, 200, { status: 'ready' });
  } catch (error) {
    deps.log.error({ err: error }, 'readiness check failed');
    json(res, 503, { status: 'database unavailable' });
  }
}

/** Whatever a route does with a request it cannot read, the caller gets an answer in time. */
function withDeadline(route: (req: IncomingMessage, res: ServerResponse) => void, req: IncomingMessage, res: ServerResponse): void {
  const timer = setTimeout(() => {
    if (!res.headersSent) json(res, 400, { error: 'The request could not be handled.' });
    else if (!res.writableEnded) res.end();
  }, ROUTE_DEADLINE_MS);
  res.on('close', () => clearTimeout(timer));
  route(req, res);
}

const KNOWN_ROUTES: ReadonlySet<string> = new Set(METRIC_ROUTES);

/** Times the request for the measures, under its route (never the raw path) and status class. Event streams last as long as their client: left out. */
function timeRequest(metrics: MetricsEndpoint, path: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.accept?.includes('text/event-stream')) return;
  const started = performance.now();
  res.once('close', () => {
    const route = (KNOWN_ROUTES.has(path) ? path : 'other') as MetricRoute;
    const statusClass = res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted';
    metrics.requestEnded(route, statusClass, (performance.now() - started) / 1000);
  });
}

function handler(deps: HttpAppDeps, isClosing: () => boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (deps.metrics) timeRequest(deps.metrics, path, req, res);
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      json(res, 413, { error: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
      req.resume();
      return;
    }
    // While shutting down, each connection ends after its answer instead of being cut when idle.
    if (isClosing()) res.setHeader('connection', 'close');
    const route = deps.routes?.get(path);
    if (path === '/health') json(res, 200, { status: 'ok' });
    else if (path === '/ready') void ready(res, deps, isClosing());
    else if (path === '/graphql') void deps.graphql(req, res);
    else if (path === '/metrics' && deps.metrics) void deps.metrics.serve(req, res);
    else if (route) withDeadline(route, req, res);
    else json(res, 404, { error: `Nothing at ${path}. Try /graphql, /health or /ready.` });
  };
}

/** The URL a client on this machine reaches the server at. */
function localUrl(address: AddressInfo): string {
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`;
}

/** Accepts what is queued, closes the port and waits for requests in flight up to `graceMs`. */
async function drain(server: Server, port: number, graceMs: number): Promise<void> {
  await acceptQueued(port);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function startHttpApp(deps: HttpAppDeps, port: number, host: string): Promise<HttpApp> {
  let closing = false;
  const server = createServer(handler(deps, () => closing));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: localUrl(address),
    close: async (graceMs = 10_000) => {
      closing = true;
      await drain(server, address.port, graceMs);
    },
  };
}
