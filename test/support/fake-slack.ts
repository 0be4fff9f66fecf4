// A stand-in for the Slack Web API on a loopback port. It keeps the messages posted (with their
// metadata, so conversations.replies can find them), records every call, answers response_url posts,
// and fails on purpose when told to (429 with Retry-After, 500, or silence). Where the product relies
// on it, it answers as Slack does: chat.update of an ephemeral message is message_not_found, a channel
// the bot is not in is channel_not_found, and views.update with an old hash is hash_conflict.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireJson } from './wire-json.ts';

export interface SlackCall {
  method: string;
  body: Record<string, WireJson>;
  headers: IncomingMessage['headers'];
  /** When the call arrived: wall-clock milliseconds, with a fraction. */
  at: number;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: WireJson[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export type SlackAnswer = { status?: number; headers?: Record<string, string>; json: unknown };
export type SlackHandler = (body: Record<string, WireJson>) => SlackAnswer;

export interface FakeSlack {
  /** Base URL to give as SLACK_API_URL (ends with /api/). */
  url: string;
  /** A response_url that posts here. */
  responseUrl(name: string): string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (already made or still to come) that `matches`; rejects after `timeoutMs`. */
  waitForCall(matches: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  messages: SlackMessage[];
  on(method: string, handler: SlackHandler): void;
  /** The next `count` calls to `method` get `answer` instead of the normal one. */
  failNext(method: string, count: number, answer: SlackAnswer): void;
  /** Fails this share of all calls (0..1) with one of `answers`, until set back to 0. */
  failRandomly(share: number, answers: SlackAnswer[]): void;
  /** Channels the bot is not a member of (private channels it was not invited to). */
  outsideChannels: Set<string>;
  /** The views opened or updated, by view ID, with their current hash, as Slack keeps them. */
  views: Map<string, { view: Record<string, WireJson>; hash: string; triggerId?: string }>;
  /** Directory of Slack users: Slack user ID → profile e-mail. */
  users: Map<string, string | undefined>;
  /** Serves `bytes` as an uploaded file (to the bot token only); returns its url_private_download. */
  serveFile(name: string, bytes: Buffer): string;
  close(): Promise<void>;
}

/** Wall-clock milliseconds with a fraction, so short latencies can be measured against it. */
const now = () => performance.timeOrigin + performance.now();

const JSON_FIELDS = ['blocks', 'view', 'metadata', 'attachments'];

function parseBody(raw: string, type: string | undefined): Record<string, WireJson> {
  if (!raw) return {};
  if (type?.includes('application/json')) return JSON.parse(raw);
  const body: Record<string, WireJson> = Object.fromEntries(new URLSearchParams(raw));
  for (const field of JSON_FIELDS) if (typeof body[field] === 'string') body[field] = JSON.parse(body[field]);
  return body;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const waiters = new Set<{ matches: (call: SlackCall) => boolean; resolve: (call: SlackCall) => void }>();
  const record = (call: SlackCall) => {
    calls.push(call);
    for (const waiter of waiters) if (waiter.matches(call)) waiter.resolve(call);
  };
  const messages: SlackMessage[] = [];
  const handlers = new Map<string, SlackHandler>();
  const failures = new Map<string, Array<SlackAnswer>>();
  let random: { share: number; answers: SlackAnswer[] } = { share: 0, answers: [] };
  const users = new Map<string, string | undefined>();
  const outsideChannels = new Set<string>();
  const views = new Map<string, { view: Record<string, WireJson>; hash: string; triggerId?: string }>();
  let counter = 0;
  const notIn = (channel: unknown) => typeof channel === 'string' && outsideChannels.has(channel);
  const channelNotFound = { json: { ok: false, error: 'channel_not_found' } };
  const ts = () => `${1_800_000_000 + ++counter}.000100`;

  handlers.set('auth.test', () => ({ json: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEST', url: 'https://test.slack.com/' } }));
  handlers.set('users.info', (body) => {
    const id = String(body.user ?? '');
    if (!users.has(id)) return { json: { ok: false, error: 'user_not_found' } };
    const email = users.get(id);
    return { json: { ok: true, user: { id, name: id.toLowerCase(), profile: email ? { email } : {} } } };
  });
  handlers.set('chat.postMessage', (body) => {
    if (notIn(body.channel)) return channelNotFound;
    const message: SlackMessage = { channel: body.channel, ts: ts(), thread_ts: body.thread_ts, text: body.text, blocks: body.blocks, metadata: body.metadata };
    messages.push(message);
    return { json: { ok: true, channel: body.channel, ts: message.ts, message } };
  });
  handlers.set('chat.update', (body) => {
    if (notIn(body.channel)) return channelNotFound;
    // Ephemeral messages are not kept by Slack: they cannot be found to update.
    const message = messages.find((m) => m.ts === body.ts && m.channel === body.channel);
    if (!message) return { json: { ok: false, error: 'message_not_found' } };
    Object.assign(message, { text: body.text, blocks: body.blocks });
    return { json: { ok: true, channel: body.channel, ts: body.ts } };
  });
  handlers.set('chat.postEphemeral', (body) => (notIn(body.channel) ? channelNotFound : { json: { ok: true, message_ts: ts() } }));
  // A direct message with a user: its channel ID is derived from the user's, as stable as Slack's.
  handlers.set('conversations.open', (body) => {
    const user = String(body.users ?? '').split(',')[0] ?? '';
    if (!users.has(user)) return { json: { ok: false, error: 'user_not_found' } };
    return { json: { ok: true, channel: { id: `D${user.replace(/^U/, '')}` } } };
  });
  for (const method of ['views.open', 'views.push']) {
    handlers.set(method, (body) => {
      const id = `V${++counter}`;
      const hash = `hash-${++counter}`;
      views.set(id, { view: body.view, hash, ...(body.trigger_id ? { triggerId: String(body.trigger_id) } : {}) });
      return { json: { ok: true, view: { ...body.view, id, hash } } };
    });
  }
  handlers.set('views.update', (body) => {
    const id = String(body.view_id ?? '');
    const known = views.get(id);
    if (known && body.hash !== undefined && body.hash !== known.hash) return { json: { ok: false, error: 'hash_conflict' } };
    const hash = `hash-${++counter}`;
    // A view the fake did not open (built by hand in a test) is taken as it comes.
    views.set(id, { ...known, view: body.view, hash });
    return { json: { ok: true, view: { ...body.view, id, hash } } };
  });
  handlers.set('views.publish', (body) => ({ json: { ok: true, view: { ...body.view, id: `V${++counter}` } } }));
  handlers.set('conversations.replies', (body) =>
    notIn(body.channel)
      ? channelNotFound
      : {
          json: { ok: true, messages: messages.filter((m) => m.channel === body.channel && (m.ts === body.ts || m.thread_ts === body.ts)), has_more: false },
        },
  );
  handlers.set('conversations.history', (body) =>
    notIn(body.channel)
      ? channelNotFound
      : {
          json: { ok: true, messages: messages.filter((m) => m.channel === body.channel && !m.thread_ts).reverse(), has_more: false },
        },
  );

  const files = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const filePath = (req.url ?? '').split('?')[0] ?? '';
    if (filePath.startsWith('/files/')) {
      const bytes = files.get(filePath.slice('/files/'.length));
      record({ method: filePath.slice(1), body: {}, headers: req.headers, at: now() });
      if (!bytes || req.headers.authorization !== 'Bearer xoxb-test-bot-token') {
        res.writeHead(bytes ? 403 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      return;
    }
    let raw = '';
    // Decoded as one stream, so a character split between two chunks arrives whole.
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      // When the call reached Slack: the whole request is in, and decoding it is the fake's own work.
      const at = now();
      const path = (req.url ?? '').split('?')[0] ?? '';
      const method = path.startsWith('/api/') ? path.slice(5) : path.slice(1);
      const body = parseBody(raw, req.headers['content-type']);
      record({ method, body, headers: req.headers, at });
      let answer: SlackAnswer | undefined = failures.get(method)?.shift();
      if (!answer && random.share > 0 && !method.startsWith('response/') && Math.random() < random.share) {
        answer = random.answers[Math.floor(Math.random() * random.answers.length)];
      }
      if (!answer) answer = handlers.get(method)?.(body) ?? { json: { ok: true } };
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    waitForCall(matches, timeoutMs = 5_000) {
      const found = calls.find(matches);
      if (found) return Promise.resolve(found);
      return new Promise<SlackCall>((resolve, reject) => {
        const waiter = {
          matches,
          resolve: (call: SlackCall) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(call);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching Slack call within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    url: `http://127.0.0.1:${port}/api/`,
    responseUrl: (name) => `http://127.0.0.1:${port}/response/${name}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages,
    users,
    outsideChannels,
    views,
    serveFile: (name, bytes) => {
      files.set(name, bytes);
      return `http://127.0.0.1:${port}/files/${name}`;
    },
    on: (method, handler) => void handlers.set(method, handler),
    failNext: (method, count, answer) =>
      failures.set(
        method,
        Array.from({ length: count }, () => answer),
      ),
    failRandomly: (share, answers) => {
      random = { share, answers };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
