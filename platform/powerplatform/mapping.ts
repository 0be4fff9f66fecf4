// What the product's words become on Power Pages: portal types → website templates, language codes →
// LCIDs, add-ons → the solutions they need; and the messages an admin reads when the platform
// refuses, in the simulator's words where the simulator has the same case.
import { createHash } from 'node:crypto';
import { ADD_ON_DEFINITIONS, type AddOn, type PortalType, SOLUTIONS } from '../../vocabulary/catalog.ts';
import { findLanguage } from '../../vocabulary/languages.ts';
import type { Instance, PortalSpec } from '../platform.ts';
import { uniqueNameOf } from './solutions.ts';

/**
 * The Dynamics 365 portal templates of the websites API. The Custom Portal (a portal with no
 * Dynamics 365 app content) becomes DefaultPortalTemplate, the starter site built on the same base.
 */
export const TEMPLATE_NAMES: Record<PortalType, string> = {
  CUSTOMER_SELF_SERVICE: 'CustomerSelfServicePortal',
  PARTNER: 'PartnerPortal',
  EMPLOYEE_SELF_SERVICE: 'EmployeeSelfServicePortal',
  COMMUNITY: 'Community',
  CUSTOM: 'DefaultPortalTemplate',
};

export function templateOf(portalType: string): string {
  const template = TEMPLATE_NAMES[portalType as PortalType];
  if (!template) throw new Error(`No Power Pages template for the portal type ${portalType}.`);
  return template;
}

export function lcidOf(code: string): number {
  const language = findLanguage(code);
  if (!language) throw new Error(`No language id (LCID) for ${code}.`);
  return language.lcid;
}

/**
 * The website record id portal-ops gives the site of a portal: the same for every attempt of the
 * portal, so a site found at the portal's URL can be told to be its own (a create whose answer was
 * lost) or another's.
 */
export function websiteRecordIdOf(owner: string): string {
  const hex = createHash('sha256').update(`portal-ops website ${owner}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `portal:<id>` of an idempotency key `portal:<id>:<attempt>:<kind>`. */
export function ownerOfKey(key: string): string {
  return key.split(':').slice(0, 2).join(':');
}

export const MESSAGES = {
  subdomainTaken: (subdomain: string) => `The portal URL ${subdomain} is already taken on the portal platform. Change the portal URL and restart provisioning.`,
  noRole: (where: string, detail: string) =>
    `The signed-in Power Platform account may not manage portals in ${where} (${detail}). Give it the System Administrator role there, or sign in as an administrator who has it (npm run platform -- login), then restart provisioning.`,
  siteMissing: (subdomain: string) => `The portal URL ${subdomain} does not exist on the platform. Restart provisioning to create it again.`,
  installFailed: 'The portal package installation failed on the platform (InstallFailed). Retry the installation.',
  trialSite: (subdomain: string, hostname: string) =>
    `${hostname} cannot be bound: ${subdomain} is a trial site, and only production sites can have a custom domain. Convert the site to production in the Power Pages admin center, then check the domain again.`,
  noBindingSite: (subdomain: string) => `The portal URL ${subdomain} does not exist on the platform, so no SSL binding can be made.`,
  noCertificate: 'An SSL binding needs a host name and a certificate.',
};

/** Why a package install fails on this instance, in the simulator's words, or undefined. */
export function packageProblem(instance: Instance | undefined, spec: PortalSpec): string | undefined {
  if (!instance) return `The instance ${spec.instanceId} no longer exists.`;
  if (instance.baseLanguage !== spec.language) {
    const base = findLanguage(instance.baseLanguage)?.name ?? instance.baseLanguage;
    const wanted = findLanguage(spec.language)?.name ?? spec.language;
    return `Install Failed: the package installs only in the default language of ${instance.name}, which is ${base}, but the portal language is ${wanted}. Set the default language of ${instance.name} to ${wanted}, then retry the installation.`;
  }
  return addOnProblem(instance, spec);
}

/** An add-on whose prerequisite solutions the instance lacks, named as the simulator names it. */
export function addOnProblem(instance: Instance, spec: PortalSpec): string | undefined {
  const installed = new Set(instance.solutions);
  if (spec.portalType === 'PARTNER') installed.add(SOLUTIONS.PARTNER_PORTAL);
  for (const addOn of spec.addOns as AddOn[]) {
    const definition = ADD_ON_DEFINITIONS[addOn];
    if (!definition) continue;
    const missing = [...(installed.has(SOLUTIONS.PARTNER_PORTAL) ? [] : [SOLUTIONS.PARTNER_PORTAL]), ...definition.requiredSolutions.filter((s) => !installed.has(s))];
    if (missing.length > 0) return `Install Failed: ${definition.name} needs ${missing.join(' and ')} installed first in ${instance.name}.`;
    installed.add(definition.name);
  }
  return undefined;
}

/** The BAP api-version of application package installs (the add-ons). */
export const APPLICATION_PACKAGES_API_VERSION = '2022-03-01-preview';

/** Unique names of the add-on packages of a portal that the instance does not have yet. */
export function addOnsToInstall(instance: Instance, spec: PortalSpec): string[] {
  return (spec.addOns as AddOn[]).flatMap((addOn) => {
    const definition = ADD_ON_DEFINITIONS[addOn];
    if (!definition || instance.solutions.includes(definition.name)) return [];
    const uniqueName = uniqueNameOf(definition.name);
    return uniqueName ? [uniqueName] : [];
  });
}
