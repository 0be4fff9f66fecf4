// What people do to a portal's lifecycle: accept or decline the terms, consent, restart, change
// values and restart, retry the package installation. Each is one conditional write with its events,
// so a double click, a retried request or ten concurrent calls change the portal once.
import type { NewEvent } from '../db/outbox.ts';
import { changePortal, findPortal, listAddOns } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import type { DirectoryUser } from '../platform/platform.ts';
import type { AddOn } from '../vocabulary/catalog.ts';
import { type Actor, actorLabel } from './actor.ts';
import { clockOf } from './clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, Problems } from './errors.ts';
import { type LifecycleEvent, type LifecycleState, transition } from './lifecycle.ts';
import { CONFIGURING_MESSAGE } from './messages.ts';
import { type CoreDeps, type PortalSettingsInput, requirePortalManager, requireScope, requireUser, validatePortalSettings } from './portals.ts';
import { displayName } from './status.ts';
import { currentTerms } from './terms.ts';

export interface LifecycleDeps extends CoreDeps {
  /** Told when a portal has work for the poller, so it need not wait for its next tick. */
  wake?: (() => void) | undefined;
}

function stateOf(portal: PortalRow): LifecycleState {
  return { status: portal.status, resourceStatus: portal.resourceStatus, packageStatus: portal.packageStatus };
}

async function loadPortal(deps: CoreDeps, portalId: number): Promise<PortalRow> {
  const portal = await findPortal(deps.db, portalId);
  if (!portal) throw new NotFoundError('No portal has this id.');
  return portal;
}

/** Only the person who requested a portal answers its terms of service. */
async function requireRequester(deps: CoreDeps, actor: Actor, portal: PortalRow, what: string): Promise<DirectoryUser> {
  requireScope(actor, 'write');
  const user = requireUser(actor, 'Answering the terms of service');
  if (portal.requestedBy !== user.id) {
    const [requester] = await deps.platform.getUsers([portal.requestedBy]);
    throw new ForbiddenError(`Only ${requester?.email ?? 'the person who requested this portal'} can ${what} for this portal.`, 'NOT_REQUESTER');
  }
  return user;
}

function event(actor: Actor | string, type: string, message: string, data: Record<string, unknown> = {}): NewEvent {
  return { type, message, actor: typeof actor === 'string' ? actor : actorLabel(actor), data };
}

/** Records that the requester accepted this version of the terms; with `consent`, also consents. */
export async function acceptPortalTerms(deps: LifecycleDeps, actor: Actor, portalId: number, termsVersion: string, options: { consent?: boolean } = {}): Promise<PortalRow> {
  const portal = await loadPortal(deps, portalId);
  const user = await requireRequester(deps, actor, portal, 'accept the terms of service');
  const terms = currentTerms();
  if (termsVersion !== terms.version) {
    const problems = new Problems();
    problems.add('termsVersion', `The terms of service are now version ${terms.version}; read that version and accept it.`, 'TERMS_VERSION_STALE');
    problems.throwIfAny();
  }
  let accepted = portal;
  if (portal.termsAcceptedAt === null) {
    if (portal.status !== 'AWAITING_TERMS') throw new ConflictError(`The terms of this portal can no longer be accepted: it is ${portal.status.toLowerCase()}.`, 'TERMS_NOT_AWAITED');
    const at = clockOf(deps)();
    accepted =
      (await changePortal(
        deps.db,
        portal.id,
        { status: 'AWAITING_TERMS', termsAcceptedAt: null },
        { termsVersion: terms.version, termsAcceptedAt: at, termsAcceptedBy: user.id, updatedAt: at },
        [event(actor, 'TERMS_ACCEPTED', `${user.displayName} accepted the terms of service (version ${terms.version}).`, { termsVersion: terms.version })],
      )) ?? (await loadPortal(deps, portal.id));
  }
  return options.consent ? grantPortalConsent(deps, actor, accepted.id) : accepted;
}

/** The requester's consent, after the terms: provisioning starts and the portal is Name-Configuring. */
export async function grantPortalConsent(deps: LifecycleDeps, actor: Actor, portalId: number): Promise<PortalRow> {
  const portal = await loadPortal(deps, portalId);
  const user = await requireRequester(deps, actor, portal, 'consent');
  // Consent already given (a double click, a retry): the portal is on its way; say so, change nothing.
  if (portal.consentGrantedAt !== null) return portal;
  if (portal.termsAcceptedAt === null) throw new ConflictError('Accept the terms of service first, then consent.', 'TERMS_NOT_ACCEPTED');
  const next = transition(stateOf(portal), 'GRANT_CONSENT');
  const at = clockOf(deps)();
  const changed = await changePortal(
    deps.db,
    portal.id,
    { status: 'AWAITING_TERMS', attempt: portal.attempt },
    { ...next, consentGrantedAt: at, attempt: portal.attempt + 1, lastError: null, nextPollAt: at, pollFailures: 0, updatedAt: at },
    [
      event(actor, 'CONSENT_GRANTED', `${user.displayName} consented to sign-in for the portal.`),
      event(actor, 'PROVISIONING_STARTED', `Provisioning started: the portal is now ${displayName(portal.name, 'CONFIGURING')}.`, {
        attempt: portal.attempt + 1,
        ...next,
      }),
    ],
  );
  if (changed) deps.wake?.();
  return changed ?? loadPortal(deps, portal.id);
}

