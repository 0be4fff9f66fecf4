// What the platform is told about a portal, for any of its operations: one place, so provisioning and
// the SSL binding describe the same portal the same way.
import type { PortalRow } from '../db/schema.ts';
import type { PortalSpec } from '../platform/platform.ts';
import type { AddOn } from '../vocabulary/catalog.ts';

export function portalSpec(portal: PortalRow, addOns: readonly AddOn[] = []): PortalSpec {
  return {
    name: portal.name,
    licenseType: portal.type,
    subdomain: portal.subdomain,
    instanceId: portal.instanceId,
    language: portal.language,
    portalType: portal.portalType,
    addOns: [...addOns],
  };
}
