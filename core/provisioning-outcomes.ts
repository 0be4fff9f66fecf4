// What the platform's answers mean for a configuring portal: which operation it waits on or needs
// next, and the write (the portal's new columns and the events they record) for an operation started,
// an operation finished (SUCCEEDED or FAILED), and a platform call that failed. Pure: the provisioning
// poller (jobs/provisioning-poller.ts) claims the portals, calls the platform and writes what these
// return, only while it still holds the portal's lease.
import type { NewEvent } from '../db/outbox.ts';
import type { PortalWrite } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import type { OperationKind, OperationRequest, OperationState } from '../platform/platform.ts';
import type { AddOn } from '../vocabulary/catalog.ts';
import { type PlatformOutcome, transition } from './lifecycle.ts';
import { PACKAGE_IN_PROGRESS_MESSAGE } from './messages.ts';
import { portalSpec } from './platform-spec.ts';
import { displayName } from './status.ts';

/** The actor of the events the platform's answers record. */
export const PROVISIONING_ACTOR = 'system:provisioning';

/** How the poller paces a portal's looks at the platform. */
export interface ProvisioningPace {
  /** Pause between two looks at a running operation. */
  pollDelayMs: number;
  /** First pause after a platform error; doubles with each error in a row, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Errors in a row after which an alert event is written. */
  alertAfter: number;
}

/** Who writes (the poller holding the lease), when, and at what pace. */
export interface OutcomeContext {
  owner: string;
  at: Date;
  pace: ProvisioningPace;
}

/** The platform operation a portal waits on, and its kind, if it waits on one. */
export function waitingOn(portal: PortalRow): { id: string; kind: OperationKind } | undefined {
  if (portal.resourceStatus === 'CREATING') return portal.resourcesOperationId ? { id: portal.resourcesOperationId, kind: 'CREATE_RESOURCES' } : undefined;
  if (portal.packageStatus === 'INSTALLING') return portal.packageOperationId ? { id: portal.packageOperationId, kind: 'INSTALL_PACKAGE' } : undefined;
  return undefined;
}

/** The platform operation a portal waits on, if any. */
export function operationOf(portal: PortalRow): string | undefined {
  return waitingOn(portal)?.id;
}

/** The platform operation a portal needs started next, if any: its URL, then its package. */
export function nextOperation(portal: PortalRow): OperationKind | undefined {
  if (portal.status !== 'CONFIGURING') return undefined;
  if (portal.resourceStatus === 'CREATING' && !portal.resourcesOperationId) return 'CREATE_RESOURCES';
  if (portal.resourceStatus === 'CREATED' && portal.packageStatus === 'PENDING') return 'INSTALL_PACKAGE';
  return undefined;
}

/** The request starting `kind` for a portal; its key makes a retry of the same attempt start nothing new. */
export function operationRequest(portal: PortalRow, kind: OperationKind, addOns: readonly AddOn[]): OperationRequest {
  return {
    kind,
    key: `portal:${portal.id}:${portal.attempt}:${kind}`,
    spec: portalSpec(portal, addOns),
  };
}

/** The state of the portal's operation as the platform answered; an operation it forgot has failed. */
export function operationStateOf(portal: PortalRow, states: ReadonlyMap<string, OperationState>): OperationState {
  return (
    states.get(operationOf(portal) as string) ?? {
      id: '',
      status: 'FAILED',
      error: 'The portal platform no longer knows this operation. Restart provisioning.',
    }
  );
}

/** The columns the portal must still have for a write of the poller holding it to apply. */
function held(portal: PortalRow, owner: string) {
  return {
    status: portal.status,
    resourceStatus: portal.resourceStatus,
    packageStatus: portal.packageStatus,
    attempt: portal.attempt,
    leaseOwner: owner,
  } as const;
}

/** After an alert about an unreachable platform, the first good answer says it is back. */
export function recoveryEvents(portal: PortalRow, pace: ProvisioningPace): NewEvent[] {
  if (portal.pollFailures < pace.alertAfter) return [];
  return [{ type: 'PLATFORM_REACHABLE', message: 'The portal platform answers again; provisioning goes on.', actor: PROVISIONING_ACTOR }];
}

/**
 * A good answer that the operation still runs, the first after an alert about an unreachable
 * platform: the failures are over, and the channel is told so. Nothing to write otherwise.
 */
export function stillRunningWrite(portal: PortalRow, ctx: OutcomeContext): PortalWrite | undefined {
  const events = recoveryEvents(portal, ctx.pace);
  if (events.length === 0) return undefined;
  return { id: portal.id, portal, expected: held(portal, ctx.owner), changes: { pollFailures: 0, updatedAt: ctx.at }, events };
}

/**
 * The write recording that the platform took `kind` for this portal as operation `operationId`. It
 * also lets go of the portal until its next look, as the end of the poller's round would: in the same
 * write, so a sweep does not write every row it starts something for twice.
 */
