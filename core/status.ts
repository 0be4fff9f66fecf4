// What a portal is called and shows in each state of its lifecycle (the states: vocabulary/statuses.ts).
import type { PackageStatus, PortalStatus, ResourceStatus } from '../vocabulary/statuses.ts';
import { CONFIGURING_MESSAGE, GETTING_SET_UP_MESSAGE, PACKAGE_IN_PROGRESS_MESSAGE } from './messages.ts';

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
