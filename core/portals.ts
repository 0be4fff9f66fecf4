// Requesting and renaming portals: every rule of docs/architecture.md ("The rules") that decides whether a portal's
// general settings are acceptable, checked here once for GraphQL and Slack alike.
import type { Db } from '../db/client.ts';
import { changePortal, countHeldLicenses, findPortal, findPortalBySubdomain, insertPortal } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import { type DirectoryUser, type Instance, type Platform, PlatformUnavailableError, portalOwner, type SubdomainAvailability } from '../platform/platform.ts';
import {
  ADD_ON_DEFINITIONS,
  ADD_ONS,
  ADD_ONS_BY_PORTAL_TYPE,
  type AddOn,
  AUDIENCE_NAMES,
  AUDIENCES,
  type Audience,
  PORTAL_TYPE_NAMES,
  PORTAL_TYPES,
  type PortalType,
  portalTypesFor,
} from '../vocabulary/catalog.ts';
import { findLanguage, isPortalLanguage } from '../vocabulary/languages.ts';
import { type Actor, actorLabel, hasScope } from './actor.ts';
import { clockOf } from './clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, Problems } from './errors.ts';
import { CONFIGURING_MESSAGE } from './messages.ts';
import { checkNameText, listCharacters } from './names.ts';

export interface CoreDeps {
  db: Db;
  platform: Platform;
  now?: () => Date;
}

export const NAME_MAX_LENGTH = 100;
export const SUBDOMAIN_MAX_LENGTH = 63;

export interface PortalSettingsInput {
  name: string;
  subdomain: string;
  instanceId: string;
  language: string;
  administratorId: string;
  audience: string;
  portalType: string;
  addOns?: readonly string[] | null;
}

export interface PortalRequestInput extends PortalSettingsInput {
  /** Slack channel ID that follows the portal's progress. */
  notifyChannel?: string | null;
}

export interface PortalSettings {
  name: string;
  subdomain: string;
  instanceId: string;
  language: string;
  administratorId: string;
  audience: Audience;
  portalType: PortalType;
  addOns: AddOn[];
}

/** A portal name as it is stored (trimmed, NFC), and every problem with it. */
export function checkName(raw: string): { value: string; problems: string[] } {
  if (raw.trim().length === 0) return { value: '', problems: ['Enter a name for the portal.'] };
  return checkNameText(raw, 'name', NAME_MAX_LENGTH);
}

/**
 * A portal URL's subdomain is one DNS label: letters, digits and hyphens, 1 to 63 characters, no
 * hyphen at either end. It is stored lower-case. Every problem is reported at once, so "-Bad_" is
 * told about its hyphen and its underscore in one answer.
 */
export function checkSubdomain(raw: string): { value: string; problems: string[] } {
  const value = raw.trim().toLowerCase();
  if (value.length === 0) return { value, problems: ['Enter a subdomain for the portal URL.'] };
  const problems: string[] = [];
  const length = [...value].length;
  if (length > SUBDOMAIN_MAX_LENGTH) problems.push(`Use at most ${SUBDOMAIN_MAX_LENGTH} characters for the subdomain (it has ${length}).`);
  const bad = [...value].filter((c) => !/[a-z0-9-]/.test(c));
  if (bad.length > 0) problems.push(`Use only letters, digits and hyphens in the subdomain; remove ${listCharacters(bad)}.`);
  const starts = value.startsWith('-');
  const ends = value.endsWith('-');
  if (starts || ends) problems.push(`The subdomain cannot ${starts && ends ? 'start or end' : starts ? 'start' : 'end'} with a hyphen.`);
  return { value, problems };
}

/** The roles that let a user pick an instance for a portal. */
export function canSelectInstance(roles: readonly string[]): boolean {
  return roles.includes('SYSTEM_ADMINISTRATOR') || roles.includes('SYSTEM_CUSTOMIZER');
}

export function requireUser(actor: Actor, action: string): DirectoryUser {
  if (actor.kind !== 'user') throw new ForbiddenError(`${action} needs a directory user: use a token bound to a user (token:create --user EMAIL).`, 'USER_TOKEN_REQUIRED');
  return actor.user;
}

export function requireScope(actor: Actor, scope: 'read' | 'write' | 'admin'): void {
  if (!hasScope(actor, scope)) throw new ForbiddenError(`This needs the "${scope}" scope, which your token does not have.`, 'MISSING_SCOPE');
}

