// The one way tests, bench/ and scripts/ wait: a plain pause, and polling until something holds.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface EventuallyOptions {
  /** Pause between two checks (default 20 ms). */
  intervalMs?: number;
  /** The state worth seeing when the wait fails (counts, rows, the last answer). */
  describe?: () => string | Promise<string>;
}

/**
 * Polls `check` until it returns something truthy, and returns that; after `timeoutMs` it fails naming
 * `what`, with `describe()`'s state when given. A wait, never a measurement: it asserts no timing.
 */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
  { intervalMs = 20, describe }: EventuallyOptions = {},
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `. ${await describe()}` : ''}`);
    await sleep(intervalMs);
  }
}
