// Daily: writes the certificate expiry reminders that are due (the rule is core/certificate-reminders.ts).
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { certificateReminder, reminderHorizon } from '../core/certificate-reminders.ts';
import { type Clock, clockOf } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { changeDomain, domainsExpiringBefore } from '../db/domain-store.ts';
import { type JobObserver, NO_JOB_OBSERVER, secondsSince } from './observer.ts';

export class CertificateReminders {
  private task: ScheduledTask | undefined;

  constructor(private readonly deps: { db: Db; log: Logger; now?: Clock; observer?: JobObserver }) {}

  start(schedule = '0 0 9 * * *'): void {
    this.task = cron.schedule(schedule, () => this.run().then(() => undefined), { noOverlap: true, name: 'certificate-reminders' });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
  }

  /** Sends the reminders due at `now`; returns how many were sent. */
  async run(now = clockOf(this.deps)()): Promise<number> {
    const observer = this.deps.observer ?? NO_JOB_OBSERVER;
    const started = performance.now();
    let sent = 0;
    try {
      for (const { domain, certificate, hostname } of await domainsExpiringBefore(this.deps.db, reminderHorizon(now))) {
        const reminder = certificateReminder(domain, certificate, hostname, now);
        if (!reminder) continue;
        // Another process sent it, or the domain changed, since it was read: nothing is written.
        if (await changeDomain(this.deps.db, domain.id, reminder.expected, reminder.changes, reminder.events)) sent += 1;
        else observer.leaseLost('certificate-reminders', 1);
      }
    } finally {
      observer.runEnded('certificate-reminders', secondsSince(started));
    }
    if (sent > 0) this.deps.log.info({ sent }, 'certificate expiry reminders sent');
    return sent;
  }
}
