// The variables of PLATFORM=powerplatform (issue 16; their names are fixed: other tools rely on them).
// Read with the rest of the configuration in config.ts; checked together once PLATFORM says which
// platform runs, so a simulator start never asks for a tenant.
import { z } from 'zod';
import type { LicenseType } from '../vocabulary/catalog.ts';

/** An endpoint: HTTPS only (tokens travel to it), kept without a trailing slash. */
const endpoint = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => URL.canParse(v) && new URL(v).protocol === 'https:', 'must be an https:// URL (tokens are sent to it, never over plain HTTP)')
    .transform((v) => v.replace(/\/+$/, ''));

const text = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const POWER_PLATFORM_VARIABLES = {
  POWERPLATFORM_TENANT_ID: text,
  POWERPLATFORM_CLIENT_ID: text,
  POWERPLATFORM_CLIENT_SECRET: text,
  POWERPLATFORM_LICENSES: text,
  ENTRA_AUTHORITY_HOST: endpoint('https://login.microsoftonline.com'),
  POWERPLATFORM_API_URL: endpoint('https://api.powerplatform.com'),
  BAP_API_URL: endpoint('https://api.bap.microsoft.com'),
  GRAPH_API_URL: endpoint('https://graph.microsoft.com'),
};

type Variables = { [K in keyof typeof POWER_PLATFORM_VARIABLES]: z.infer<(typeof POWER_PLATFORM_VARIABLES)[K]> };

export interface LicenseQuantity {
  type: LicenseType;
  quantity: number;
}

export interface PowerPlatformSettings {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  licenses: LicenseQuantity[];
  endpoints: { authorityHost: string; powerPlatform: string; bap: string; graph: string };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * The settings of PLATFORM=powerplatform, or the problems found, one line per variable, each saying
 * what to set.
 */
export function powerPlatformSettings(vars: Variables): { settings: PowerPlatformSettings } | { problems: string[] } {
  const problems: string[] = [];
  const tenantId = vars.POWERPLATFORM_TENANT_ID;
  const clientId = vars.POWERPLATFORM_CLIENT_ID;
  if (!tenantId) problems.push('POWERPLATFORM_TENANT_ID: set the Directory (tenant) ID of the Microsoft tenant (PLATFORM=powerplatform)');
  else if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId))
    problems.push(`POWERPLATFORM_TENANT_ID: must be a tenant ID (a GUID) or its domain such as contoso.onmicrosoft.com (got "${tenantId}")`);
  if (!clientId) problems.push('POWERPLATFORM_CLIENT_ID: set the Application (client) ID of the app registration (PLATFORM=powerplatform)');
  else if (!GUID.test(clientId)) problems.push(`POWERPLATFORM_CLIENT_ID: must be the Application (client) ID, a GUID (got "${clientId}")`);
  const licenses = parseLicenses(vars.POWERPLATFORM_LICENSES);
  if ('problem' in licenses) problems.push(`POWERPLATFORM_LICENSES: ${licenses.problem}`);
  if (problems.length > 0 || !tenantId || !clientId || 'problem' in licenses) return { problems };
  return {
    settings: {
      tenantId,
      clientId,
      ...(vars.POWERPLATFORM_CLIENT_SECRET ? { clientSecret: vars.POWERPLATFORM_CLIENT_SECRET } : {}),
      licenses: licenses.licenses,
      endpoints: {
        authorityHost: vars.ENTRA_AUTHORITY_HOST,
        powerPlatform: vars.POWERPLATFORM_API_URL,
        bap: vars.BAP_API_URL,
        graph: vars.GRAPH_API_URL,
      },
    },
  };
}

const LICENSE_EXAMPLE = 'production:10,trial:3';

/** "production:10,trial:3": the Power Pages capacity bought, by license type (it has no API to read). */
export function parseLicenses(value: string | undefined): { licenses: LicenseQuantity[] } | { problem: string } {
  if (!value) return { problem: `set the Power Pages capacity bought, such as "${LICENSE_EXAMPLE}" (the platform has no API that tells it)` };
  const licenses: LicenseQuantity[] = [];
  for (const part of value.split(',').map((p) => p.trim())) {
    const match = /^(production|trial)\s*:\s*(\d{1,6})$/i.exec(part);
    if (!match) return { problem: `"${part}" is not type:quantity; write it as "${LICENSE_EXAMPLE}" (types: production, trial)` };
    const type = (match[1] as string).toUpperCase() as LicenseType;
    if (licenses.some((l) => l.type === type)) return { problem: `${type.toLowerCase()} is given twice; give each type once, as "${LICENSE_EXAMPLE}"` };
    licenses.push({ type, quantity: Number(match[2]) });
  }
  return { licenses };
}
