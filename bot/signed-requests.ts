// The gate in front of Bolt's receiver for requests signed by Slack. Bolt refuses a timestamp more
// than five minutes old but takes any timestamp in the future, and runs the same signed request as
// often as it arrives. Here a request whose timestamp is more than five minutes away from our clock,
// either way, is refused, and a signature seen in the last window is answered without running again.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** How far a request's timestamp may be from our clock, both ways (Slack's own figure). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/**
 * Signatures kept at most. A signature is remembered until its timestamp leaves the window, so this
 * bounds memory under a flood of genuine requests (about 100 bytes each); past it, the oldest go first.
 */
const MAX_REMEMBERED = 50_000;

export interface SignatureGateOptions {
  signingSecret: string;
  log: Logger;
  /** Bytes of body read at most (Slack's payloads are far smaller); a larger request is refused. */
  maxBodyBytes?: number;
  now?: () => number;
}

/**
 * Signatures of recent requests, each kept until its timestamp leaves the window (after that the
 * timestamp check refuses the request anyway). Memory of this process only: with several processes
 * behind one Request URL, a copy sent to another process is not recognised.
 */
export class RecentSignatures {
  private readonly seen = new Map<string, number>();

  constructor(private readonly max = MAX_REMEMBERED) {}

  /** Records `signature`; false when it was already recorded and has not expired. */
  remember(signature: string, expiresAt: number, now: number): boolean {
    this.forgetExpired(now);
    const known = this.seen.get(signature);
    if (known !== undefined && known >= now) return false;
    if (this.seen.size >= this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(signature, expiresAt);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetExpired(now: number): void {
    // Timestamps are within a window of the clock, so insertion order is close to expiry order: the
    // sweep stops at the first entry still alive (a rare later one goes when the map is full).
    for (const [signature, expiresAt] of this.seen) {
      if (expiresAt >= now) break;
      this.seen.delete(signature);
    }
  }
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function signatureMatches(secret: string, timestamp: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Wraps Bolt's request listener. A replay gets 200 and is not run: it is either an attacker, who
 * learns nothing, or a copy of a request this process already took, whose sender should stop
 * sending it (a 401 would make Slack count the delivery as failed and send it again). Slack's own
 * retries (x-slack-retry-num) are new requests with their own timestamp, so they pass as before.
 */
export function signatureGate(listener: RequestListener, options: SignatureGateOptions): RequestListener {
  const recent = new RecentSignatures();
  const now = options.now ?? Date.now;
  return (req, res) => {
    void (async () => {
      const body = await readBody(req, options.maxBodyBytes ?? 1024 * 1024);
      if (!body) return refuse(res, 413);
      const contentType = req.headers['content-type'] ?? '';
      // Slack's SSL check is not signed: Bolt answers it, and gets nothing else of its body (a command
      // smuggled beside it must not run unsigned).
      if (contentType.startsWith('application/x-www-form-urlencoded') && body.includes('ssl_check=') && new URLSearchParams(body.toString()).get('ssl_check') === '1') {
        return listener(Object.assign(req, { rawBody: Buffer.from('ssl_check=1') }), res);
      }
      const timestamp = req.headers['x-slack-request-timestamp'];
      const signature = req.headers['x-slack-signature'];
      if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
        options.log.warn('slack request without a usable timestamp or signature refused');
        return refuse(res, 401);
      }
      const at = Number(timestamp) * 1000;
      const clock = now();
      if (Math.abs(clock - at) > SIGNATURE_WINDOW_MS) {
        options.log.warn({ skewSeconds: Math.round((at - clock) / 1000) }, 'slack request refused: its timestamp is more than five minutes from our clock');
        return refuse(res, 401);
      }
      if (!signatureMatches(options.signingSecret, timestamp, body, signature)) {
        options.log.warn('slack request refused: the signature does not match');
        return refuse(res, 401);
      }
      if (!recent.remember(signature, at + SIGNATURE_WINDOW_MS, clock)) {
        options.log.warn({ retryNum: req.headers['x-slack-retry-num'] }, 'slack request ignored: the same signed request was already received');
        return refuse(res, 200);
      }
      // Bolt takes the body already read from `rawBody`; its own signature check is off (bot/app.ts).
      listener(Object.assign(req, { rawBody: body }), res);
    })().catch((error: unknown) => {
      options.log.error({ err: error }, 'slack request could not be read');
      if (!res.headersSent) refuse(res, 400);
    });
  };
}
