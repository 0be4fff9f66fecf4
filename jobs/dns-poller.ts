// The DNS poller: claims custom domains that are due with a lease, checks their CNAME (bounded
// concurrency), and makes the SSL binding through the platform once the CNAME is seen. What a check
// or the platform's answer means is core's (core/domains.ts, core/ssl-binding-outcomes.ts).
import type { Logger } from 'pino';
import { bindingCertificate } from '../core/binding-certificate.ts';
import { type CnameCheck, checkCname } from '../core/dns-check.ts';
import { type DomainDeps, recordCheck, sslOperationKey, sslSpec, unbindSsl } from '../core/domains.ts';
import { type BindingPace, bindingAnswerWrite, bindingStartedWrite, type DomainWrite, stepFailedWrite } from '../core/ssl-binding-outcomes.ts';
import { changeDomain, claimDueDomains, findCertificate, findDomain, findHostname, nextDomainDueAt } from '../db/domain-store.ts';
import { findPortal } from '../db/portal-store.ts';
import type { CustomDomainRow } from '../db/schema.ts';
import type { Platform } from '../platform/platform.ts';
import { type CnameCheckResult, type JobObserver, platformFailureKind } from './observer.ts';
import { eachLimited, inRounds, Sweeper, withTimeout } from './sweeper.ts';

export interface DnsTiming {
  leaseMs: number;
  concurrency: number;
  batchSize: number;
  /** Pause between two looks at a running SSL binding. */
  bindPollMs: number;
  callTimeoutMs: number;
}

export const DNS_TIMING: DnsTiming = { leaseMs: 60_000, concurrency: 50, batchSize: 2_000, bindPollMs: 2_000, callTimeoutMs: 10_000 };
export const FAST_DNS_TIMING: DnsTiming = { ...DNS_TIMING, bindPollMs: 50, callTimeoutMs: 2_000 };

const CHECK_RESULTS: Record<CnameCheck['state'], CnameCheckResult> = { FOUND: 'found', NOT_YET: 'not_yet', TRANSIENT: 'transient' };

export interface DnsSweepReport {
  claimed: number;
  found: number;
  configured: number;
}

export class DnsPoller extends Sweeper<DnsSweepReport> {
  constructor(private readonly deps: DomainDeps & { platform: Platform; log: Logger; timing?: DnsTiming; observer?: JobObserver }) {
    super({ log: deps.log, name: 'dns-poller', job: 'dns', now: deps.now, observer: deps.observer });
  }

  private get timing(): DnsTiming {
    return this.deps.timing ?? DNS_TIMING;
  }

  protected nextDueAt(): Promise<Date | undefined> {
    return nextDomainDueAt(this.deps.db);
  }

  /**
   * One pass over up to `batchSize` domains that are due, claimed in rounds (see inRounds): checks
   * that wait for slow name servers could otherwise outlast the lease of a whole batch.
   */
  async sweep(): Promise<DnsSweepReport> {
    const report: DnsSweepReport = { claimed: 0, found: 0, configured: 0 };
    report.claimed = await inRounds(
      this.timing.batchSize,
      this.timing.leaseMs,
      (limit, at, leaseUntil) => this.counted(claimDueDomains(this.deps.db, this.owner, at, leaseUntil, limit)),
      (claimed) => this.sweepRound(claimed, report),
      this.now,
    );
    return report;
  }

  private async sweepRound(claimed: readonly CustomDomainRow[], report: DnsSweepReport): Promise<void> {
    await eachLimited(claimed, this.timing.concurrency, async (domain) => {
      try {
        await this.step(domain, report);
      } catch (error) {
        this.deps.log.warn({ err: error, domainId: domain.id }, 'custom domain step failed; will retry');
        await this.write(domain, stepFailedWrite(this.owner, this.pace()));
      }
    });
  }

  /** Checks a pending domain's CNAME (and binds it once seen), or goes on with its binding. */
  private async step(domain: CustomDomainRow, report: DnsSweepReport): Promise<void> {
    if (domain.status !== 'PENDING_CNAME') {
      if ((await this.bind(domain))?.status === 'CONFIGURED') report.configured += 1;
      return;
    }
    const host = (await findHostname(this.deps.db, { id: domain.hostnameId }))?.name ?? '';
    const result = await checkCname(host, domain.cnameTarget, this.deps.dns);
    this.observer.cnameChecked(CHECK_RESULTS[result.state]);
    const updated = await recordCheck(this.deps, domain, result, { leaseOwner: this.owner });
    this.countLost([updated]);
    if (updated?.status !== 'BINDING') return;
    report.found += 1;
    if ((await this.bind(updated))?.status === 'CONFIGURED') report.configured += 1;
  }

  private pace(): BindingPace {
    return { at: this.now(), bindPollMs: this.timing.bindPollMs };
  }

  private async write(domain: CustomDomainRow, write: DomainWrite): Promise<CustomDomainRow | undefined> {
    const written = await changeDomain(this.deps.db, domain.id, write.expected, write.changes, write.events);
    this.countLost([written]);
    return written;
  }

  /** A platform call; its failure is counted, then thrown on. */
  private async platformCall<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await withTimeout(call(), this.timing.callTimeoutMs, what);
    } catch (error) {
      this.observer.platformCallFailed(platformFailureKind(error));
      throw error;
    }
  }

  /** Starts the SSL binding or looks at it; writes what core makes of the answer. */
  private async bind(domain: CustomDomainRow): Promise<CustomDomainRow | undefined> {
    const pace = this.pace();
    const host = (await findHostname(this.deps.db, { id: domain.hostnameId }))?.name ?? '';
    if (!domain.bindOperationId) return this.startBinding(domain, host, pace);
    const operationId = domain.bindOperationId;
    const [state] = await this.platformCall(() => this.deps.platform.getOperations([operationId]), 'Asking for the SSL binding');
    const written = await this.write(domain, bindingAnswerWrite(domain, host, state, pace));
    if (written && state && state.status !== 'RUNNING') this.observer.operationFinished('BIND_SSL', state.status === 'SUCCEEDED' ? 'succeeded' : 'failed');
    return written;
  }

  private async startBinding(domain: CustomDomainRow, host: string, pace: BindingPace): Promise<CustomDomainRow | undefined> {
    const { db, platform } = this.deps;
    const [portal, certificate] = await Promise.all([findPortal(db, domain.portalId), findCertificate(db, domain.certificateId)]);
    if (!portal || !certificate) return undefined;
    const spec = sslSpec(portal, host, certificate.thumbprint, bindingCertificate(this.deps.secretKey, certificate));
    const operation = await this.platformCall(() => platform.startOperation('BIND_SSL', sslOperationKey(domain, 'BIND_SSL'), spec), 'Starting the SSL binding');
    const started = await this.write(domain, bindingStartedWrite(domain, host, operation.id, pace));
    if (started) this.observer.operationStarted('BIND_SSL');
    // Removed while the binding was being asked for: take the binding off again.
    if (!started && !(await findDomain(db, { id: domain.id }))) await unbindSsl({ db, platform }, domain, host, 'removed-while-binding');
    return started;
  }
}
