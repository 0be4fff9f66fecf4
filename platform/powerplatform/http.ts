// One HTTP client for the four Microsoft APIs the driver talks to (Power Platform, BAP, Graph,
// Dataverse): a bearer token per call, kept-alive connections, a timeout per attempt, and retries
// that never repeat a call the server may have carried out. 429 (and 503 with Retry-After) are
// retried for any call, after the wait the server asks for; other 5xx, 408 and dropped connections
// only for idempotent calls, after a jittered backoff. Errors carry Microsoft's code and message,
// never the token nor the request's headers.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';
import { PlatformUnavailableError } from '../platform.ts';

/** Gives an access token for a scope (sign-in.ts implements it over the MSAL cache). */
export interface AccessTokens {
  get(scope: string): Promise<string>;
}

export type MicrosoftApi = 'powerplatform' | 'bap' | 'graph' | 'dataverse';

export interface MicrosoftRequest {
  api: MicrosoftApi;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** A plain object is sent as JSON; FormData as multipart/form-data; a Buffer as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether the call may be repeated after a 5xx, a timeout or a dropped connection. */
  idempotent: boolean;
  /** The token scope, e.g. https://api.powerplatform.com/.default */
  scope: string;
}

export interface MicrosoftResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The answer to one attempt, as the transport gives it. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export type Transport = (url: string, init: { method: string; headers: Record<string, string>; body?: Buffer; signal: AbortSignal }) => Promise<RawResponse>;

/** A 4xx answer (or a 5xx once retries are spent on a non-retryable call) with Microsoft's error code. */
export class MicrosoftApiError extends Error {
  override name = 'MicrosoftApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly api: MicrosoftApi,
  ) {
    super(message);
  }
}

export interface MicrosoftHttpOptions {
  tokens: AccessTokens;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** A fetch to use instead of node:https (tests). */
  fetch?: typeof fetch;
  /** Extra CA certificates to trust (tests in process; child processes use NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
  log?: Logger;
  /** Attempts per call, the first included; default 4. */
  attempts?: number;
  /** First backoff pause; doubles per attempt, with jitter; default 500 ms. */
  backoffMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails as unavailable. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Pauses between attempts (tests pass one that records and returns at once). */
  sleep?: (ms: number) => Promise<void>;
}

const RETRY_ALWAYS = new Set([429]);
const RETRY_IDEMPOTENT = new Set([408, 500, 502, 503, 504]);

