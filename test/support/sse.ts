// GraphQL subscriptions over server-sent events, read frame by frame the way a client does.
import type { WireJson } from './wire-json.ts';

/** One frame of the stream: `next` carries a GraphQL result, `complete` ends the stream. */
export interface SseFrame {
  event: string;
  data?: { data?: Record<string, WireJson> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

export interface EventStream {
  status: number;
  contentType: string;
  /** The body when the answer was not a stream (a refusal before any event). */
  text(): Promise<string>;
  /** Reads until `count` `next` frames came or the server completed the stream. */
  frames(count: number): Promise<SseFrame[]>;
  close(): Promise<void>;
}

type Fetcher = { fetch(url: string, init: RequestInit): Response | Promise<Response> };

/** Opens a subscription; `yoga` is anything with Yoga's fetch (the server in process, or a URL's fetch). */
export async function openEventStream(yoga: Fetcher, query: string, options: { token?: string; variables?: Record<string, unknown>; url?: string } = {}): Promise<EventStream> {
  const controller = new AbortController();
  const response = await yoga.fetch(options.url ?? 'http://localhost/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables }),
    signal: controller.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  const reader = contentType.includes('text/event-stream') ? response.body?.getReader() : undefined;
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  return {
    status: response.status,
    contentType,
    text: () => response.text(),
    async frames(count) {
      const received: SseFrame[] = [];
      while (reader && !ended && received.filter((f) => f.event === 'next').length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          const event = /^event: (.*)$/m.exec(part)?.[1];
          if (!event) continue;
          const data = /^data: (.*)$/m.exec(part)?.[1];
          received.push({ event, ...(data ? { data: JSON.parse(data) } : {}) });
          if (event === 'complete') ended = true;
        }
      }
      return received;
    },
    async close() {
      controller.abort();
      await reader?.cancel().catch(() => {});
    },
  };
}

/** The payloads of the `next` frames, for a field of the subscription. */
export function nextPayloads<T = WireJson>(frames: SseFrame[], field: string): T[] {
  return frames.filter((f) => f.event === 'next' && f.data?.data).map((f) => f.data?.data?.[field] as T);
}
