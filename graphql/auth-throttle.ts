// Failed authentications are counted per client address: past a few in a minute, that address is
// answered 429 until the minute is over, so tokens cannot be guessed at speed. The table is bounded:
// when full, the address seen longest ago is forgotten first.

export interface ThrottleOptions {
  /** Failures allowed in a window; the next request from the address is refused. */
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at most. */
  maxAddresses: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 10, windowMs: 60_000, maxAddresses: 10_000 };

export class FailedAuthentications {
  private readonly byAddress = new Map<string, { failures: number; windowStart: number }>();

  constructor(private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {}

  /** Seconds the address must wait before it may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const entry = this.byAddress.get(address);
    if (!entry) return 0;
    const ends = entry.windowStart + this.options.windowMs;
    if (now >= ends) {
      this.byAddress.delete(address);
      return 0;
    }
    return entry.failures >= this.options.maxFailures ? Math.ceil((ends - now) / 1000) : 0;
  }

  recordFailure(address: string, now = Date.now()): void {
    const entry = this.byAddress.get(address);
    if (entry && now < entry.windowStart + this.options.windowMs) {
      entry.failures += 1;
      // Most recently failing last, so the first key is the one to forget.
      this.byAddress.delete(address);
      this.byAddress.set(address, entry);
      return;
    }
    this.byAddress.delete(address);
    this.byAddress.set(address, { failures: 1, windowStart: now });
    if (this.byAddress.size > this.options.maxAddresses) this.byAddress.delete(this.byAddress.keys().next().value as string);
  }

  get size(): number {
    return this.byAddress.size;
  }
}