export class MicrosoftHttp {
  private readonly transport: Transport;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: MicrosoftHttpOptions) {
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeTransport(options.ca);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.attempts = Math.max(1, options.attempts ?? 4);
    this.backoffMs = options.backoffMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async request<T = unknown>(call: MicrosoftRequest): Promise<MicrosoftResponse<T>> {
    const { headers, body } = await encodeBody(call.body);
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.options.tokens.get(call.scope);
      const init = { method: call.method, headers: { accept: 'application/json', ...headers, ...call.headers, authorization: `Bearer ${token}` }, ...(body ? { body } : {}) };
      const answer = await this.attempt(call, init);
      const wait = this.retryDelay(call, answer, attempt);
      if (wait === undefined) return finish<T>(call, answer);
      this.options.log?.warn({ api: call.api, method: call.method, path: pathOf(call.url), status: statusOf(answer), attempt, waitMs: wait }, 'Microsoft API call will be retried');
      await this.sleep(wait);
    }
  }

  /** One attempt: the answer, or the reason it failed to arrive. */
  private async attempt(call: MicrosoftRequest, init: { method: string; headers: Record<string, string>; body?: Buffer }): Promise<RawResponse | Error> {
    try {
      return await this.transport(call.url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return new PlatformUnavailableError(
        timedOut ? `${apiName(call.api)} did not answer within ${this.timeoutMs / 1000} s.` : `${apiName(call.api)} could not be reached (${causeOf(error)}).`,
      );
    }
  }

  /** How long to wait before trying again, or undefined to stop here. */
  private retryDelay(call: MicrosoftRequest, answer: RawResponse | Error, attempt: number): number | undefined {
    if (attempt >= this.attempts) return undefined;
    if (answer instanceof Error) return call.idempotent ? this.backoff(attempt) : undefined;
    const asked = retryAfterMs(answer.headers.get('retry-after'));
    const retryable = RETRY_ALWAYS.has(answer.status) || (answer.status === 503 && asked !== undefined) || (call.idempotent && RETRY_IDEMPOTENT.has(answer.status));
    if (!retryable) return undefined;
    if (asked === undefined) return this.backoff(attempt);
    return asked <= this.maxRetryAfterMs ? asked : undefined;
  }

  /** Full jitter: a random pause up to the doubled base, so many clients do not come back at once. */
  private backoff(attempt: number): number {
    const ceiling = this.backoffMs * 2 ** (attempt - 1);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now (never negative). */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The final answer: its body on 2xx; otherwise the error an admin or the poller can act on. */
function finish<T>(call: MicrosoftRequest, answer: RawResponse | Error): MicrosoftResponse<T> {
  if (answer instanceof Error) throw answer;
  const parsed = parseJson(answer.text);
  if (answer.status >= 200 && answer.status < 300) return { status: answer.status, headers: answer.headers, body: parsed as T };
  const { code, message } = errorOf(parsed, answer.status);
  if (answer.status >= 500 || answer.status === 429 || answer.status === 408) {
    throw new PlatformUnavailableError(`${apiName(call.api)} answered ${answer.status}${code ? ` ${code}` : ''}: ${message}`);
  }
  throw new MicrosoftApiError(answer.status, code, message, call.api);
}

/** Microsoft's `{ error: { code, message } }`, or the status when the body is something else. */
function errorOf(parsed: unknown, status: number): { code: string; message: string } {
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : '';
  const message = typeof error?.message === 'string' && error.message.length > 0 ? error.message : `HTTP ${status}`;
  return { code, message: message.slice(0, 1000) };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function encodeBody(body: unknown): Promise<{ headers: Record<string, string>; body?: Buffer }> {
  if (body === undefined) return { headers: {} };
  if (Buffer.isBuffer(body)) return { headers: { 'content-type': 'application/octet-stream' }, body };
  if (body instanceof FormData) {
    // The platform's own Request encodes the multipart body and its boundary.
    const encoded = new Request('http://multipart.invalid/', { method: 'POST', body });
    return { headers: { 'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data' }, body: Buffer.from(await encoded.arrayBuffer()) };
  }
  return { headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, init) => {
    const { body, ...rest } = init;
    const response = await fetchImpl(url, { ...rest, ...(body ? { body: new Uint8Array(body) } : {}) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}

/** node:https with kept-alive connections; trusts NODE_EXTRA_CA_CERTS, and `ca` when given. */
function nodeTransport(ca: string | Buffer | undefined): Transport {
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 32, ...(ca ? { ca } : {}) });
  const http = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  return (url, init) =>
    new Promise<RawResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const send = secure ? httpsRequest : httpRequest;
      const request = send(url, { method: init.method, headers: init.headers, agent: secure ? https : http, signal: init.signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: headersOf(response.headers), text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      request.end(init.body);
    });
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function statusOf(answer: RawResponse | Error): number | string {
  return answer instanceof Error ? answer.message : answer.status;
}

/** The path of a URL without its query, for logs. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid URL)';
  }
}

function causeOf(error: unknown): string {
  const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

const API_NAMES: Record<MicrosoftApi, string> = {
  powerplatform: 'The Power Platform API',
  bap: 'The Power Platform admin API (BAP)',
  graph: 'Microsoft Graph',
  dataverse: 'Dataverse',
};

export function apiName(api: MicrosoftApi): string {
  return API_NAMES[api];
}
