// The provisioning poller: claims configuring portals with a lease, starts the platform operations
// they need, asks the platform how the running ones are doing, and applies what it reports. Every
// transition is written with its events in one transaction, and only while this poller still holds
// the portal's lease, so two processes never record the same step twice.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AddOn } from '../core/catalog.ts';
import { type PlatformOutcome, transition } from '../core/lifecycle.ts';
import { PACKAGE_IN_PROGRESS_MESSAGE } from '../core/messages.ts';
import { displayName } from '../core/status.ts';
import type { Db } from '../db/client.ts';
import { changePortal, claimDuePortals, listAddOns, type NewEvent, nextDueAt, releasePortals } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import type { OperationKind, OperationState, Platform } from '../platform/platform.ts';
import { Sweeper, eachLimited, withTimeout } from './sweeper.ts';

export interface PollerTiming {
  /** How long a claim holds; a poller that dies lets go after this. */
  leaseMs: number;
  /** Pause between two looks at a running operation. */
  pollDelayMs: number;
  /** First pause after a platform error; doubles with each error in a row, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Errors in a row after which an alert event is written. */
  alertAfter: number;
  /** A platform call that takes longer than this counts as an error. */
  callTimeoutMs: number;
  /** Portals claimed per sweep. */
  batchSize: number;
  /** Platform calls in flight at once. */
  concurrency: number;
}

export const DEMO_TIMING: PollerTiming = {
  leaseMs: 60_000,
  pollDelayMs: 5_000,
  backoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  alertAfter: 5,
  callTimeoutMs: 10_000,
  batchSize: 1_000,
  concurrency: 16,
};

export const FAST_TIMING: PollerTiming = {
  ...DEMO_TIMING,
  pollDelayMs: 100,
  backoffMs: 50,
  maxBackoffMs: 1_000,
  alertAfter: 3,
  callTimeoutMs: 2_000,
};

const SYSTEM = 'system:provisioning';

export interface SweepReport {
  claimed: number;
  started: number;
  finished: number;
  errors: number;
}

