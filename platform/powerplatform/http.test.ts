// The Microsoft HTTP client against a loopback server: which answers are retried, after how long,
// and what an error says (never the token).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../test/support/loopback-server.ts';
import { PlatformUnavailableError } from '../platform.ts';
import { MicrosoftApiError, MicrosoftHttp, retryAfterMs } from './http.ts';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJzZWNyZXQiOiJ0b2tlbi12YWx1ZSJ9.secret-token-body';
type Step = (req: IncomingMessage, res: ServerResponse) => void;

let server: Awaited<ReturnType<typeof listenOnLoopback>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server answering each request with the next step (the last one repeats); counts the requests. */
async function serve(steps: Step[]) {
  const seen: Array<{ method: string; authorization: string; body: string }> = [];
  server = await listenOnLoopback((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', authorization: req.headers.authorization ?? '', body });
      (steps[Math.min(seen.length - 1, steps.length - 1)] as Step)(req, res);
    });
  });
  return { url: server.url, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

function client(options: { timeoutMs?: number } = {}) {
  const waits: number[] = [];
  const http = new MicrosoftHttp({
    tokens: { get: async () => TOKEN },
    sleep: async (ms) => void waits.push(ms),
    backoffMs: 100,
    ...options,
  });
  return { http, waits };
}

const call = (url: string, idempotent: boolean, method: 'GET' | 'POST' = idempotent ? 'GET' : 'POST') =>
  ({ api: 'powerplatform', method, url, idempotent, scope: 'https://api.powerplatform.com/.default', ...(method === 'POST' ? { body: { name: 'x' } } : {}) }) as const;

describe('MicrosoftHttp', () => {
  it('sends the bearer token and JSON, and returns the parsed answer', async () => {
    const { url, seen } = await serve([json(200, { value: [1, 2] })]);
    const { http } = client();
    const answer = await http.request<{ value: number[] }>(call(url, false));
    expect(answer).toMatchObject({ status: 200, body: { value: [1, 2] } });
    expect(seen).toEqual([{ method: 'POST', authorization: `Bearer ${TOKEN}`, body: '{"name":"x"}' }]);
  });

  it('waits as long as a 429 asks, in seconds, even for a call that is not idempotent', async () => {
    const { url, seen } = await serve([json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '7' }), json(202, {})]);
    const { http, waits } = client();
    expect((await http.request(call(url, false))).status).toBe(202);
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([7000]);
  });

  it('waits until the HTTP date a Retry-After gives', async () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    const { url } = await serve([json(503, {}, { 'retry-after': at }), json(200, { ok: true })]);
    const { http, waits } = client();
    expect((await http.request(call(url, false))).body).toEqual({ ok: true });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(5_000);
  });

  it('backs off and retries a 5xx only for an idempotent call', async () => {
    const failing = await serve([json(500, { error: { code: 'InternalError', message: 'boom' } }), json(502, {}), json(200, { ok: true })]);
    const { http, waits } = client();
    expect((await http.request(call(failing.url, true))).body).toEqual({ ok: true });
    expect(failing.seen).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits.every((ms) => ms > 0)).toBe(true);
    await server?.close();

    const once = await serve([json(500, { error: { code: 'InternalError', message: 'boom' } })]);
    const error = await client()
      .http.request(call(once.url, false))
      .catch((e) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error.message).toBe('The Power Platform API answered 500 InternalError: boom');
    expect(once.seen).toHaveLength(1);
  });

  it('gives up after its attempts and says the platform is unavailable', async () => {
    const { url, seen } = await serve([json(503, {})]);
    const error = await client()
      .http.request(call(url, true))
      .catch((e) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(seen).toHaveLength(4);
  });

  it('times out an attempt that gets no answer; a create is not sent twice', async () => {
    const { url, seen } = await serve([() => undefined]);
    const error = await client({ timeoutMs: 200 })
      .http.request(call(url, false))
      .catch((e) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error.message).toBe('The Power Platform API did not answer within 0.2 s.');
    expect(seen).toHaveLength(1);
  });

  it("turns a 4xx into Microsoft's code and message, without the token", async () => {
    const { url } = await serve([json(400, { error: { code: 'SubdomainConflict', message: 'The subdomain is taken.' } })]);
    const error = await client()
      .http.request(call(url, false))
      .catch((e) => e);
    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({ status: 400, code: 'SubdomainConflict', message: 'The subdomain is taken.' });
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain('secret-token-body');
  });

  it('says who could not be reached when the connection is refused', async () => {
    const { url } = await serve([json(200, {})]);
    await server?.close();
    const error = await client()
      .http.request(call(url, false))
      .catch((e) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error.message).toBe('The Power Platform API could not be reached (ECONNREFUSED).');
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('Mon, 30 Nov 2026 23:00:00 GMT');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 23:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 22:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
