// A loopback proxy in front of the fake Slack that loses chosen calls the way a network does: it
// passes a call on and keeps Slack's answer from ever arriving ('lose-answer': Slack acted, the caller
// never learns it), or keeps the call from ever reaching Slack ('drop'). Either way the caller waits
// until its own timeout, or until it is killed. Everything else passes through untouched.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyVerdict = 'pass' | 'lose-answer' | 'drop';

export interface SlackProxy {
  /** Base URL to give as SLACK_API_URL. */
  url: string;
  /** Where calls go: the fake Slack's URL (ends with /api/). */
  target: string;
  /** What to do with a call, from its Web API method and its raw body. */
  decide: (method: string, body: string) => ProxyVerdict;
  /** Calls whose answer was lost or that were dropped, by method. */
  lost: Array<{ method: string; verdict: ProxyVerdict }>;
  close(): Promise<void>;
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function forward(proxy: SlackProxy, req: IncomingMessage, method: string, body: string): Promise<{ status: number; type: string; text: string }> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const answer = await fetch(`${proxy.target}${method}`, { method: 'POST', headers, body });
  return { status: answer.status, type: answer.headers.get('content-type') ?? 'application/json', text: await answer.text() };
}

export async function startSlackProxy(decide: SlackProxy['decide'] = () => 'pass'): Promise<SlackProxy> {
  const held = new Set<ServerResponse>();
  const proxy: SlackProxy = { url: '', target: '', decide, lost: [], close: async () => {} };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const method = (req.url ?? '').split('?')[0]?.replace(/^\/api\//, '') ?? '';
      const verdict = proxy.decide(method, body);
      if (verdict === 'drop') {
        proxy.lost.push({ method, verdict });
        held.add(res);
        return;
      }
      const answer = await forward(proxy, req, method, body);
      if (verdict === 'lose-answer') {
        proxy.lost.push({ method, verdict });
        held.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.text);
    })().catch((error: unknown) => res.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
