// The provisioning poller: claims configuring portals with a lease, starts the platform operations
// they need, asks the platform how the running ones are doing, and writes what core makes of the
// answers (core/provisioning-outcomes.ts). Every transition is written with its events in one
// transaction, and only while this poller still holds the portal's lease, so two processes never
// record the same step twice.
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import {
  callFailedWrite,
  finishedWrite,
  nextOperation,
  type OutcomeContext,
  operationOf,
  operationRequest,
  operationStateOf,
  type ProvisioningPace,
  startedWrite,
  stillRunningWrite,
  waitingOn,
} from '../core/provisioning-outcomes.ts';
import type { Db } from '../db/client.ts';
import { changePortals, claimDuePortals, listAddOnsOf, nextDueAt, type PortalWrite, releasePortals } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import type { OperationKind, OperationRequest, OperationState, Platform, StartAnswer } from '../platform/platform.ts';
import { type JobObserver, platformFailureKind } from './observer.ts';
import { inRounds, Sweeper, withTimeout } from './sweeper.ts';

export interface PollerTiming extends ProvisioningPace {
  /** How long a claim holds; a poller that dies lets go after this. */
  leaseMs: number;
  /** A platform call that takes longer than this counts as an error. */
  callTimeoutMs: number;
  /** Portals claimed per sweep. */
  batchSize: number;
  /** Platform calls in flight at once. */
  concurrency: number;
}

export const STANDARD_TIMING: PollerTiming = {
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
  ...STANDARD_TIMING,
  pollDelayMs: 100,
  backoffMs: 50,
  maxBackoffMs: 1_000,
  alertAfter: 3,
  callTimeoutMs: 2_000,
};

export interface SweepReport {
  claimed: number;
  started: number;
  finished: number;
  errors: number;
}

/** A round's portals as the round goes: their latest rows, and those it is done with. */
class Round {
  readonly current: Map<number, PortalRow>;
  readonly settled = new Set<number>();

  constructor(
    claimed: readonly PortalRow[],
    readonly report: SweepReport,
  ) {
    this.current = new Map(claimed.map((p) => [p.id, p]));
  }

  /** Keeps the rows written; a portal whose write no longer applied is done with. */
  written(batch: readonly PortalRow[], rows: ReadonlyArray<PortalRow | undefined>): void {
    batch.forEach((portal, i) => {
      const row = rows[i];
      if (row) this.current.set(portal.id, row);
      else this.settled.add(portal.id);
    });
  }
}

