// The portal lifecycle's states (docs/architecture.md, "The rules") and what a portal is called and shows in each.
import { CONFIGURING_MESSAGE, GETTING_SET_UP_MESSAGE, PACKAGE_IN_PROGRESS_MESSAGE } from './messages.ts';

// EXPIRED: the terms waited longer than the product allows (TERMS_EXPIRY); the license is free again.
export const PORTAL_STATUSES = ['AWAITING_TERMS', 'CONFIGURING', 'PROVISIONED', 'PROVISIONING_FAILED', 'DECLINED', 'EXPIRED'] as const;
export type PortalStatus = (typeof PORTAL_STATUSES)[number];

export const RESOURCE_STATUSES = ['CREATING', 'CREATED', 'FAILED'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export const PACKAGE_STATUSES = ['PENDING', 'INSTALLING', 'INSTALLED', 'INSTALL_FAILED'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

/** Statuses in which a portal holds its license. */
export const LICENSE_HOLDING_STATUSES: readonly PortalStatus[] = [
  'AWAITING_TERMS',
  'CONFIGURING',
  'PROVISIONED',
  'PROVISIONING_FAILED',
];

/** The name shown for a portal: the seed's "Name-Configuring" and "Name-Provisioning Failed". */
export function displayName(name: string, status: PortalStatus): string {
  switch (status) {
    case 'CONFIGURING':
      return `${name}-Configuring`;
    case 'PROVISIONING_FAILED':
      return `${name}-Provisioning Failed`;
    default:
      return name;
  }
}

interface Tracks {
  status: PortalStatus;
  resourceStatus: ResourceStatus | null;
  packageStatus: PackageStatus | null;
}

/** The admin center's banner: the seed's two messages while a portal is configuring. */
export function statusMessage(portal: Tracks): string | null {
  if (portal.status !== 'CONFIGURING') return null;
  return portal.resourceStatus === 'CREATED' ? PACKAGE_IN_PROGRESS_MESSAGE : CONFIGURING_MESSAGE;
}

/** What the portal URL answers now. */
export function urlServes(portal: { name: string; resourceStatus: ResourceStatus | null; packageStatus: PackageStatus | null }): string | null {
  if (portal.resourceStatus !== 'CREATED') return null;
  if (portal.packageStatus !== 'INSTALLED') return GETTING_SET_UP_MESSAGE;
  return `The ${portal.name} portal home page.`;
}
