// Slack takes about one message a second in a channel (posts and edits alike) and answers bursts
// with 429s. Messages to one channel are given slots `intervalMs` apart, first asked first served;
// a Retry-After from Slack pushes the channel's next slot back. Slots are kept by this process
// only: two processes delivering to one channel each keep their own pace.

/** Channels kept at most; entries whose slot has passed are dropped first. */
const MAX_CHANNELS = 10_000;

export class ChannelPacer {
  private readonly nextSlot = new Map<string, number>();

  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reserves the channel's next slot and returns how long to wait for it, or undefined (nothing
   * reserved) when that would be longer than `maxWaitMs`.
   */
  reserve(channel: string, maxWaitMs: number): number | undefined {
    const now = this.now();
    const at = Math.max(now, this.nextSlot.get(channel) ?? 0);
    if (at - now > maxWaitMs) return undefined;
    if (this.intervalMs > 0 || this.nextSlot.has(channel)) {
      this.forgetPast(now);
      this.nextSlot.set(channel, at + this.intervalMs);
    }
    return at - now;
  }

  /** How long until the channel's next free slot. */
  waitFor(channel: string): number {
    return Math.max(0, (this.nextSlot.get(channel) ?? 0) - this.now());
  }

  /**
   * Slack said to wait (Retry-After): nothing more goes to the channel before then. With pacing off
   * (a Slack stand-in in tests, which answers 429 at random rather than per channel) only the message
   * that got the 429 waits, as the outbox does for any failure.
   */
  holdOff(channel: string, ms: number): void {
    if (this.intervalMs === 0) return;
    const until = this.now() + ms;
    if (until > (this.nextSlot.get(channel) ?? 0)) this.nextSlot.set(channel, until);
  }

  private forgetPast(now: number): void {
    if (this.nextSlot.size < MAX_CHANNELS) return;
    for (const [channel, at] of this.nextSlot) if (at <= now) this.nextSlot.delete(channel);
  }
}
