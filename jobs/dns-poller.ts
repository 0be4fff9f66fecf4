// The DNS poller: claims custom domains that are due with a lease, checks their CNAME (bounded
// concurrency), and makes the SSL binding through the platform once the CNAME is seen.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { checkCname } from '../core/dns-check.ts';
import { bindingCertificate } from '../core/binding-certificate.ts';
import { type DomainDeps, recordCheck, sslOperationKey, sslSpec, unbindSsl } from '../core/domains.ts';
import { customDomainConfiguredMessage } from '../core/messages.ts';
import { claimDueDomains, changeDomain, findCertificate, findDomain, findHostname, nextDomainDueAt } from '../db/domain-store.ts';
import { findPortal } from '../db/portal-store.ts';
import type { CustomDomainRow } from '../db/schema.ts';
import type { Platform } from '../platform/platform.ts';
import { Sweeper, eachLimited, inRounds, withTimeout } from './sweeper.ts';

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

const SYSTEM = 'system:dns';

export interface DnsSweepReport {
  claimed: number;
  found: number;
  configured: number;
}

export class DnsPoller extends Sweeper<DnsSweepReport> {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly deps: DomainDeps & { platform: Platform; log: Logger; timing?: DnsTiming }) {
    super(deps.log, 'dns-poller');
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
      (limit, at, leaseUntil) => claimDueDomains(this.deps.db, this.owner, at, leaseUntil, limit),
      (claimed) => this.sweepRound(claimed, report),
    );
    return report;
  }

  private async sweepRound(claimed: readonly CustomDomainRow[], report: DnsSweepReport): Promise<void> {
    await eachLimited(claimed, this.timing.concurrency, async (domain) => {
      try {
        if (domain.status === 'PENDING_CNAME') {
          const host = (await findHostname(this.deps.db, { id: domain.hostnameId }))?.name ?? '';
          const result = await checkCname(host, domain.cnameTarget, this.deps.dns);
          const updated = await recordCheck(this.deps, domain, result, { leaseOwner: this.owner });
          if (updated?.status === 'BINDING') {
            report.found += 1;
            if ((await this.bind(updated))?.status === 'CONFIGURED') report.configured += 1;
          }
        } else if ((await this.bind(domain))?.status === 'CONFIGURED') report.configured += 1;
      } catch (error) {
        this.deps.log.warn({ err: error, domainId: domain.id }, 'custom domain step failed; will retry');
        await changeDomain(
          this.deps.db,
          domain.id,
          { leaseOwner: this.owner },
          { leaseOwner: null, leaseUntil: null, nextCheckAt: new Date(Date.now() + this.timing.bindPollMs), updatedAt: new Date() },
          [],
        );
      }
    });
  }

  /** Starts the SSL binding or looks at it; records the outcome. */
  private async bind(domain: CustomDomainRow): Promise<CustomDomainRow | undefined> {
    const { db, platform } = this.deps;
    const at = new Date();
    const host = (await findHostname(db, { id: domain.hostnameId }))?.name ?? '';
    // The lease may have been released by recordCheck: take the row again on our own terms.
    const held = { status: 'BINDING' as const, bindOperationId: domain.bindOperationId };
    if (!domain.bindOperationId) {
      const [portal, certificate] = await Promise.all([findPortal(db, domain.portalId), findCertificate(db, domain.certificateId)]);
      if (!portal || !certificate) return undefined;
      const operation = await withTimeout(
        platform.startOperation('BIND_SSL', sslOperationKey(domain, 'BIND_SSL'), sslSpec(portal, host, certificate.thumbprint, bindingCertificate(this.deps.secretKey, certificate))),
        this.timing.callTimeoutMs,
        'Starting the SSL binding',
      );
      const started = await changeDomain(
        db,
        domain.id,
        held,
        { bindOperationId: operation.id, leaseOwner: null, leaseUntil: null, nextCheckAt: new Date(at.getTime() + this.timing.bindPollMs), updatedAt: at },
        [{ type: 'DOMAIN_BINDING_STARTED', message: `Binding the SSL certificate to ${host}.`, actor: SYSTEM, data: { hostname: host } }],
      );
      // Removed while the binding was being asked for: take the binding off again.
      if (!started && !(await findDomain(db, { id: domain.id }))) await unbindSsl({ db, platform }, domain, host, 'removed-while-binding');
      return started;
    }
    const [state] = await withTimeout(platform.getOperations([domain.bindOperationId]), this.timing.callTimeoutMs, 'Asking for the SSL binding');
    if (!state || state.status === 'RUNNING') {
      return changeDomain(db, domain.id, held, { leaseOwner: null, leaseUntil: null, nextCheckAt: new Date(at.getTime() + this.timing.bindPollMs), updatedAt: at }, []);
    }
    if (state.status === 'SUCCEEDED') {
      return changeDomain(db, domain.id, held, { status: 'CONFIGURED', configuredAt: at, leaseOwner: null, leaseUntil: null, nextCheckAt: null, updatedAt: at }, [
        { type: 'DOMAIN_CONFIGURED', message: customDomainConfiguredMessage(`https://${host}`), actor: SYSTEM, data: { hostname: host } },
      ]);
    }
    const error = state.error ?? 'The platform could not make the SSL binding.';
    return changeDomain(db, domain.id, held, { status: 'BIND_FAILED', lastError: error, leaseOwner: null, leaseUntil: null, nextCheckAt: null, updatedAt: at }, [
      { type: 'DOMAIN_BINDING_FAILED', message: `The SSL binding of ${host} failed: ${error}`, actor: SYSTEM, data: { hostname: host, error, alert: true, domainId: domain.id } },
    ]);
  }
}
