// Caps on open event streams. Each stream holds a connection and re-reads the events table while it
// waits, so a client opening thousands would slow every other request down: each token gets a few,
// the server a fixed number in all, and whoever asks past that is told so before anything streams.
import { createHash } from 'node:crypto';
import { createGraphQLError } from 'graphql-yoga';
import { type Actor, actorLabel } from '../core/actor.ts';

export interface StreamLimits {
  /** Streams one token (or one in-process caller) may hold open at once. */
  perToken: number;
  /** Streams the whole server holds open at once. */
  total: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perToken: 10, total: 200 };

function refused(message: string) {
  return createGraphQLError(message, { extensions: { code: 'TOO_MANY_STREAMS', http: { status: 429 } } });
}

/** Who a stream counts against: the bearer token (by its hash, never kept in clear), else the actor. */
export function streamOwner(request: Request | undefined, actor: Actor): string {
  const authorization = request?.headers.get('authorization');
  return authorization ? `token:${createHash('sha256').update(authorization).digest('base64url')}` : actorLabel(actor);
}

export class StreamGate {
  private readonly open = new Map<string, number>();
  private count = 0;

  constructor(private readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {}

  /** Counts a stream for `owner`, or throws the error a client reads; the release runs once, however often it is called. */
  acquire(owner: string): () => void {
    const mine = this.open.get(owner) ?? 0;
    if (mine >= this.limits.perToken) {
      throw refused(`This token already has ${mine} event streams open, the most one token may hold. Close one before opening another.`);
    }
    if (this.count >= this.limits.total) {
      throw refused(`The server already has ${this.count} event streams open, the most it serves at once. Try again later.`);
    }
    this.open.set(owner, mine + 1);
    this.count += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count -= 1;
      const left = (this.open.get(owner) ?? 1) - 1;
      if (left > 0) this.open.set(owner, left);
      else this.open.delete(owner);
    };
  }

  /**
   * `events`, releasing its place when it ends, fails, is closed by the client or `signal` aborts. An
   * async generator could not do this: closing one that never started skips its finally block.
   */
  hold<T>(events: AsyncGenerator<T>, release: () => void, signal: AbortSignal | undefined): AsyncIterableIterator<T> {
    signal?.addEventListener('abort', release, { once: true });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        try {
          const result = await events.next();
          if (result.done) release();
          return result;
        } catch (error) {
          release();
          throw error;
        }
      },
      async return(value?: unknown) {
        release();
        return events.return(value as T);
      },
      async throw(error?: unknown) {
        release();
        return events.throw(error);
      },
    };
  }
}