function requireGlobalAdministrator(actor: Actor): DirectoryUser {
  const user = requireUser(actor, 'Provisioning a portal');
  if (!user.globalAdministrator) throw new ForbiddenError(`Only a Global Administrator can provision a portal; ${user.email} is not one.`, 'NOT_GLOBAL_ADMINISTRATOR');
  return user;
}

/**
 * Checks a portal's general settings for `user` and returns them normalized, or throws one
 * ValidationError that lists every problem. Each field has its check; they run in this order, as
 * the later ones read what the earlier found (the instance, the audience, the portal type).
 */
export async function validatePortalSettings(
  deps: CoreDeps,
  user: DirectoryUser,
  input: PortalSettingsInput,
  problems = new Problems(),
  options: { portalId?: number } = {},
): Promise<{ settings: PortalSettings; instance: Instance | undefined }> {
  const name = checkName(input.name);
  for (const problem of name.problems) problems.add('name', problem);
  const subdomain = await checkSubdomainField(deps, input.subdomain, options.portalId, problems);
  const instance = await checkInstanceField(deps, user, input.instanceId, problems);
  const language = checkLanguageField(input.language, instance, problems);
  if (instance) await checkAdministratorField(deps, input.administratorId, instance, problems);
  const audience = checkAudienceField(input.audience, problems);
  const portalType = checkPortalTypeField(input.portalType, audience, problems);
  const addOns = checkAddOnsField(input.addOns, portalType, instance, problems);
  problems.throwIfAny();
  return {
    instance,
    settings: {
      name: name.value,
      subdomain: subdomain.value,
      instanceId: input.instanceId,
      language: language?.code ?? input.language,
      administratorId: input.administratorId,
      audience: audience as Audience,
      portalType: portalType as PortalType,
      addOns,
    },
  };
}

/** The subdomain is a DNS label, held by no other portal here nor on the platform. */
async function checkSubdomainField(deps: CoreDeps, raw: string, portalId: number | undefined, problems: Problems) {
  const subdomain = checkSubdomain(raw);
  for (const problem of subdomain.problems) problems.add('subdomain', problem);
  if (subdomain.problems.length > 0) return subdomain;
  const holder = await findPortalBySubdomain(deps.db, subdomain.value);
  if (holder && holder.id !== portalId) problems.add('subdomain', subdomainTakenMessage(subdomain.value), 'SUBDOMAIN_TAKEN');
  else if ((await platformAvailability(deps.platform, subdomain.value, portalId)) === 'TAKEN')
    problems.add('subdomain', `The portal URL ${subdomain.value} is already taken on the portal platform; choose another subdomain.`, 'SUBDOMAIN_TAKEN');
  return subdomain;
}

/** The instance exists and the user may link a portal to it. */
async function checkInstanceField(deps: CoreDeps, user: DirectoryUser, instanceId: string, problems: Problems): Promise<Instance | undefined> {
  const [instance] = instanceId && instanceId.length <= 200 ? await deps.platform.getInstances([instanceId]) : [];
  if (!instance) {
    problems.add('instanceId', 'Choose a Dynamics 365 instance: the one given does not exist.', 'UNKNOWN_REFERENCE');
    return undefined;
  }
  const roles = (await deps.platform.listRoles({ userId: user.id, instanceId: instance.id })).map((r) => r.role);
  if (!canSelectInstance(roles)) problems.add('instanceId', `You need the System Administrator or System Customizer role in ${instance.name} to link a portal to it.`);
  return instance;
}

/** The language is known, offered for portals, and installed in the instance. */
function checkLanguageField(raw: string, instance: Instance | undefined, problems: Problems) {
  const language = findLanguage(raw.slice(0, 20));
  if (!language) problems.add('language', `"${raw.slice(0, 20)}" is not a language code the portal platform knows.`);
  else if (!isPortalLanguage(language.code)) problems.add('language', `${language.name} is not supported for portals; choose another language.`);
  else if (instance && !instance.languages.includes(language.code)) problems.add('language', `${language.name} is not installed in ${instance.name}; choose one of its languages.`);
  return language;
}

/** The portal administrator is in the directory and a System Administrator of the instance. */
async function checkAdministratorField(deps: CoreDeps, administratorId: string, instance: Instance, problems: Problems): Promise<void> {
  const [admin] = administratorId && administratorId.length <= 200 ? await deps.platform.getUsers([administratorId]) : [];
  if (!admin) {
    problems.add('administratorId', 'Choose a portal administrator: the user given is not in the directory.', 'UNKNOWN_REFERENCE');
    return;
  }
  const roles = (await deps.platform.listRoles({ userId: admin.id, instanceId: instance.id })).map((r) => r.role);
  if (!roles.includes('SYSTEM_ADMINISTRATOR')) problems.add('administratorId', `${admin.displayName} is not a System Administrator in ${instance.name}.`);
}

