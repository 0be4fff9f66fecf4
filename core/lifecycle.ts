// The portal lifecycle as one transition table over the status and its two tracks (docs/architecture.md, "Lifecycle"):
//
//   AWAITING_TERMS ──consent──▶ CONFIGURING ──▶ PROVISIONED
//         ├─decline─▶ DECLINED        │   ▲
//         └─no answer in time─▶ EXPIRED
//                                     ▼   │ restart / change values and restart / retry install
//                             PROVISIONING_FAILED
//   resources: CREATING ─▶ CREATED | FAILED        package: PENDING ─▶ INSTALLING ─▶ INSTALLED | INSTALL_FAILED

import type { PackageStatus, PortalStatus, ResourceStatus } from '../vocabulary/statuses.ts';
import { ConflictError } from './errors.ts';
import { CONFIGURING_MESSAGE } from './messages.ts';

export interface LifecycleState {
  status: PortalStatus;
  resourceStatus: ResourceStatus | null;
  packageStatus: PackageStatus | null;
}

/** Things people ask for. */
export const PORTAL_ACTIONS = ['ACCEPT_TERMS', 'DECLINE_TERMS', 'RESTART_PROVISIONING', 'UPDATE_AND_RESTART', 'RETRY_PACKAGE_INSTALL', 'RENAME'] as const;
export type PortalAction = (typeof PORTAL_ACTIONS)[number];

/** Things the platform reports. */
export type PlatformOutcome = 'RESOURCES_CREATED' | 'RESOURCES_FAILED' | 'PACKAGE_INSTALL_STARTED' | 'PACKAGE_INSTALLED' | 'PACKAGE_INSTALL_FAILED';

export type LifecycleEvent = Exclude<PortalAction, 'ACCEPT_TERMS' | 'RENAME'> | 'GRANT_CONSENT' | 'EXPIRE_TERMS' | PlatformOutcome;

interface Transition {
  on: LifecycleEvent;
  from: Partial<LifecycleState>;
  to: Partial<LifecycleState>;
}

const START: Partial<LifecycleState> = { status: 'CONFIGURING', resourceStatus: 'CREATING', packageStatus: 'PENDING' };

export const TRANSITIONS: readonly Transition[] = [
  { on: 'GRANT_CONSENT', from: { status: 'AWAITING_TERMS' }, to: START },
  { on: 'DECLINE_TERMS', from: { status: 'AWAITING_TERMS' }, to: { status: 'DECLINED' } },
  { on: 'EXPIRE_TERMS', from: { status: 'AWAITING_TERMS' }, to: { status: 'EXPIRED' } },
  { on: 'RESOURCES_CREATED', from: { status: 'CONFIGURING', resourceStatus: 'CREATING' }, to: { resourceStatus: 'CREATED' } },
  {
    on: 'RESOURCES_FAILED',
    from: { status: 'CONFIGURING', resourceStatus: 'CREATING' },
    to: { status: 'PROVISIONING_FAILED', resourceStatus: 'FAILED' },
  },
  {
    on: 'PACKAGE_INSTALL_STARTED',
    from: { status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'PENDING' },
    to: { packageStatus: 'INSTALLING' },
  },
  {
    on: 'PACKAGE_INSTALLED',
    from: { status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'INSTALLING' },
    to: { status: 'PROVISIONED', packageStatus: 'INSTALLED' },
  },
  {
    on: 'PACKAGE_INSTALL_FAILED',
    from: { status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'INSTALLING' },
    to: { status: 'PROVISIONING_FAILED', packageStatus: 'INSTALL_FAILED' },
  },
  // Restart reuses the stored configuration and redoes the step that failed.
  { on: 'RESTART_PROVISIONING', from: { status: 'PROVISIONING_FAILED', resourceStatus: 'FAILED' }, to: START },
  {
    on: 'RESTART_PROVISIONING',
    from: { status: 'PROVISIONING_FAILED', resourceStatus: 'CREATED', packageStatus: 'INSTALL_FAILED' },
    to: { status: 'CONFIGURING', packageStatus: 'PENDING' },
  },
  {
    on: 'RETRY_PACKAGE_INSTALL',
    from: { status: 'PROVISIONING_FAILED', resourceStatus: 'CREATED', packageStatus: 'INSTALL_FAILED' },
    to: { status: 'CONFIGURING', packageStatus: 'PENDING' },
  },
  // New values may change the portal URL or the instance: everything is built again.
  { on: 'UPDATE_AND_RESTART', from: { status: 'PROVISIONING_FAILED' }, to: START },
];

