// The portal lifecycle's states (DESIGN.md section 1) and what a portal is called in each.

export const PORTAL_STATUSES = ['AWAITING_TERMS', 'CONFIGURING', 'PROVISIONED', 'PROVISIONING_FAILED', 'DECLINED'] as const;
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
