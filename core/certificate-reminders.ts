// When a bound certificate's owners are reminded that it expires: within 30, 7 and 1 days, each once.
// The reminder is an event, so it reaches Slack through the outbox. Pure: the daily job
// (jobs/certificate-reminders.ts) finds the domains and writes what this returns.
import type { CertificateRow, CustomDomainRow } from '../db/schema.ts';
import type { DomainWrite } from './ssl-binding-outcomes.ts';

export const REMINDER_DAYS = [30, 7, 1] as const;
const DAY = 24 * 60 * 60_000;

/** Certificates expiring before this are looked at: the widest reminder's horizon. */
export function reminderHorizon(now: Date): Date {
  return new Date(now.getTime() + REMINDER_DAYS[0] * DAY);
}

/** The reminder due at `now` for a configured domain's certificate, or undefined when none is. */
export function certificateReminder(domain: CustomDomainRow, certificate: CertificateRow, hostname: string, now: Date): DomainWrite | undefined {
  const daysLeft = Math.max(0, Math.ceil((certificate.notAfter.getTime() - now.getTime()) / DAY));
  // The tightest threshold reached; the wider ones are marked too, so a late start sends one reminder.
  const reached = REMINDER_DAYS.filter((d) => daysLeft <= d);
  const threshold = reached.at(-1);
  if (threshold === undefined || domain.remindersSent.includes(threshold)) return undefined;
  const expired = certificate.notAfter <= now;
  const until = certificate.notAfter.toISOString().slice(0, 10);
  return {
    // The domain as read: when another process (a replica's run at the same hour) changed it since, this reminder is not sent again.
    expected: { status: 'CONFIGURED', updatedAt: domain.updatedAt },
    changes: { remindersSent: [...new Set([...domain.remindersSent, ...reached])], updatedAt: now },
    events: [
      {
        type: 'CERTIFICATE_EXPIRING',
        message: expired
          ? `The certificate ${certificate.name} of ${hostname} has expired (${until}). Upload a new one.`
          : `The certificate ${certificate.name} of ${hostname} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${until}). Upload a renewed one before then.`,
        actor: 'system:certificates',
        data: { hostname, daysLeft, threshold, certificateId: certificate.id },
      },
    ],
  };
}
