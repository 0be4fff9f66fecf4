// The bot deployed apart from the API (GRAPHQL_URL), with a loopback proxy in between that holds
// chosen operations back before passing them to the real Yoga server, as a slow network or a busy
// API would. It records when each operation was answered, so a test can tell what came first.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiToken } from '../../core/tokens.ts';
import { SAMPLE_SEED_PATH } from '../../platform/local/seed.ts';
import { LocalPlatform } from '../../platform/local/simulator.ts';
import { createTestDatabase } from './databases.ts';
import { type SlackHarness, startSlackHarness } from './slack.ts';
import { sleep } from './wait.ts';

export interface SlowApi {
  /** How long to hold back an operation, by its GraphQL text; 0 lets it through at once. */
  delayFor: (query: string) => number;
  /** Operations answered so far, in order, with the wall-clock time the answer left the proxy. */
  answered: Array<{ query: string; at: number }>;
}

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startSlackHarnessWithSlowApi(delayFor: SlowApi['delayFor']): Promise<{ h: SlackHarness; api: SlowApi }> {
  // The bot's service token exists before the process starts, as one made with npm run token:create.
  const database = await createTestDatabase();
  const db = await database.open();
  const { token } = await createApiToken({ db, platform: await LocalPlatform.connect(db, SAMPLE_SEED_PATH) }, { name: 'slack-bot', scopes: ['admin'] });

  const api: SlowApi = { delayFor, answered: [] };
  let target = '';
  const proxy = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const query = String((JSON.parse(body.toString() || '{}') as { query?: string }).query ?? '');
      const delay = api.delayFor(query);
      if (delay > 0) await sleep(delay);
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization', 'x-slack-user-id']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(target, { method: 'POST', headers, body: body.toString() });
      const text = await answer.text();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(text, () => api.answered.push({ query, at: Date.now() }));
    })().catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const h = await startSlackHarness(
    {
      GRAPHQL_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`,
      GRAPHQL_TOKEN: token,
    },
    undefined,
    undefined,
    database,
  );
  target = `${h.runtime.http.url}/graphql`;
  const stop = h.stop;
  h.stop = async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await stop();
  };
  return { h, api };
}
