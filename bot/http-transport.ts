// How the bot reaches Slack's Web API (given to @slack/web-api as its `fetch`) and, deployed apart,
// the portal API (GRAPHQL_URL): node:http(s) over kept-alive connections. Node 20's own fetch costs
// several times as much CPU per call (measured with a 6.8 KB form body and a 4 KB answer, as a
// provision modal is: about 0.35 ms more per call, server side included), and every command, modal
// and status message is a call. Only what these callers send goes this way (a form or JSON body in a
// POST, redirects refused: a redirect would take the token elsewhere); anything else, such as a file
// upload's multipart body, goes to the global fetch.
import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { FetchFunction } from '@slack/web-api';

type FetchInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchAnswer = Awaited<ReturnType<FetchFunction>>;

/** More than any answer of Slack or of the API; a body past this is refused rather than held in memory. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export interface KeptAliveFetchOptions {
  maxAnswerBytes?: number;
}

/**
 * Idle connections are closed after 4 s (Node honours a shorter Keep-Alive hint from the server), so
 * a request rarely meets a connection the server has just closed; when one does, it fails as with
 * fetch and the caller's retry policy decides.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: 4_000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 4_000 }),
};

class AnswerHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }
}

class Answer implements FetchAnswer {
  readonly ok: boolean;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: AnswerHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.body).buffer;
  }
}

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      throw new Error(`The server answered with a body encoded as ${encoding}, which this client cannot read.`);
  }
}

function post(url: URL, init: FetchInit & { body: string }, maxAnswerBytes: number): Promise<FetchAnswer> {
  const { signal } = init;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent: agents[url.protocol as keyof typeof agents],
      headers: { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
    });
    const abort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('The request was aborted.'));
    signal?.addEventListener('abort', abort, { once: true });
    const settle =
      <T>(done: (value: T) => void) =>
      (value: T) => {
        signal?.removeEventListener('abort', abort);
        done(value);
      };
    const fail = settle(reject);
    const succeed = settle(resolve);
    request.on('error', fail);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        response.resume();
        fail(new TypeError(`${url.origin} answered ${status}, a redirect to ${response.headers.location ?? 'nowhere'}; redirects are refused, so the token goes nowhere else.`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxAnswerBytes) {
          fail(new Error(`The answer of ${url.origin} was larger than ${maxAnswerBytes} bytes; it was not read.`));
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        try {
          const body = decoded(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), response.headers['content-encoding']);
          succeed(new Answer(url.href, status, response.statusMessage ?? '', new AnswerHeaders(response.headers), body));
        } catch (error) {
          fail(error);
        }
      });
    });
    request.end(init.body);
  });
}

/** A `fetch` for the bot's calls: POSTs of a string body that refuse redirects over node:http(s), anything else to the global fetch. */
export function createKeptAliveFetch(options: KeptAliveFetchOptions = {}): FetchFunction {
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  return (input, init) => {
    const url = typeof input === 'string' ? new URL(input) : input;
    const plain = (url.protocol === 'http:' || url.protocol === 'https:') && (init?.method ?? 'GET').toUpperCase() === 'POST';
    if (init && plain && typeof init.body === 'string' && init.redirect === 'error') {
      return post(url, { ...init, body: init.body }, maxAnswerBytes);
    }
    return fetch(url, init as RequestInit) as Promise<FetchAnswer>;
  };
}

export const keptAliveFetch = createKeptAliveFetch();