export function startedWrite(portal: PortalRow, kind: OperationKind, operationId: string, ctx: OutcomeContext): PortalWrite {
  const { at, owner, pace } = ctx;
  const recovered = recoveryEvents(portal, pace);
  const release = { leaseOwner: null, leaseUntil: null, nextPollAt: new Date(at.getTime() + pace.pollDelayMs), pollFailures: 0 };
  if (kind === 'CREATE_RESOURCES') {
    return {
      id: portal.id,
      portal,
      expected: held(portal, owner),
      changes: { resourcesOperationId: operationId, ...release, updatedAt: at },
      events: [...recovered, { type: 'RESOURCES_REQUESTED', message: `Creating the portal URL ${portal.subdomain}.`, actor: PROVISIONING_ACTOR, data: { operationId } }],
    };
  }
  const next = transition(portal, 'PACKAGE_INSTALL_STARTED');
  return {
    id: portal.id,
    portal,
    expected: held(portal, owner),
    changes: { ...next, packageOperationId: operationId, ...release, updatedAt: at },
    events: [...recovered, { type: 'PACKAGE_INSTALL_STARTED', message: 'Installing the portal package.', actor: PROVISIONING_ACTOR, data: { operationId, ...next } }],
  };
}

/** What a finished operation means: the portal's URL or its package, made or failed. */
export function outcomeOf(portal: PortalRow, state: OperationState): PlatformOutcome {
  const succeeded = state.status === 'SUCCEEDED';
  if (portal.resourceStatus === 'CREATING') return succeeded ? 'RESOURCES_CREATED' : 'RESOURCES_FAILED';
  return succeeded ? 'PACKAGE_INSTALLED' : 'PACKAGE_INSTALL_FAILED';
}

/** The event recording a finished operation. */
function outcomeEvent(portal: PortalRow, outcome: PlatformOutcome, error: string, snapshot: Record<string, unknown>): NewEvent {
  const failedName = displayName(portal.name, 'PROVISIONING_FAILED');
  switch (outcome) {
    case 'RESOURCES_CREATED':
      return { type: 'RESOURCES_CREATED', message: PACKAGE_IN_PROGRESS_MESSAGE, actor: PROVISIONING_ACTOR, data: snapshot };
    case 'RESOURCES_FAILED':
      return { type: 'PROVISIONING_FAILED', message: `${failedName}: ${error}`, actor: PROVISIONING_ACTOR, data: { ...snapshot, step: 'RESOURCES', error, alert: true } };
    case 'PACKAGE_INSTALLED':
      return {
        type: 'PORTAL_PROVISIONED',
        message: `${portal.name} is provisioned: the portal package is installed and the portal is live.`,
        actor: PROVISIONING_ACTOR,
        data: snapshot,
      };
    default:
      return { type: 'PACKAGE_INSTALL_FAILED', message: `${failedName}: ${error}`, actor: PROVISIONING_ACTOR, data: { ...snapshot, step: 'PACKAGE', error, alert: true } };
  }
}

/**
 * The write recording what the platform says a finished operation did. A portal that is provisioned
 * or failed is let go; one whose URL was just made stays held, so the same round starts its package.
 */
export function finishedWrite(portal: PortalRow, state: OperationState, ctx: OutcomeContext): PortalWrite {
  const { at, owner, pace } = ctx;
  const outcome = outcomeOf(portal, state);
  const next = transition(portal, outcome);
  const error = state.error ?? 'The platform reported a failure without a reason.';
  const failed = next.status === 'PROVISIONING_FAILED';
  const done = failed || next.status === 'PROVISIONED';
  return {
    id: portal.id,
    portal,
    expected: held(portal, owner),
    changes: {
      ...next,
      lastError: failed ? error : null,
      provisionedAt: next.status === 'PROVISIONED' ? at : portal.provisionedAt,
      pollFailures: 0,
      nextPollAt: at,
      leaseOwner: done ? null : owner,
      leaseUntil: done ? null : portal.leaseUntil,
      updatedAt: at,
    },
    events: [...recoveryEvents(portal, pace), outcomeEvent(portal, outcome, error, { ...next, attempt: portal.attempt })],
  };
}

/** The write recording a failed platform call: back off, and alert once after several in a row. */
export function callFailedWrite(portal: PortalRow, reason: string, ctx: OutcomeContext): PortalWrite {
  const { at, owner, pace } = ctx;
  const failures = portal.pollFailures + 1;
  const delay = Math.min(pace.maxBackoffMs, pace.backoffMs * 2 ** (failures - 1));
  const events: NewEvent[] =
    failures === pace.alertAfter
      ? [
          {
            type: 'PLATFORM_UNREACHABLE',
            message: `The portal platform has failed ${failures} times in a row (${reason}). Provisioning of ${portal.name} will keep retrying.`,
            actor: PROVISIONING_ACTOR,
            data: { failures, reason, alert: true },
          },
        ]
      : [];
  return {
    id: portal.id,
    portal,
    expected: { leaseOwner: owner, attempt: portal.attempt, status: portal.status },
    changes: { pollFailures: failures, nextPollAt: new Date(at.getTime() + delay), leaseOwner: null, leaseUntil: null, updatedAt: at },
    events,
  };
}
