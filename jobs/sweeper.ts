// What the pollers share: sweeping on a cron schedule without overlapping runs, on demand (wake), and
// again when the next row is due, even between cron ticks (the wake loop, wake-loop.ts). Cron stays
// the safety net for work that another process adds to the database. Each poller claims rows under a
// lease owner of its own and reads the time from one clock.
import cron, { type ScheduledTask } from 'node-cron';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../core/clock.ts';
import { newLeaseOwner } from '../db/lease-owner.ts';
import { CallTimeoutError, type JobName, type JobObserver, NO_JOB_OBSERVER } from './observer.ts';
import { WakeLoop } from './wake-loop.ts';

/** A little after a row is due, so that it is due when looked at. */
const DUE_MARGIN_MS = 5;

export interface SweeperOptions {
  log: Logger;
  /** Names the cron task and the sweep in the logs. */
  name: string;
  /** Names the job for `observer`. */
  job: JobName;
  /** The time the poller claims and writes by; tests hand in their own. */
  now?: Clock | undefined;
  /** Told how each sweep went (its length, claims, lost writes); nothing is told without one. */
  observer?: JobObserver | undefined;
}

export abstract class Sweeper<Report> {
  /** Names this poller in the rows it leases. */
  readonly owner = newLeaseOwner();
  private task: ScheduledTask | undefined;
  private readonly loop: WakeLoop;
  protected readonly log: Logger;
  private readonly name: string;
  protected readonly job: JobName;
  protected readonly now: Clock;
  protected readonly observer: JobObserver;

  constructor(options: SweeperOptions) {
    this.log = options.log;
    this.name = options.name;
    this.job = options.job;
    this.now = options.now ?? systemClock;
    this.observer = options.observer ?? NO_JOB_OBSERVER;
    this.loop = new WakeLoop({ name: `${this.name} sweep`, log: this.log, run: () => this.sweepUntilNext(), job: this.job, observer: this.observer });
  }

  /** One pass over the rows that are due. */
  abstract sweep(): Promise<Report>;

  /** When the next row will be due, if any is. */
  protected abstract nextDueAt(): Promise<Date | undefined>;

  start(schedule: string): void {
    this.task = cron.schedule(schedule, () => this.loop.wake(), { noOverlap: true, name: this.name });
    this.wake();
  }

  async stop(): Promise<void> {
    const stopping = this.loop.stop();
    await this.task?.destroy();
    await stopping;
  }

  /** Asks for a sweep soon: now if idle, right after the current one otherwise. */
  wake(): void {
    this.loop.wake();
  }

  /** The rows a claim returned, counted for the observer. */
  protected async counted<T>(claim: Promise<T[]>): Promise<T[]> {
    const rows = await claim;
    if (rows.length > 0) this.observer.claimed(this.job, rows.length);
    return rows;
  }

  /** Counts the conditional writes that applied to nothing (undefined answers) as lost. */
  protected countLost(written: ReadonlyArray<unknown>): void {
    const lost = written.filter((row) => !row).length;
    if (lost > 0) this.observer.leaseLost(this.job, lost);
  }

  private async sweepUntilNext(): Promise<number | undefined> {
    await this.sweep();
    const due = await this.nextDueAt();
    // A pause for a timer: measured on the system's time, which timers run on.
    return due ? Math.max(0, due.getTime() - Date.now()) + DUE_MARGIN_MS : undefined;
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
  now: Clock = systemClock,
): Promise<number> {
  let claimed = 0;
  while (claimed < batchSize) {
    const limit = Math.min(ROUND_SIZE, batchSize - claimed);
    const at = now();
    const rows = await claim(limit, at, new Date(at.getTime() + leaseMs));
    claimed += rows.length;
    if (rows.length > 0) await work(rows);
    if (rows.length < limit) break;
  }
  return claimed;
}

/** Runs `work` over `items`, at most `limit` at a time, in their order. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const slot = pLimit(limit);
  await Promise.all(items.map((item) => slot(() => work(item))));
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
