// What the pollers share: sweeping on a cron schedule without overlapping runs, on demand (wake), and
// again when the next row is due, even between cron ticks. Cron stays the safety net for work that
// another process adds to the database.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export abstract class Sweeper<Report> {
  private task: ScheduledTask | undefined;
  private running: Promise<Report> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private stopped = false;

  constructor(
    protected readonly log: Logger,
    private readonly name: string,
  ) {}

  /** One pass over the rows that are due. */
  abstract sweep(): Promise<Report>;

  /** When the next row will be due, if any is. */
  protected abstract nextDueAt(): Promise<Date | undefined>;

  start(schedule: string): void {
    this.task = cron.schedule(schedule, () => this.runSweep(), { noOverlap: true, name: this.name });
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.task?.destroy();
    await this.running;
  }

  /** Asks for a sweep soon: now if idle, right after the current one otherwise. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else void this.runSweep();
  }

  private async runSweep(): Promise<void> {
    if (this.running || this.stopped) {
      this.again = true;
      return;
    }
    this.running = this.sweep();
    try {
      await this.running;
      const due = await this.nextDueAt();
      if (due) this.scheduleWake(Math.max(0, due.getTime() - Date.now()) + 5);
    } catch (error) {
      this.log.error({ err: error }, `${this.name} sweep failed`);
    } finally {
      this.running = undefined;
    }
    if (this.again && !this.stopped) {
      this.again = false;
      void this.runSweep();
    }
  }

  private scheduleWake(ms: number): void {
    if (this.stopped) return;
    const at = Date.now() + Math.min(ms, 60_000);
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, at - Date.now());
    this.timer.unref();
  }
}

/** The most rows a sweep claims at a time. */
export const ROUND_SIZE = 500;

/**
 * Claims up to `batchSize` due rows in rounds of up to ROUND_SIZE, each leased for `leaseMs` from its
 * claim, working each round before claiming the next: what a sweep holds does not grow with its batch,
 * and a lease need only outlast one round's work. Returns how many rows were claimed.
 */
export async function inRounds<T>(
  batchSize: number,
  leaseMs: number,
  claim: (limit: number, at: Date, leaseUntil: Date) => Promise<T[]>,
  work: (rows: T[]) => Promise<void>,
): Promise<number> {
  let claimed = 0;
  while (claimed < batchSize) {
    const limit = Math.min(ROUND_SIZE, batchSize - claimed);
    const at = new Date();
    const rows = await claim(limit, at, new Date(at.getTime() + leaseMs));
    claimed += rows.length;
    if (rows.length > 0) await work(rows);
    if (rows.length < limit) break;
  }
  return claimed;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
