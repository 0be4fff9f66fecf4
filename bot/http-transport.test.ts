import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { makeServerPfx } from '../test/support/certificates.ts';
import { runScript } from '../test/support/process.ts';
import { tempDir } from '../test/support/tenant.ts';
import { createKeptAliveFetch, keptAliveFetch } from './http-transport.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A loopback Web API that answers with `answer`, and counts the connections made to it. */
async function webApi(answer: (request: Received, response: ServerResponse) => void) {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got = { path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(got);
      answer(got, response);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/`, received, connections: () => connections };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function client(url: string, options: { timeout?: number; maxAnswerBytes?: number } = {}) {
  return new WebClient('xoxb-test', {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeout ?? 5_000,
    fetch: createKeptAliveFetch(options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes }),
  });
}

describe('the Web API over node:http', () => {
  it('sends the form the client built and gives back the answer, its scopes and one kept-alive connection', async () => {
    const api = await webApi((_request, response) => json(response, 200, { ok: true, view: { id: 'V1', title: 'Prövision ✓' } }, { 'x-oauth-scopes': 'commands,chat:write' }));
    const web = client(api.url);
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Prövision ✓' }, blocks: [] };
    const first = await web.views.open({ trigger_id: 'T1', view });
    await web.views.open({ trigger_id: 'T2', view });

    expect(first.view?.id).toBe('V1');
    expect((first.view as { title?: unknown }).title).toBe('Prövision ✓');
    expect(first.response_metadata?.scopes).toEqual(['commands', 'chat:write']);
    expect(api.received[0]?.path).toBe('/api/views.open');
    expect(api.received[0]?.headers.authorization).toBe('Bearer xoxb-test');
    const form = new URLSearchParams(api.received[0]?.body);
    expect(form.get('trigger_id')).toBe('T1');
    expect(JSON.parse(form.get('view') ?? '{}')).toEqual(view);
    expect(Number(api.received[0]?.headers['content-length'])).toBe(Buffer.byteLength(api.received[0]?.body ?? ''));
    expect(api.connections()).toBe(1);
  });

  it('hands a 429 back with its Retry-After, and a 500 with its status and body', async () => {
    let calls = 0;
    const api = await webApi((_request, response) => {
      calls++;
      if (calls === 1) json(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
      else json(response, 500, { ok: false, error: 'internal' });
    });
    const web = client(api.url);

    const limited = await web.chat.postMessage({ channel: 'C1', text: 'hi' }).catch((error: unknown) => error);
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    const failed = await web.chat.postMessage({ channel: 'C1', text: 'hi' }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500, body: { ok: false, error: 'internal' } });
  });

  it('reads a gzip-encoded answer', async () => {
    const api = await webApi((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify({ ok: true, user: { id: 'U1', profile: { email: 'ada@contoso.com' } } })));
    });
    const answer = await client(api.url).users.info({ user: 'U1' });
    expect(answer.user?.profile?.email).toBe('ada@contoso.com');
  });

  it('refuses a redirect instead of following it with the token', async () => {
    const elsewhere = await webApi((_request, response) => json(response, 200, { ok: true }));
    const api = await webApi((_request, response) => {
      response.writeHead(302, { location: `${elsewhere.url}chat.postMessage` });
      response.end();
    });
    await expect(client(api.url).chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow(/redirect/);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('gives up on a Web API that does not answer within the timeout', async () => {
    const api = await webApi(() => {
      /* never answers */
    });
    const error = await client(api.url, { timeout: 200 })
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.RequestError });
    expect(String((error as { original?: unknown }).original)).toMatch(/timeout|aborted/i);
  });

  it('refuses an answer larger than it will hold', async () => {
    const api = await webApi((_request, response) => json(response, 200, { ok: true, text: 'x'.repeat(50_000) }));
    await expect(client(api.url, { maxAnswerBytes: 10_000 }).chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow(/larger than 10000 bytes/);
  });

  it('leaves what the client does not send this way, a multipart form, to the global fetch', async () => {
    const api = await webApi((_request, response) => json(response, 200, { ok: true }));
    const form = new FormData();
    form.set('file', new Blob(['hello']), 'hello.txt');
    const answer = await keptAliveFetch(`${api.url}files.upload`, { method: 'POST', body: form, redirect: 'error' });
    expect(await answer.json()).toEqual({ ok: true });
    expect(api.received[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(api.received[0]?.body).toContain('hello');
  });

  it('reaches Slack over TLS, checking its certificate, on one kept-alive connection', async () => {
    const dir = tempDir();
    try {
      makeServerPfx(dir.path, 'slack', ['localhost']);
      let connections = 0;
      const server = createTlsServer({ key: readFileSync(join(dir.path, 'slack.key')), cert: readFileSync(join(dir.path, 'slack.crt')) }, (request, response) => {
        let body = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (body += chunk));
        request.on('end', () => json(response, 200, { ok: true, user: { id: new URLSearchParams(body).get('user') } }));
      });
      server.on('secureConnection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
      servers.push(() => new Promise((resolve) => server.close(() => resolve())));
      const url = `https://localhost:${(server.address() as AddressInfo).port}/api/`;

      const trusted = runScript('test/support/web-api-call.ts', [], { WEB_API_URL: url, NODE_EXTRA_CA_CERTS: join(dir.path, 'slack.crt') });
      expect(await trusted.exited, trusted.output()).toBe(0);
      expect(trusted.output()).toBe('["U1","U2"]');
      expect(connections).toBe(1);

      // Without the certificate trusted, the call fails rather than talking to an unknown server.
      const untrusted = runScript('test/support/web-api-call.ts', [], { WEB_API_URL: url });
      expect(await untrusted.exited).not.toBe(0);
      expect(untrusted.output()).toMatch(/self[- ]signed certificate/);
    } finally {
      dir.remove();
    }
  });
});