/** The requester declines: the portal is not provisioned and its license seat is free again. */
export async function declinePortalTerms(deps: LifecycleDeps, actor: Actor, portalId: number): Promise<PortalRow> {
  const portal = await loadPortal(deps, portalId);
  const user = await requireRequester(deps, actor, portal, 'decline the terms of service');
  if (portal.status === 'DECLINED') return portal;
  const next = transition(stateOf(portal), 'DECLINE_TERMS');
  const at = clockOf(deps)();
  const changed = await changePortal(deps.db, portal.id, { status: 'AWAITING_TERMS' }, { ...next, updatedAt: at }, [
    event(actor, 'TERMS_DECLINED', `${user.displayName} declined the terms of service; the portal license is free again.`),
  ]);
  if (!changed) throw new ConflictError(CONFIGURING_MESSAGE, 'PORTAL_CONFIGURING');
  return changed;
}

/** Moves a failed portal back to configuring for `action`, with the changes given. */
async function restart(
  deps: LifecycleDeps,
  actor: Actor,
  portal: PortalRow,
  action: Extract<LifecycleEvent, 'RESTART_PROVISIONING' | 'RETRY_PACKAGE_INSTALL' | 'UPDATE_AND_RESTART'>,
  extra: { changes?: Partial<PortalRow>; addOns?: readonly AddOn[]; events?: NewEvent[] } = {},
): Promise<PortalRow> {
  const next = transition(stateOf(portal), action);
  const at = clockOf(deps)();
  const redoResources = next.resourceStatus === 'CREATING';
  const attempt = portal.attempt + 1;
  const label = {
    RESTART_PROVISIONING: 'Provisioning restarted with the same configuration',
    RETRY_PACKAGE_INSTALL: 'The package installation is being retried',
    UPDATE_AND_RESTART: 'Provisioning restarted with the new values',
  }[action];
  const changed = await changePortal(
    deps.db,
    portal.id,
    { status: portal.status, attempt: portal.attempt },
    {
      ...extra.changes,
      ...next,
      attempt,
      packageOperationId: null,
      ...(redoResources ? { resourcesOperationId: null } : {}),
      lastError: null,
      nextPollAt: at,
      pollFailures: 0,
      updatedAt: at,
    },
    [
      ...(extra.events ?? []),
      event(
        actor,
        action === 'RETRY_PACKAGE_INSTALL' ? 'PACKAGE_INSTALL_RETRIED' : 'PROVISIONING_RESTARTED',
        `${label}: the portal is now ${displayName(extra.changes?.name ?? portal.name, 'CONFIGURING')}.`,
        {
          attempt,
          ...next,
        },
      ),
    ],
    extra.addOns,
  );
  // Someone else restarted it in the meantime: it is configuring now.
  if (!changed) throw new ConflictError(CONFIGURING_MESSAGE, 'PORTAL_CONFIGURING');
  deps.wake?.();
  return changed;
}

/** Restart Provisioning: the stored configuration, the step that failed done again. */
export async function restartProvisioning(deps: LifecycleDeps, actor: Actor, portalId: number): Promise<PortalRow> {
  requirePortalManager(actor);
  return restart(deps, actor, await loadPortal(deps, portalId), 'RESTART_PROVISIONING');
}

/** Retries a failed package installation (the seed's retry from the solution page). */
export async function retryPackageInstall(deps: LifecycleDeps, actor: Actor, portalId: number): Promise<PortalRow> {
  requirePortalManager(actor);
  return restart(deps, actor, await loadPortal(deps, portalId), 'RETRY_PACKAGE_INSTALL');
}

/** Change Values and Restart Provisioning: the new values pass the same checks as a new request. */
export async function updatePortalAndRestart(
  deps: LifecycleDeps,
  actor: Actor,
  portalId: number,
  changes: { [K in keyof PortalSettingsInput]?: PortalSettingsInput[K] | null },
): Promise<PortalRow> {
  requirePortalManager(actor);
  const user = requireUser(actor, 'Changing the values of a portal');
  const portal = await loadPortal(deps, portalId);
  // Check the state first: a configuring or provisioned portal refuses before its values are looked at.
  transition(stateOf(portal), 'UPDATE_AND_RESTART');
  const current: PortalSettingsInput = {
    name: portal.name,
    subdomain: portal.subdomain,
    instanceId: portal.instanceId,
    language: portal.language,
    administratorId: portal.administratorId,
    audience: portal.audience,
    portalType: portal.portalType,
    addOns: await listAddOns(deps.db, portal.id),
  };
  const merged = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined && v !== null)) };
  const { settings } = await validatePortalSettings(deps, user, merged, new Problems(), { portalId: portal.id });
  const changed = Object.fromEntries(
    (Object.keys(settings) as Array<keyof typeof settings>)
      .filter((key) => JSON.stringify(settings[key]) !== JSON.stringify(current[key]))
      .map((key) => [key, { from: current[key], to: settings[key] }]),
  );
  const { addOns, ...columns } = settings;
  return restart(deps, actor, portal, 'UPDATE_AND_RESTART', {
    changes: columns,
    addOns,
    events: [event(actor, 'PORTAL_UPDATED', `${user.displayName} changed ${Object.keys(changed).join(', ') || 'no values'}.`, { changed })],
  });
}
