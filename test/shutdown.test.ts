// SIGTERM on the server process drains: connections already queued are answered, requests in
// flight finish, event streams end with their completion, then the process exits 0.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { freePort, runScript, waitForReady } from './support/process.ts';
import { portalInput, REQUEST_PORTAL } from './support/tenant.ts';

/** Sends one raw HTTP/1.1 request and collects everything the server sends back until it closes. */
function rawRequest(port: number, request: string): { connected: Promise<void>; answer: Promise<string> } {
  let socket: Socket;
  const connected = new Promise<void>((resolve, reject) => {
    socket = connect(port, '127.0.0.1', () => resolve());
    socket.once('error', reject);
  });
  const answer = connected.then(
    () =>
      new Promise<string>((resolve, reject) => {
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => (received += chunk));
        socket.on('error', (error) => reject(new Error(`${(error as NodeJS.ErrnoException).code ?? error.message} after ${JSON.stringify(received)}`)));
        socket.on('end', () => resolve(received));
        socket.write(request);
      }),
  );
  return { connected, answer };
}

describe('shutdown on SIGTERM', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('answers the connections queued at SIGTERM, completes event streams and exits 0', { timeout: 120_000 }, async () => {
    const env = { ...database.env, HOST: '127.0.0.1', PORTAL_DOMAIN: 'portals.test' };
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = runScript('app/main.ts', [], { ...env, PORT: String(port) });
    try {
      await waitForReady(url, server);
      const cli = runScript('scripts/token-create.ts', ['--name', 'drain', '--scopes', 'read,write', '--user', 'ada@contoso.com'], env);
      expect(await cli.exited).toBe(0);
      const token = cli.output().trim().split('\n').at(-1) ?? '';
      const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      await fetch(`${url}/graphql`, { method: 'POST', headers: auth, body: JSON.stringify({ query: REQUEST_PORTAL, variables: { input: portalInput() } }) });

      // An open event stream, past its first event.
      const stream = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { ...auth, accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { portalEvents { sequence type } }' }),
      });
      const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      let events = '';
      while (!events.includes('PORTAL_REQUESTED')) events += (await reader.read()).value ?? '';

      // The server stops taking connections off the queue; the kernel still completes them.
      server.process.kill('SIGSTOP');
      const query = JSON.stringify({ query: '{ portals(first: 5) { totalCount } }' });
      const queued = Array.from({ length: 20 }, (_, i) =>
        rawRequest(
          port,
          i % 2 === 0
            ? 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'
            : `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(query)}\r\n\r\n${query}`,
        ),
      );
      await Promise.all(queued.map((q) => q.connected));
      server.process.kill('SIGTERM');
      server.process.kill('SIGCONT');

      const answers = await Promise.all(queued.map((q) => q.answer));
      answers.forEach((answer, i) => {
        expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
        expect(answer).toContain(i % 2 === 0 ? '{"status":"ok"}' : '{"data":{"portals":{"totalCount":1}}}');
      });
      // The stream ends with SSE's completion, not a cut connection.
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        events += value;
      }
      expect(events).toMatch(/event: complete\ndata:\n\n$/);
      expect(await server.exited).toBe(0);
    } finally {
      server.process.kill('SIGKILL');
    }
  });
});
