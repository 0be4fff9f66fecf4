// The states a portal, its two tracks and a custom domain can be in: the words the database, the
// API and Slack share. What each state means and how a portal moves between them is core's
// (core/lifecycle.ts; docs/architecture.md, "Lifecycle").

// EXPIRED: the terms waited longer than the product allows (TERMS_EXPIRY); the license is free again.
export const PORTAL_STATUSES = ['AWAITING_TERMS', 'CONFIGURING', 'PROVISIONED', 'PROVISIONING_FAILED', 'DECLINED', 'EXPIRED'] as const;
export type PortalStatus = (typeof PORTAL_STATUSES)[number];

export const RESOURCE_STATUSES = ['CREATING', 'CREATED', 'FAILED'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export const PACKAGE_STATUSES = ['PENDING', 'INSTALLING', 'INSTALLED', 'INSTALL_FAILED'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

/** Statuses in which a portal holds its license. */
export const LICENSE_HOLDING_STATUSES: readonly PortalStatus[] = ['AWAITING_TERMS', 'CONFIGURING', 'PROVISIONED', 'PROVISIONING_FAILED'];

export const DOMAIN_STATUSES = ['PENDING_CNAME', 'BINDING', 'CONFIGURED', 'BIND_FAILED', 'GAVE_UP'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];
