// The provisioning poller: claims configuring portals with a lease, starts the platform operations
// they need, asks the platform how the running ones are doing, and applies what it reports. Every
// transition is written with its events in one transaction, and only while this poller still holds
// the portal's lease, so two processes never record the same step twice.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type PlatformOutcome, transition } from '../core/lifecycle.ts';
import { PACKAGE_IN_PROGRESS_MESSAGE } from '../core/messages.ts';
import { displayName } from '../core/status.ts';
import type { Db } from '../db/client.ts';
import type { NewEvent } from '../db/outbox.ts';
import { changePortals, claimDuePortals, listAddOnsOf, nextDueAt, type PortalWrite, releasePortals } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import type { OperationKind, OperationState, Platform, StartAnswer } from '../platform/platform.ts';
import { Sweeper, inRounds, withTimeout } from './sweeper.ts';

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

  /**
   * One pass over up to `batchSize` portals that are due, in rounds (see inRounds): one look
   * at their operations, one call starting what they need next (the platform takes `concurrency`
   * calls of it at once), and their changes written in few transactions, each on its own condition.
   */
  async sweep(): Promise<SweepReport> {
    const { db, timing } = this.deps;
    const report: SweepReport = { claimed: 0, started: 0, finished: 0, errors: 0 };
    report.claimed = await inRounds(
      timing.batchSize,
      timing.leaseMs,
      (limit, at, leaseUntil) => claimDuePortals(db, this.owner, at, leaseUntil, limit),
      (claimed) => this.sweepRound(claimed, report),
    );
    return report;
  }

  private async sweepRound(claimed: readonly PortalRow[], report: SweepReport): Promise<void> {
    const { db, timing } = this.deps;
    const current = new Map(claimed.map((p) => [p.id, p]));
    const settled = new Set<number>();
    const apply = async (batch: readonly PortalRow[], writes: readonly PortalWrite[]) => {
      const written = await changePortals(db, writes);
      batch.forEach((portal, i) => {
        const row = written[i];
        if (row) current.set(portal.id, row);
        else settled.add(portal.id);
      });
      return written;
    };

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
        this.deps.log.warn({ portals: watched.length, reason: reasonOf(error) }, 'platform call failed; will retry');
        await apply(
          watched,
          watched.map((portal) => this.failure(portal, reasonOf(error))),
        );
        for (const portal of watched) settled.add(portal.id);
      }
      if (states) {
        const byId = new Map(states.map((s) => [s.id, s]));
        const finished = watched
          .map((portal) => ({
            portal,
            state: byId.get(this.operationOf(portal) as string) ?? {
              id: '',
              status: 'FAILED' as const,
              error: 'The portal platform no longer knows this operation. Restart provisioning.',
            },
          }))
          .filter(({ state }) => state.status !== 'RUNNING');
        report.finished += finished.length;
        await apply(
          finished.map((f) => f.portal),
          finished.map(({ portal, state }) => this.outcome(portal, state)),
        );
      }
    }

    // 2. Start what needs starting, including the package of a portal whose URL was just created.
    const toStart = [...current.values()].filter((p) => !settled.has(p.id) && this.nextOperation(p) !== undefined);
    if (toStart.length > 0) {
      const addOns = await listAddOnsOf(db, toStart.map((p) => p.id));
      const requests = toStart.map((portal) => {
        const kind = this.nextOperation(portal) as OperationKind;
        return {
          kind,
          key: `portal:${portal.id}:${portal.attempt}:${kind}`,
          spec: { subdomain: portal.subdomain, instanceId: portal.instanceId, language: portal.language, portalType: portal.portalType, addOns: addOns.get(portal.id) ?? [] },
        };
      });
      let answers: StartAnswer[];
      try {
        // The platform takes `concurrency` calls at once; each wave of them gets the call timeout.
        const waves = Math.ceil(toStart.length / timing.concurrency);
        answers = await withTimeout(
          this.deps.platform.startOperations(requests, { concurrency: timing.concurrency }),
          timing.callTimeoutMs * waves,
          'Starting platform operations',
        );
      } catch (error) {
        answers = toStart.map(() => ({ error: reasonOf(error) }));
      }
      const ids = toStart.map((_, j) => startedId(answers[j]));
      const failed = ids.filter((id) => id === undefined).length;
      if (failed > 0) this.deps.log.warn({ portals: failed, reason: answerError(answers[ids.indexOf(undefined)]) }, 'platform call failed; will retry');
      const written = await apply(
        toStart,
        toStart.map((portal, j) => {
          const id = ids[j];
          return id === undefined ? this.failure(portal, answerError(answers[j])) : this.started(portal, requests[j]?.kind as OperationKind, id);
        }),
      );
      report.started += ids.filter((id, j) => id !== undefined && written[j]).length;
      report.errors += failed;
      toStart.forEach((portal, j) => ids[j] === undefined && settled.add(portal.id));
    }

    // 3. Let go of the rest until their next look.
    const held = [...current].filter(([id, p]) => !settled.has(id) && p.status === 'CONFIGURING' && p.leaseOwner === this.owner).map(([id]) => id);
    await releasePortals(db, held, this.owner, new Date(Date.now() + timing.pollDelayMs));
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

  /**
   * The write recording that the platform took `kind` for this portal as operation `operationId`. It
   * also lets go of the portal until its next look, as the end of the round would: in the same
   * write, so a sweep does not write every row it starts something for twice.
   */
  private started(portal: PortalRow, kind: OperationKind, operationId: string): PortalWrite {
    const at = new Date();
    const recovered = this.recoveryEvents(portal);
    const release = { leaseOwner: null, leaseUntil: null, nextPollAt: new Date(at.getTime() + this.deps.timing.pollDelayMs), pollFailures: 0 };
    if (kind === 'CREATE_RESOURCES') {
      return {
        id: portal.id,
        portal,
        expected: this.held(portal),
        changes: { resourcesOperationId: operationId, ...release, updatedAt: at },
        events: [...recovered, { type: 'RESOURCES_REQUESTED', message: `Creating the portal URL ${portal.subdomain}.`, actor: SYSTEM, data: { operationId } }],
      };
    }
    const next = transition(portal, 'PACKAGE_INSTALL_STARTED');
    return {
      id: portal.id,
      portal,
      expected: this.held(portal),
      changes: { ...next, packageOperationId: operationId, ...release, updatedAt: at },
      events: [...recovered, { type: 'PACKAGE_INSTALL_STARTED', message: 'Installing the portal package.', actor: SYSTEM, data: { operationId, ...next } }],
    };
  }

  /** The write recording what the platform says a finished operation did. */
  private outcome(portal: PortalRow, state: OperationState): PortalWrite {
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
    return {
      id: portal.id,
      portal,
      expected: this.held(portal),
      changes: {
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
    };
  }

  /** After an alert about an unreachable platform, the first good answer says it is back. */
  private recoveryEvents(portal: PortalRow): NewEvent[] {
    if (portal.pollFailures < this.deps.timing.alertAfter) return [];
    return [{ type: 'PLATFORM_REACHABLE', message: 'The portal platform answers again; provisioning goes on.', actor: SYSTEM }];
  }

  /** The write recording a failed platform call: back off, and alert once after several in a row. */
  private failure(portal: PortalRow, reason: string): PortalWrite {
    const { timing } = this.deps;
    const failures = portal.pollFailures + 1;
    const delay = Math.min(timing.maxBackoffMs, timing.backoffMs * 2 ** (failures - 1));
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
    return {
      id: portal.id,
      portal,
      expected: { leaseOwner: this.owner, attempt: portal.attempt, status: portal.status },
      changes: { pollFailures: failures, nextPollAt: new Date(Date.now() + delay), leaseOwner: null, leaseUntil: null, updatedAt: new Date() },
      events,
    };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function startedId(answer: StartAnswer | undefined): string | undefined {
  return answer && 'id' in answer ? answer.id : undefined;
}

function answerError(answer: StartAnswer | undefined): string {
  return answer && 'error' in answer ? answer.error : 'The portal platform gave no answer.';
}
