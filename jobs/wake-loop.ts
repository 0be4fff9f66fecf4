// The one loop that runs a job: on demand (wake), again right after a run that was woken meanwhile,
// and when the run says its next work is due. Runs never overlap. Each job that has one uses it:
// the pollers (through Sweeper, with cron as the safety net) and Slack delivery (wired in app/).
import type { Logger } from 'pino';
import { type JobName, type JobObserver, NO_JOB_OBSERVER, secondsSince } from './observer.ts';

/** The longest a loop sleeps before looking again, whatever the run said. */
export const MAX_SLEEP_MS = 60_000;

export interface WakeLoopOptions {
  name: string;
  log: Logger;
  /** One run; resolves to how long until the next one is wanted (ms), or undefined when nothing is due. */
  run: () => Promise<number | undefined>;
  /** Pause after a failed run before the next; without it the loop waits for a wake. */
  retryAfterErrorMs?: number | undefined;
  /** The job the runs are of, for `observer`, which is told how long each run took. */
  job?: JobName | undefined;
  observer?: JobObserver | undefined;
}

export class WakeLoop {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WakeLoopOptions) {}

  /** Asks for a run soon: now if idle, right after the current one otherwise. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.running = this.runOnce();
  }

  /** No run starts after this; resolves when the current one has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async runOnce(): Promise<void> {
    // The run says when it wants the next one: a sleep set by an earlier run is replaced.
    clearTimeout(this.timer);
    let next: number | undefined;
    const started = performance.now();
    try {
      next = await this.options.run();
    } catch (error) {
      this.options.log.error({ err: error }, `${this.options.name} failed`);
      next = this.options.retryAfterErrorMs;
    }
    const { job, observer = NO_JOB_OBSERVER } = this.options;
    if (job) observer.runEnded(job, secondsSince(started));
    this.running = undefined;
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.wake();
    } else if (next !== undefined) this.sleep(next);
  }

  private sleep(ms: number): void {
    this.timer = setTimeout(() => this.wake(), Math.min(Math.max(0, ms), MAX_SLEEP_MS));
    this.timer.unref();
  }
}