function checkAudienceField(raw: string, problems: Problems): Audience | undefined {
  const audience = (AUDIENCES as readonly string[]).includes(raw) ? (raw as Audience) : undefined;
  if (!audience) problems.add('audience', `Choose an audience: ${AUDIENCES.join(', ')}.`);
  return audience;
}

/** The portal type exists and is offered for the audience. */
function checkPortalTypeField(raw: string, audience: Audience | undefined, problems: Problems): PortalType | undefined {
  const portalType = (PORTAL_TYPES as readonly string[]).includes(raw) ? (raw as PortalType) : undefined;
  if (!portalType) problems.add('portalType', `Choose a portal type: ${PORTAL_TYPES.join(', ')}.`);
  else if (audience && !portalTypesFor(audience).includes(portalType)) {
    const offered = portalTypesFor(audience)
      .map((t) => PORTAL_TYPE_NAMES[t])
      .join(', ');
    problems.add('portalType', `A ${PORTAL_TYPE_NAMES[portalType]} is not offered for the ${AUDIENCE_NAMES[audience]} audience; choose ${offered}.`);
  }
  return portalType;
}

/** The add-ons are known, offered for the portal type, and their solutions installed in the instance. */
function checkAddOnsField(raw: readonly string[] | null | undefined, portalType: PortalType | undefined, instance: Instance | undefined, problems: Problems): AddOn[] {
  const addOns = [...new Set(raw ?? [])];
  const known = addOns.filter((a): a is AddOn => (ADD_ONS as readonly string[]).includes(a));
  if (known.length !== addOns.length) problems.add('addOns', `Unknown add-on; choose among ${ADD_ONS.join(', ')}.`);
  if (!portalType || known.length === 0) return known;
  const allowed = ADD_ONS_BY_PORTAL_TYPE[portalType];
  if (known.some((a) => !allowed.includes(a))) {
    problems.add('addOns', `Add-ons are available only for a Partner Portal, not for a ${PORTAL_TYPE_NAMES[portalType]}.`);
    return known;
  }
  if (!instance) return known;
  for (const addOn of known) {
    const missing = ADD_ON_DEFINITIONS[addOn].requiredSolutions.filter((s) => !instance.solutions.includes(s));
    if (missing.length > 0) problems.add('addOns', `${ADD_ON_DEFINITIONS[addOn].name} needs ${missing.join(' and ')} installed in ${instance.name}.`);
  }
  return known;
}

/**
 * What the platform says of a subdomain. A platform that cannot answer now does not hold a request
 * back: provisioning finds a taken URL then, as it finds one taken in a race.
 */
async function platformAvailability(platform: Platform, subdomain: string, portalId?: number): Promise<SubdomainAvailability> {
  try {
    return await platform.subdomainAvailability(subdomain, portalId === undefined ? undefined : portalOwner(portalId));
  } catch (error) {
    if (error instanceof PlatformUnavailableError) return 'UNKNOWN';
    throw error;
  }
}

/** Licenses in the order a new portal takes them: production seats before trial ones. */
async function licensesByPreference(platform: Platform) {
  const licenses = await platform.listLicenses();
  return [...licenses].sort((a, b) => (a.type === b.type ? a.id.localeCompare(b.id) : a.type === 'PRODUCTION' ? -1 : 1));
}

const NO_LICENSE_MESSAGE = 'No portal license is available: every Portal Add-On license is in use. Buy one, or decline a portal awaiting its terms to free one.';

function subdomainTakenMessage(subdomain: string): string {
  return `The subdomain ${subdomain} is already taken by another portal; choose another.`;
}

/**
 * Creates a portal awaiting the terms of service. It holds one license from that moment; declining
 * the terms gives it back.
 */
