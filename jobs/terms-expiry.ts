// Reminds and then expires portals whose terms of service wait too long (the rule is core/terms-expiry.ts).
// Due portals are claimed with a lease, as the provisioning poller claims its own; each reminder or
// expiry is written with its event in one transaction, only while the portal still waits for its
// terms, so two processes never both send a reminder or expire a portal twice.
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { type TermsExpiryPolicy, termsExpiryStep } from '../core/terms-expiry.ts';
import type { Db } from '../db/client.ts';
import { changePortals, claimTermsDue, nextTermsDueAt, type PortalWrite, releaseLeases } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import type { JobObserver } from './observer.ts';
import { inRounds, Sweeper } from './sweeper.ts';

export interface TermsExpiryReport {
  claimed: number;
  reminded: number;
  expired: number;
}

export class TermsExpiry extends Sweeper<TermsExpiryReport> {
  constructor(private readonly deps: { db: Db; log: Logger; policy: TermsExpiryPolicy; leaseMs?: number; batchSize?: number; now?: Clock; observer?: JobObserver }) {
    super({ log: deps.log, name: 'terms-expiry', job: 'terms-expiry', now: deps.now, observer: deps.observer });
  }

  private get delays() {
    const { expiryMs, reminderMs } = this.deps.policy;
    return { expiryMs, remindAfterMs: Math.max(0, expiryMs - reminderMs) };
  }

  protected nextDueAt(): Promise<Date | undefined> {
    return nextTermsDueAt(this.deps.db, this.delays);
  }

  async sweep(): Promise<TermsExpiryReport> {
    const { db, log } = this.deps;
    const report: TermsExpiryReport = { claimed: 0, reminded: 0, expired: 0 };
    report.claimed = await inRounds(
      this.deps.batchSize ?? 1_000,
      this.deps.leaseMs ?? 60_000,
      (limit, at, leaseUntil) => this.counted(claimTermsDue(db, this.owner, at, leaseUntil, limit, this.delays)),
      (claimed) => this.sweepRound(claimed, report),
      // The lease is measured on the same clock as what is due, so a clock given in tests holds too.
      this.now,
    );
    if (report.reminded + report.expired > 0) log.info(report, 'terms of service reminders and expiries written');
    return report;
  }

  /** Writes what core says is due for each claimed portal (a reminder or the expiry), then lets go. */
  private async sweepRound(claimed: readonly PortalRow[], report: TermsExpiryReport): Promise<void> {
    const { db, policy } = this.deps;
    const at = this.now();
    const writes: PortalWrite[] = [];
    for (const portal of claimed) {
      const step = termsExpiryStep(portal, policy, at);
      if (!step) continue;
      writes.push({
        id: portal.id,
        expected: { ...step.expected, leaseOwner: this.owner },
        changes: { ...step.changes, leaseOwner: null, leaseUntil: null },
        events: step.events,
      });
    }
    const written = await changePortals(db, writes);
    // A portal whose terms were answered between claim and write is one the write no longer applied to.
    this.countLost(written);
    writes.forEach((write, i) => {
      if (!written[i]) return;
      if (write.events.some((e) => e.type === 'TERMS_EXPIRED')) report.expired += 1;
      else report.reminded += 1;
    });
    // A portal whose terms were answered between claim and write keeps no lease of ours.
    await releaseLeases(
      db,
      claimed.map((p) => p.id),
      this.owner,
    );
  }
}