export class ProvisioningPoller extends Sweeper<SweepReport> {
  constructor(private readonly deps: { db: Db; platform: Platform; log: Logger; timing: PollerTiming; now?: Clock; observer?: JobObserver }) {
    super({ log: deps.log, name: 'provisioning-poller', job: 'provisioning', now: deps.now, observer: deps.observer });
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
      (limit, at, leaseUntil) => this.counted(claimDuePortals(db, this.owner, at, leaseUntil, limit)),
      (claimed) => this.sweepRound(new Round(claimed, report)),
      this.now,
    );
    return report;
  }

  private async sweepRound(round: Round): Promise<void> {
    await this.lookAtOperations(round);
    await this.startOperations(round);
    await this.release(round);
  }

  /** Who writes and when, for core's answers. */
  private context(): OutcomeContext {
    return { owner: this.owner, at: this.now(), pace: this.deps.timing };
  }

  private async write(round: Round, batch: readonly PortalRow[], writes: readonly PortalWrite[]) {
    const rows = await changePortals(this.deps.db, writes);
    this.countLost(rows);
    round.written(batch, rows);
    return rows;
  }

  /** 1. Looks at the operations in flight and writes those that finished. */
  private async lookAtOperations(round: Round): Promise<void> {
    const watched = [...round.current.values()].filter((p) => operationOf(p) !== undefined);
    if (watched.length === 0) return;
    let states: OperationState[];
    try {
      states = await withTimeout(this.deps.platform.getOperations(watched.map((p) => operationOf(p) as string)), this.deps.timing.callTimeoutMs, 'Asking the platform for operation states');
    } catch (error) {
      this.observer.platformCallFailed(platformFailureKind(error));
      await this.callFailed(round, watched, reasonOf(error));
      return;
    }
    const byId = new Map(states.map((s) => [s.id, s]));
    const looked = watched.map((portal) => ({ portal, state: operationStateOf(portal, byId) }));
    const finished = looked.filter(({ state }) => state.status !== 'RUNNING');
    round.report.finished += finished.length;
    const ctx = this.context();
    const written = await this.write(
      round,
      finished.map((f) => f.portal),
      finished.map(({ portal, state }) => finishedWrite(portal, state, ctx)),
    );
    this.countFinished(finished, written);
    const back = looked.flatMap(({ portal, state }) => (state.status === 'RUNNING' ? [{ portal, write: stillRunningWrite(portal, ctx) }] : [])).filter((b) => b.write !== undefined);
    await this.write(
      round,
      back.map((b) => b.portal),
      back.map((b) => b.write as PortalWrite),
    );
  }

  /** Tells the observer of each finished operation whose outcome was written. */
  private countFinished(finished: ReadonlyArray<{ portal: PortalRow; state: OperationState }>, written: ReadonlyArray<PortalRow | undefined>): void {
    finished.forEach(({ portal, state }, i) => {
      const kind = waitingOn(portal)?.kind;
      if (kind && written[i]) this.observer.operationFinished(kind, state.status === 'SUCCEEDED' ? 'succeeded' : 'failed');
    });
  }

  /** The platform could not be asked: each portal backs off, and is done with for this round. */
  private async callFailed(round: Round, portals: readonly PortalRow[], reason: string): Promise<void> {
    round.report.errors += portals.length;
    this.deps.log.warn({ portals: portals.length, reason }, 'platform call failed; will retry');
    const ctx = this.context();
    await this.write(
      round,
      portals,
      portals.map((portal) => callFailedWrite(portal, reason, ctx)),
    );
    for (const portal of portals) round.settled.add(portal.id);
  }

  /** 2. Starts what needs starting, including the package of a portal whose URL was just created. */
  private async startOperations(round: Round): Promise<void> {
    const toStart = [...round.current.values()].filter((p) => !round.settled.has(p.id) && nextOperation(p) !== undefined);
    if (toStart.length === 0) return;
    const addOns = await listAddOnsOf(
      this.deps.db,
      toStart.map((p) => p.id),
    );
    const requests = toStart.map((portal) => operationRequest(portal, nextOperation(portal) as OperationKind, addOns.get(portal.id) ?? []));
    const answers = await this.askToStart(requests);
    const ids = toStart.map((_, j) => startedId(answers[j]));
    const failed = ids.filter((id) => id === undefined).length;
    if (failed > 0) this.deps.log.warn({ portals: failed, reason: answerError(answers[ids.indexOf(undefined)]) }, 'platform call failed; will retry');
    const ctx = this.context();
    const written = await this.write(
      round,
      toStart,
      toStart.map((portal, j) => {
        const id = ids[j];
        return id === undefined ? callFailedWrite(portal, answerError(answers[j]), ctx) : startedWrite(portal, requests[j]?.kind as OperationKind, id, ctx);
      }),
    );
    for (const [j, request] of requests.entries()) if (ids[j] !== undefined && written[j]) this.observer.operationStarted(request.kind);
    round.report.started += ids.filter((id, j) => id !== undefined && written[j]).length;
    round.report.errors += failed;
    for (const [j, portal] of toStart.entries()) {
      if (ids[j] === undefined) round.settled.add(portal.id);
    }
  }

  /** One answer per request: the operation started, or why not. */
  private async askToStart(requests: readonly OperationRequest[]): Promise<StartAnswer[]> {
    const { platform, timing } = this.deps;
    try {
      // The platform takes `concurrency` calls at once; each wave of them gets the call timeout.
      const waves = Math.ceil(requests.length / timing.concurrency);
      const answers = await withTimeout(platform.startOperations(requests, { concurrency: timing.concurrency }), timing.callTimeoutMs * waves, 'Starting platform operations');
      for (const answer of answers) if ('error' in answer) this.observer.platformCallFailed('request_error');
      return answers;
    } catch (error) {
      this.observer.platformCallFailed(platformFailureKind(error));
      return requests.map(() => ({ error: reasonOf(error) }));
    }
  }

  /** 3. Lets go of the rest until their next look. */
  private async release(round: Round): Promise<void> {
    const held = [...round.current].filter(([id, p]) => !round.settled.has(id) && p.status === 'CONFIGURING' && p.leaseOwner === this.owner).map(([id]) => id);
    await releasePortals(this.deps.db, held, this.owner, new Date(this.now().getTime() + this.deps.timing.pollDelayMs));
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