function matches(state: LifecycleState, from: Partial<LifecycleState>): boolean {
  return (Object.keys(from) as Array<keyof LifecycleState>).every((key) => state[key] === from[key]);
}

/** Refused because of the portal's state; the message says why and what to do instead. */
export class InvalidTransitionError extends ConflictError {
  override name = 'InvalidTransitionError';
  constructor(message: string) {
    super(message, 'INVALID_TRANSITION');
  }
}

const VERBS: Record<LifecycleEvent, string> = {
  GRANT_CONSENT: 'start provisioning',
  DECLINE_TERMS: 'decline the terms of',
  EXPIRE_TERMS: 'expire the request of',
  RESTART_PROVISIONING: 'restart provisioning of',
  UPDATE_AND_RESTART: 'change the values of',
  RETRY_PACKAGE_INSTALL: 'retry the package installation of',
  RESOURCES_CREATED: 'record the portal URL of',
  RESOURCES_FAILED: 'record a failed portal URL for',
  PACKAGE_INSTALL_STARTED: 'start the package installation of',
  PACKAGE_INSTALLED: 'record the package installation of',
  PACKAGE_INSTALL_FAILED: 'record a failed package installation for',
};

function refusal(state: LifecycleState, event: LifecycleEvent): string {
  if (state.status === 'CONFIGURING') return CONFIGURING_MESSAGE;
  if (state.status === 'PROVISIONED')
    return `This portal is provisioned, so you cannot ${VERBS[event]} it. Its portal URL cannot change any more; add a custom domain to reach it under another name.`;
  if (state.status === 'DECLINED') return `The terms of service of this portal were declined, so you cannot ${VERBS[event]} it. Request a new portal.`;
  if (state.status === 'EXPIRED') return `Nobody answered the terms of service of this portal in time, so its request expired and you cannot ${VERBS[event]} it. Request a new portal.`;
  if (state.status === 'AWAITING_TERMS') return `This portal is waiting for its terms of service to be accepted, so you cannot ${VERBS[event]} it yet.`;
  if (event === 'RETRY_PACKAGE_INSTALL') return 'Only a failed package installation can be retried; this portal failed earlier, while creating its portal URL. Restart provisioning instead.';
  return `You cannot ${VERBS[event]} this portal now.`;
}

/** The state after `event`, or an InvalidTransitionError that says why not. */
export function transition(state: LifecycleState, event: LifecycleEvent): LifecycleState {
  const rule = TRANSITIONS.find((t) => t.on === event && matches(state, t.from));
  if (!rule) throw new InvalidTransitionError(refusal(state, event));
  return { status: state.status, resourceStatus: state.resourceStatus, packageStatus: state.packageStatus, ...rule.to };
}

export function canTransition(state: LifecycleState, event: LifecycleEvent): boolean {
  return TRANSITIONS.some((t) => t.on === event && matches(state, t.from));
}

/** What a person may ask of a portal in this state (buttons in Slack, hints in GraphQL). */
export function allowedActions(state: LifecycleState): PortalAction[] {
  const actions: PortalAction[] = [];
  if (state.status === 'AWAITING_TERMS') actions.push('ACCEPT_TERMS', 'DECLINE_TERMS');
  for (const action of ['RESTART_PROVISIONING', 'UPDATE_AND_RESTART', 'RETRY_PACKAGE_INSTALL'] as const) {
    if (canTransition(state, action)) actions.push(action);
  }
  if (state.status !== 'CONFIGURING' && state.status !== 'DECLINED' && state.status !== 'EXPIRED') actions.push('RENAME');
  return actions;
}
