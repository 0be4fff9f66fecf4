// Daily: a reminder in the portal's channel when a bound certificate expires within 30, 7 and 1
// days, each once. The reminder is an event, so it reaches Slack through the outbox.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { changeDomain, domainsExpiringBefore } from '../db/domain-store.ts';

export const REMINDER_DAYS = [30, 7, 1] as const;
const DAY = 24 * 60 * 60_000;

export class CertificateReminders {
  private task: ScheduledTask | undefined;

  constructor(private readonly deps: { db: Db; log: Logger }) {}

  start(schedule = '0 0 9 * * *'): void {
    this.task = cron.schedule(schedule, () => this.run().then(() => undefined), { noOverlap: true, name: 'certificate-reminders' });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
  }

  /** Sends the reminders due at `now`; returns how many were sent. */
  async run(now = new Date()): Promise<number> {
    let sent = 0;
    for (const { domain, certificate, hostname } of await domainsExpiringBefore(this.deps.db, new Date(now.getTime() + REMINDER_DAYS[0] * DAY))) {
      const daysLeft = Math.max(0, Math.ceil((certificate.notAfter.getTime() - now.getTime()) / DAY));
      // The tightest threshold reached; the wider ones are marked too, so a late start sends one reminder.
      const reached = REMINDER_DAYS.filter((d) => daysLeft <= d);
      const threshold = reached.at(-1);
      if (threshold === undefined || domain.remindersSent.includes(threshold)) continue;
      const expired = certificate.notAfter <= now;
      const changed = await changeDomain(
        this.deps.db,
        domain.id,
        { status: 'CONFIGURED' },
        { remindersSent: [...new Set([...domain.remindersSent, ...reached])], updatedAt: now },
        [
          {
            type: 'CERTIFICATE_EXPIRING',
            message: expired
              ? `The certificate ${certificate.name} of ${hostname} has expired (${certificate.notAfter.toISOString().slice(0, 10)}). Upload a new one.`
              : `The certificate ${certificate.name} of ${hostname} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${certificate.notAfter.toISOString().slice(0, 10)}). Upload a renewed one before then.`,
            actor: 'system:certificates',
            data: { hostname, daysLeft, threshold, certificateId: certificate.id },
          },
        ],
      );
      if (changed) sent += 1;
    }
    if (sent > 0) this.deps.log.info({ sent }, 'certificate expiry reminders sent');
    return sent;
  }
}