export async function requestPortal(deps: CoreDeps, actor: Actor, input: PortalRequestInput): Promise<PortalRow> {
  requireScope(actor, 'write');
  const user = requireGlobalAdministrator(actor);
  const problems = new Problems();
  const notifyChannel = checkNotifyChannel(input.notifyChannel, problems);
  const licenses = await licensesByPreference(deps.platform);
  const held = await countHeldLicenses(deps.db);
  if (!licenses.some((l) => (held.get(l.id) ?? 0) < l.quantity)) problems.add('license', NO_LICENSE_MESSAGE, 'NO_LICENSE_AVAILABLE');
  const { settings } = await validatePortalSettings(deps, user, input, problems);
  const at = clockOf(deps)();
  const result = await insertPortal(
    deps.db,
    {
      name: settings.name,
      subdomain: settings.subdomain,
      instanceId: settings.instanceId,
      language: settings.language,
      administratorId: settings.administratorId,
      audience: settings.audience,
      portalType: settings.portalType,
      status: 'AWAITING_TERMS',
      requestedBy: user.id,
      notifyChannel,
      createdAt: at,
      updatedAt: at,
    },
    settings.addOns,
    licenses,
    {
      type: 'PORTAL_REQUESTED',
      message: `${user.displayName} requested the portal ${settings.name} (${settings.subdomain}).`,
      actor: actorLabel(actor),
      data: { settings },
    },
  );
  if (!result.ok) {
    if (result.reason === 'SUBDOMAIN_TAKEN') problems.add('subdomain', subdomainTakenMessage(settings.subdomain), 'SUBDOMAIN_TAKEN');
    else problems.add('license', NO_LICENSE_MESSAGE, 'NO_LICENSE_AVAILABLE');
    problems.throwIfAny();
  }
  return (result as { ok: true; portal: PortalRow }).portal;
}

/** A Slack channel ID (a channel, a private channel or a direct message), or none. */
function checkNotifyChannel(raw: string | null | undefined, problems: Problems): string | null {
  const channel = raw?.trim() || null;
  if (channel && !/^[CGD][A-Z0-9]{2,20}$/.test(channel)) problems.add('notifyChannel', 'Give a Slack channel ID such as C0123ABCD.');
  return channel;
}

/**
 * Moves a portal's Slack updates to another channel: the Slack app does so when it cannot post where
 * the portal was requested and writes to the requester directly instead.
 */
export async function setPortalNotifyChannel(deps: CoreDeps, actor: Actor, portalId: number, rawChannel: string): Promise<PortalRow> {
  requirePortalManager(actor);
  const problems = new Problems();
  const channel = checkNotifyChannel(rawChannel, problems);
  if (!channel) problems.add('notifyChannel', 'Give a Slack channel ID such as C0123ABCD.');
  problems.throwIfAny();
  const portal = await findPortal(deps.db, portalId);
  if (!portal) throw new NotFoundError('No portal has this id.');
  if (portal.notifyChannel === channel) return portal;
  const updated = await changePortal(deps.db, portal.id, { status: portal.status }, { notifyChannel: channel, updatedAt: clockOf(deps)() }, [
    {
      type: 'NOTIFY_CHANNEL_CHANGED',
      message: `Updates on ${portal.name} now go to this conversation.`,
      actor: actorLabel(actor),
      data: { from: portal.notifyChannel, to: channel },
    },
  ]);
  return updated ?? setPortalNotifyChannel(deps, actor, portalId, rawChannel);
}

/** Global Administrators, and services allowed to write, manage existing portals. */
export function requirePortalManager(actor: Actor): void {
  requireScope(actor, 'write');
  if (actor.kind === 'user' && !actor.user.globalAdministrator)
    throw new ForbiddenError(`Only a Global Administrator can manage portals; ${actor.user.email} is not one.`, 'NOT_GLOBAL_ADMINISTRATOR');
}

/** Renames a portal. The name is the one setting that may change at any time but while configuring. */
export async function renamePortal(deps: CoreDeps, actor: Actor, portalId: number, rawName: string): Promise<PortalRow> {
  requirePortalManager(actor);
  const name = checkName(rawName);
  const problems = new Problems();
  for (const problem of name.problems) problems.add('name', problem);
  problems.throwIfAny();
  const portal = await findPortal(deps.db, portalId);
  if (!portal) throw new NotFoundError('No portal has this id.');
  if (portal.status === 'CONFIGURING') throw new ConflictError(CONFIGURING_MESSAGE, 'PORTAL_CONFIGURING');
  if (portal.name === name.value) return portal;
  const updated = await changePortal(deps.db, portal.id, { status: portal.status }, { name: name.value, updatedAt: clockOf(deps)() }, [
    {
      type: 'PORTAL_RENAMED',
      message: `The portal ${portal.name} was renamed ${name.value}.`,
      actor: actorLabel(actor),
      data: { from: portal.name, to: name.value },
    },
  ]);
  // The status moved under us (a poller started configuring it): say so rather than guess.
  if (!updated) throw new ConflictError(CONFIGURING_MESSAGE, 'PORTAL_CONFIGURING');
  return updated;
}
