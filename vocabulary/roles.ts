// The roles a user can hold in a Dynamics 365 instance that matter to provisioning.

export const INSTANCE_ROLES = ['SYSTEM_ADMINISTRATOR', 'SYSTEM_CUSTOMIZER'] as const;
export type InstanceRole = (typeof INSTANCE_ROLES)[number];
