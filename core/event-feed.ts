// A live feed of the events table. Writers in this process ring the bell; writers in other processes
// sharing the database are picked up by a short re-read, so a subscriber misses nothing either way.
import type { Db } from '../db/client.ts';
import { onEventsWritten, readEventsAfter } from '../db/outbox.ts';
import type { EventRow } from '../db/schema.ts';

const PAGE = 100;

export class EventFeed {
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly rereadMs = 1_000,
  ) {
    onEventsWritten(db, () => this.notify());
  }

  /** Something was written: wake every subscriber to read it. */
  notify(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Ends every follower after what it has read, so each stream completes cleanly (at shutdown). */
  close(): void {
    this.closed = true;
    this.notify();
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.rereadMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Every event after `afterId` (of one portal, or all), then each new one as it is written. */
  async *follow(options: { afterId?: number; portalId?: number; signal?: AbortSignal }): AsyncGenerator<EventRow> {
    let last = options.afterId ?? 0;
    while (!options.signal?.aborted && !this.closed) {
      const rows = await readEventsAfter(this.db, last, PAGE, options.portalId);
      for (const row of rows) {
        last = row.id;
        yield row;
      }
      if (rows.length < PAGE) await this.wait(options.signal);
    }
  }
}
