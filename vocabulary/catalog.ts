// The portal catalog (docs/architecture.md, "The rules"), defined once as data: who a portal is for (audience),
// which portal types each audience may deploy, what each type brings (the feature table, word for
// word), and the add-ons a Partner Portal can take with the solutions each one needs. Every layer
// shares these words; this folder imports nothing of the project's.

export const AUDIENCES = ['PARTNER', 'CUSTOMER', 'EMPLOYEE'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const PORTAL_TYPES = ['CUSTOMER_SELF_SERVICE', 'PARTNER', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY', 'CUSTOM'] as const;
export type PortalType = (typeof PORTAL_TYPES)[number];

export const ADD_ONS = ['PARTNER_PROJECT_SERVICE', 'PARTNER_FIELD_SERVICE'] as const;
export type AddOn = (typeof ADD_ONS)[number];

export const LICENSE_TYPES = ['TRIAL', 'PRODUCTION'] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];

/** Solutions a Dynamics 365 instance can have installed, by the names the rules give them. */
export const SOLUTIONS = {
  PARTNER_PORTAL: 'Partner Portal',
  FIELD_SERVICE: 'Field Service',
  PROJECT_SERVICE_AUTOMATION: 'Project Service Automation',
} as const;
export type SolutionName = (typeof SOLUTIONS)[keyof typeof SOLUTIONS];

export const AUDIENCE_NAMES: Record<Audience, string> = {
  PARTNER: 'Partner',
  CUSTOMER: 'Customer',
  EMPLOYEE: 'Employee',
};

export const PORTAL_TYPE_NAMES: Record<PortalType, string> = {
  CUSTOMER_SELF_SERVICE: 'Customer Self-Service Portal',
  PARTNER: 'Partner Portal',
  EMPLOYEE_SELF_SERVICE: 'Employee Self-Service Portal',
  COMMUNITY: 'Community Portal',
  CUSTOM: 'Custom Portal',
};

/** The audience menu, in the order the rules list the portal types. */
export const PORTAL_TYPES_BY_AUDIENCE: Record<Audience, readonly PortalType[]> = {
  PARTNER: ['CUSTOMER_SELF_SERVICE', 'CUSTOM', 'PARTNER', 'COMMUNITY'],
  CUSTOMER: ['CUSTOMER_SELF_SERVICE', 'CUSTOM', 'COMMUNITY'],
  EMPLOYEE: ['EMPLOYEE_SELF_SERVICE'],
};

export interface AddOnDefinition {
  key: AddOn;
  name: string;
  /** Solutions that must already be installed in the instance before the add-on can be. */
  requiredSolutions: readonly SolutionName[];
}

export const ADD_ON_DEFINITIONS: Record<AddOn, AddOnDefinition> = {
  PARTNER_PROJECT_SERVICE: {
    key: 'PARTNER_PROJECT_SERVICE',
    name: 'Partner Project Service',
    requiredSolutions: [SOLUTIONS.PROJECT_SERVICE_AUTOMATION],
  },
  PARTNER_FIELD_SERVICE: {
    key: 'PARTNER_FIELD_SERVICE',
    name: 'Partner Field Service',
    requiredSolutions: [SOLUTIONS.FIELD_SERVICE],
  },
};

/** Add-ons each portal type can take: only the Partner Portal has any. */
export const ADD_ONS_BY_PORTAL_TYPE: Record<PortalType, readonly AddOn[]> = {
  CUSTOMER_SELF_SERVICE: [],
  PARTNER: ['PARTNER_PROJECT_SERVICE', 'PARTNER_FIELD_SERVICE'],
  EMPLOYEE_SELF_SERVICE: [],
  COMMUNITY: [],
  CUSTOM: [],
};

const ALL: readonly PortalType[] = PORTAL_TYPES;

/** The feature table: each feature with the portal types that have it, in the order Microsoft's provisioning page gives. */
export const FEATURE_TABLE: ReadonlyArray<{ feature: string; portalTypes: readonly PortalType[] }> = [
  { feature: 'World Ready', portalTypes: ALL },
  { feature: 'Multi-Language Support', portalTypes: ALL },
  { feature: 'Portal Administration', portalTypes: ALL },
  { feature: 'Customization and Extensibility', portalTypes: ALL },
  { feature: 'Theming', portalTypes: ALL },
  { feature: 'Content Management', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY'] },
  {
    feature: 'Knowledge Management',
    portalTypes: ['CUSTOMER_SELF_SERVICE', 'PARTNER', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY'],
  },
  { feature: 'Support/Case Management', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY'] },
  { feature: 'Forums', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY'] },
  { feature: 'Faceted Search', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE'] },
  { feature: 'Profile Management', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE'] },
  { feature: 'Subscribe to Forum Thread', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE'] },
  { feature: 'Comments', portalTypes: ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY'] },
  { feature: 'Azure AD Authentication', portalTypes: ['EMPLOYEE_SELF_SERVICE'] },
  { feature: 'Ideas', portalTypes: ['COMMUNITY'] },
  { feature: 'Blogs', portalTypes: ['COMMUNITY'] },
  { feature: 'Project Service Automation Integration', portalTypes: ['PARTNER'] },
  { feature: 'Field Service Integration', portalTypes: ['PARTNER'] },
  { feature: 'Partner Onboarding', portalTypes: ['PARTNER'] },
  { feature: 'Portal Base', portalTypes: ['CUSTOM'] },
  { feature: 'Portal Workflows', portalTypes: ['CUSTOM'] },
  { feature: 'Web Notifications', portalTypes: ['CUSTOM'] },
  { feature: 'Microsoft Identity', portalTypes: ['CUSTOM'] },
  { feature: 'Identity Workflows', portalTypes: ['CUSTOM'] },
  { feature: 'Web Forms', portalTypes: ['CUSTOM'] },
  { feature: 'Feedback', portalTypes: ['CUSTOM'] },
];

const featuresByType = new Map<PortalType, readonly string[]>(PORTAL_TYPES.map((type) => [type, FEATURE_TABLE.filter((row) => row.portalTypes.includes(type)).map((row) => row.feature)]));

export function featuresOf(portalType: PortalType): readonly string[] {
  return featuresByType.get(portalType) ?? [];
}

export function portalTypesFor(audience: Audience): readonly PortalType[] {
  return PORTAL_TYPES_BY_AUDIENCE[audience];
}

export function addOnsFor(portalType: PortalType): readonly AddOnDefinition[] {
  return ADD_ONS_BY_PORTAL_TYPE[portalType].map((key) => ADD_ON_DEFINITIONS[key]);
}

/** The catalog as one tree, the shape GraphQL serves and Slack shows. */
export interface CatalogAudience {
  key: Audience;
  name: string;
  portalTypes: Array<{ key: PortalType; name: string; features: readonly string[]; addOns: readonly AddOnDefinition[] }>;
}

export const PORTAL_CATALOG: readonly CatalogAudience[] = AUDIENCES.map((audience) => ({
  key: audience,
  name: AUDIENCE_NAMES[audience],
  portalTypes: portalTypesFor(audience).map((type) => ({
    key: type,
    name: PORTAL_TYPE_NAMES[type],
    features: featuresOf(type),
    addOns: addOnsFor(type),
  })),
}));
