// A stand-in for the Slack Web API on a loopback port: it records every call and answers from
// handlers the test sets (or fails on purpose, as Slack sometimes does).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  at: number;
}

export type SlackHandler = (body: Record<string, unknown>) => { status?: number; headers?: Record<string, string>; json: unknown };

export interface FakeSlack {
  /** Base URL to give as SLACK_API_URL (ends with /api/). */
  url: string;
  calls: SlackCall[];
  on(method: string, handler: SlackHandler): void;
  /** Directory of Slack users this fake knows: Slack user ID → profile e-mail. */
  users: Map<string, string | undefined>;
  close(): Promise<void>;
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('application/json')) return JSON.parse(raw);
  return Object.fromEntries(new URLSearchParams(raw));
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const handlers = new Map<string, SlackHandler>();
  const users = new Map<string, string | undefined>();
  handlers.set('users.info', (body) => {
    const id = String(body.user ?? '');
    if (!users.has(id)) return { json: { ok: false, error: 'user_not_found' } };
    const email = users.get(id);
    return { json: { ok: true, user: { id, name: id.toLowerCase(), profile: email ? { email } : {} } } };
  });
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const body = parseBody(raw, req.headers['content-type']);
      calls.push({ method, body, headers: req.headers, at: Date.now() });
      const handler = handlers.get(method);
      const answer = handler ? handler(body) : { json: { ok: true } };
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    users,
    on: (method, handler) => handlers.set(method, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