export class ProvisioningPoller extends Sweeper<SweepReport> {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly deps: { db: Db; platform: Platform; log: Logger; timing: PollerTiming }) {
    super(deps.log, 'provisioning-poller');
  }

  protected nextDueAt(): Promise<Date | undefined> {
    return nextDueAt(this.deps.db);
  }

  /** One pass over the portals that are due. */
  async sweep(): Promise<SweepReport> {
    const { db, timing } = this.deps;
    const at = new Date();
    const claimed = await claimDuePortals(db, this.owner, at, new Date(at.getTime() + timing.leaseMs), timing.batchSize);
    const report: SweepReport = { claimed: claimed.length, started: 0, finished: 0, errors: 0 };
    if (claimed.length === 0) return report;

    let current = new Map(claimed.map((p) => [p.id, p]));
    const settled = new Set<number>();

    // 1. Look at the operations in flight.
    const watched = claimed.filter((p) => this.operationOf(p) !== undefined);
    if (watched.length > 0) {
      let states: OperationState[] | undefined;
      try {
        states = await withTimeout(
          this.deps.platform.getOperations(watched.map((p) => this.operationOf(p) as string)),
          timing.callTimeoutMs,
          'Asking the platform for operation states',
        );
      } catch (error) {
        report.errors += watched.length;
        for (const portal of watched) {
          await this.recordFailure(portal, error);
          settled.add(portal.id);
        }
      }
      if (states) {
        const byId = new Map(states.map((s) => [s.id, s]));
        for (const portal of watched) {
          const state = byId.get(this.operationOf(portal) as string) ?? {
            id: '',
            status: 'FAILED' as const,
            error: 'The portal platform no longer knows this operation. Restart provisioning.',
          };
          if (state.status === 'RUNNING') continue;
          const updated = await this.applyOutcome(portal, state);
          report.finished += 1;
          if (updated) current.set(portal.id, updated);
          else settled.add(portal.id);
        }
      }
    }

    // 2. Start what needs starting, including the package of a portal whose URL was just created.
    const toStart = [...current.values()].filter((p) => !settled.has(p.id) && this.nextOperation(p) !== undefined);
    await eachLimited(toStart, timing.concurrency, async (portal) => {
      const updated = await this.startNext(portal);
      if (updated) {
        report.started += 1;
        current.set(portal.id, updated);
      } else {
        report.errors += 1;
        settled.add(portal.id);
      }
    });

    // 3. Let go of the rest until their next look.
    current = new Map([...current].filter(([id, p]) => !settled.has(id) && p.status === 'CONFIGURING' && p.leaseOwner === this.owner));
    const nextPollAt = new Date(Date.now() + timing.pollDelayMs);
    await releasePortals(db, [...current.keys()], this.owner, nextPollAt);
    return report;
  }

  private operationOf(portal: PortalRow): string | undefined {
    if (portal.resourceStatus === 'CREATING') return portal.resourcesOperationId ?? undefined;
    if (portal.packageStatus === 'INSTALLING') return portal.packageOperationId ?? undefined;
    return undefined;
  }

  private nextOperation(portal: PortalRow): OperationKind | undefined {
    if (portal.status !== 'CONFIGURING') return undefined;
    if (portal.resourceStatus === 'CREATING' && !portal.resourcesOperationId) return 'CREATE_RESOURCES';
    if (portal.resourceStatus === 'CREATED' && portal.packageStatus === 'PENDING') return 'INSTALL_PACKAGE';
    return undefined;
  }

  private held(portal: PortalRow) {
    return {
      status: portal.status,
      resourceStatus: portal.resourceStatus,
      packageStatus: portal.packageStatus,
      attempt: portal.attempt,
      leaseOwner: this.owner,
    } as const;
  }

  private async startNext(portal: PortalRow): Promise<PortalRow | undefined> {
    const kind = this.nextOperation(portal) as OperationKind;
    const key = `portal:${portal.id}:${portal.attempt}:${kind}`;
    let operation: { id: string };
    try {
      const addOns = await listAddOns(this.deps.db, portal.id);
      operation = await withTimeout(
        this.deps.platform.startOperation(kind, key, {
          subdomain: portal.subdomain,
          instanceId: portal.instanceId,
          language: portal.language,
          portalType: portal.portalType,
          addOns: addOns as AddOn[],
        }),
        this.deps.timing.callTimeoutMs,
        'Starting a platform operation',
      );
    } catch (error) {
      await this.recordFailure(portal, error);
      return undefined;
    }
    const at = new Date();
    const recovered = this.recoveryEvents(portal);
    if (kind === 'CREATE_RESOURCES') {
      return changePortal(this.deps.db, portal.id, this.held(portal), { resourcesOperationId: operation.id, pollFailures: 0, updatedAt: at }, [
        ...recovered,
        { type: 'RESOURCES_REQUESTED', message: `Creating the portal URL ${portal.subdomain}.`, actor: SYSTEM, data: { operationId: operation.id } },
      ]);
    }
    const next = transition(portal, 'PACKAGE_INSTALL_STARTED');
    return changePortal(
      this.deps.db,
      portal.id,
      this.held(portal),
      { ...next, packageOperationId: operation.id, pollFailures: 0, updatedAt: at },
      [...recovered, { type: 'PACKAGE_INSTALL_STARTED', message: 'Installing the portal package.', actor: SYSTEM, data: { operationId: operation.id, ...next } }],
    );
  }

  private async applyOutcome(portal: PortalRow, state: OperationState): Promise<PortalRow | undefined> {
    const resources = portal.resourceStatus === 'CREATING';
    const outcome: PlatformOutcome = resources
      ? state.status === 'SUCCEEDED'
        ? 'RESOURCES_CREATED'
        : 'RESOURCES_FAILED'
      : state.status === 'SUCCEEDED'
        ? 'PACKAGE_INSTALLED'
        : 'PACKAGE_INSTALL_FAILED';
    const next = transition(portal, outcome);
    const at = new Date();
    const error = state.error ?? 'The platform reported a failure without a reason.';
    const snapshot = { ...next, attempt: portal.attempt };
    const events: NewEvent[] = this.recoveryEvents(portal);
    switch (outcome) {
      case 'RESOURCES_CREATED':
        events.push({ type: 'RESOURCES_CREATED', message: PACKAGE_IN_PROGRESS_MESSAGE, actor: SYSTEM, data: snapshot });
        break;
      case 'RESOURCES_FAILED':
        events.push({
          type: 'PROVISIONING_FAILED',
          message: `${displayName(portal.name, 'PROVISIONING_FAILED')}: ${error}`,
          actor: SYSTEM,
          data: { ...snapshot, step: 'RESOURCES', error, alert: true },
        });
        break;
      case 'PACKAGE_INSTALLED':
        events.push({
          type: 'PORTAL_PROVISIONED',
          message: `${portal.name} is provisioned: the portal package is installed and the portal is live.`,
          actor: SYSTEM,
          data: snapshot,
        });
        break;
      case 'PACKAGE_INSTALL_FAILED':
        events.push({
          type: 'PACKAGE_INSTALL_FAILED',
          message: `${displayName(portal.name, 'PROVISIONING_FAILED')}: ${error}`,
          actor: SYSTEM,
          data: { ...snapshot, step: 'PACKAGE', error, alert: true },
        });
        break;
    }
    const failed = next.status === 'PROVISIONING_FAILED';
    return changePortal(
      this.deps.db,
      portal.id,
      this.held(portal),
      {
        ...next,
        lastError: failed ? error : null,
        provisionedAt: next.status === 'PROVISIONED' ? at : portal.provisionedAt,
        pollFailures: 0,
        nextPollAt: at,
        leaseOwner: failed || next.status === 'PROVISIONED' ? null : this.owner,
        leaseUntil: failed || next.status === 'PROVISIONED' ? null : portal.leaseUntil,
        updatedAt: at,
      },
      events,
    );
  }

  /** After an alert about an unreachable platform, the first good answer says it is back. */
  private recoveryEvents(portal: PortalRow): NewEvent[] {
    if (portal.pollFailures < this.deps.timing.alertAfter) return [];
    return [{ type: 'PLATFORM_REACHABLE', message: 'The portal platform answers again; provisioning goes on.', actor: SYSTEM }];
  }

  private async recordFailure(portal: PortalRow, error: unknown): Promise<void> {
    const { timing, log } = this.deps;
    const failures = portal.pollFailures + 1;
    const delay = Math.min(timing.maxBackoffMs, timing.backoffMs * 2 ** (failures - 1));
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ portalId: portal.id, failures, delayMs: delay, reason }, 'platform call failed; will retry');
    const events: NewEvent[] =
      failures === timing.alertAfter
        ? [
            {
              type: 'PLATFORM_UNREACHABLE',
              message: `The portal platform has failed ${failures} times in a row (${reason}). Provisioning of ${portal.name} will keep retrying.`,
              actor: SYSTEM,
              data: { failures, reason, alert: true },
            },
          ]
        : [];
    await changePortal(
      this.deps.db,
      portal.id,
      { leaseOwner: this.owner, attempt: portal.attempt, status: portal.status },
      { pollFailures: failures, nextPollAt: new Date(Date.now() + delay), leaseOwner: null, leaseUntil: null, updatedAt: new Date() },
      events,
    );
  }
}
