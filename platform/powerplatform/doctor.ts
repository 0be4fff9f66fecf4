// `npm run platform -- doctor`: signs in silently, calls each API once and checks every permission
// and role the product needs, each as a check that passes or says exactly what to change. The script
// prints them; this module only finds them out.
import type { AccountInfo } from '@azure/msal-node';
import type { PowerPlatformDirectory } from './directory.ts';
import type { Environment } from './environments.ts';
import { MicrosoftApiError, type MicrosoftHttp } from './http.ts';
import { type MicrosoftEndpoints, REQUIRED_PERMISSIONS, type RequiredPermission, type ScopedApi, scopeFor } from './scopes.ts';
import type { MicrosoftSignIn } from './sign-in.ts';

export interface Check {
  ok: boolean;
  label: string;
  /** What to do when the check failed: which permission, which role, which command. */
  fix?: string;
}

export interface DoctorParts {
  signIn: MicrosoftSignIn;
  http: MicrosoftHttp;
  directory: PowerPlatformDirectory;
  endpoints: MicrosoftEndpoints;
  clientId: string;
  licenses: ReadonlyArray<{ type: string; quantity: number }>;
}

export const WEBSITES_API_VERSION = '2024-10-01';
const LOGIN = 'npm run platform -- login';

export async function runDoctor(parts: DoctorParts): Promise<Check[]> {
  const account = await parts.signIn.account();
  if (!account) return [{ ok: false, label: 'No Microsoft administrator is signed in', fix: `Run "${LOGIN}" and sign in as a Global Administrator.` }];
  const checks: Check[] = [{ ok: true, label: `Signed in as ${account.username}` }];
  checks.push(...(await permissionChecks(parts, ['powerplatform', 'bap', 'graph'])));
  checks.push(...(await graphChecks(parts)));
  const environments = await bapCheck(parts, checks);
  if (environments[0]) checks.push(await websitesCheck(parts, environments[0]));
  for (const env of environments) checks.push(...(await environmentChecks(parts, env, account)));
  checks.push(licensesCheck(parts));
  return checks;
}

/** The fix for a permission the token lacks. */
function permissionFix(parts: DoctorParts, required: RequiredPermission): string {
  return (
    `In the Microsoft Entra admin center, App registrations → ${parts.clientId} → API permissions → Add a permission → ${required.apiName} → ` +
    `Delegated permissions → ${required.permission}; then "Grant admin consent" and run "${LOGIN}" again.`
  );
}

async function permissionChecks(parts: DoctorParts, apis: readonly ScopedApi[], env?: Environment): Promise<Check[]> {
  const checks: Check[] = [];
  for (const api of apis) {
    const scope = scopeFor(api, parts.endpoints, env?.instanceUrl);
    const wanted = REQUIRED_PERMISSIONS.filter((p) => p.api === api);
    let granted: string[];
    try {
      granted = (await parts.signIn.grant(scope)).permissions;
    } catch (error) {
      checks.push({
        ok: false,
        label: `No token for ${wanted[0]?.apiName ?? api}${env ? ` (${env.displayName})` : ''}: ${(error as Error).message}`,
        fix: `Check the app registration's API permissions, grant admin consent, and run "${LOGIN}" again.`,
      });
      continue;
    }
    for (const required of wanted) {
      const ok = required.satisfiedBy.some((p) => granted.includes(p));
      const label = `${required.apiName}: ${required.permission} consented (to ${required.why})${env ? ` for ${env.displayName}` : ''}`;
      checks.push(ok ? { ok, label } : { ok, label: `${required.apiName}: ${required.permission} is not consented (needed to ${required.why})`, fix: permissionFix(parts, required) });
    }
  }
  return checks;
}

/** Graph answers and Global Administrators can be told (the product's rules turn on them). */
async function graphChecks(parts: DoctorParts): Promise<Check[]> {
  try {
    const admins = await parts.directory.graph.globalAdministrators();
    return [{ ok: true, label: `Microsoft Graph: the Global Administrator role (62e90394-…) is readable: ${admins.size} holder(s)` }];
  } catch (error) {
    return [
      {
        ok: false,
        label: `Microsoft Graph: role assignments cannot be read: ${describe(error)}`,
        fix: `Consent RoleManagement.Read.Directory (Microsoft Graph, delegated) to app ${parts.clientId} and sign in as a Global Administrator ("${LOGIN}").`,
      },
    ];
  }
}

/** The environments from BAP (an empty list when BAP refuses, with the check saying why). */
async function bapCheck(parts: DoctorParts, checks: Check[]): Promise<Environment[]> {
  try {
    const environments = await parts.directory.environments.environments();
    checks.push({
      ok: environments.length > 0,
      label: `Power Platform admin API: ${environments.length} environment(s) with Dataverse`,
      ...(environments.length > 0 ? {} : { fix: 'Create an environment with a Dataverse database in the Power Platform admin center: portals live in one.' }),
    });
    return environments;
  } catch (error) {
    checks.push({
      ok: false,
      label: `Power Platform admin API: environments cannot be listed: ${describe(error)}`,
      fix: `Sign in as a Power Platform administrator or Global Administrator ("${LOGIN}") and consent PowerApps Service → User to app ${parts.clientId}.`,
    });
    return [];
  }
}

async function websitesCheck(parts: DoctorParts, env: Environment): Promise<Check> {
  const url = `${parts.endpoints.powerPlatform}/powerpages/environments/${encodeURIComponent(env.id)}/websites?api-version=${WEBSITES_API_VERSION}`;
  try {
    await parts.http.request({ api: 'powerplatform', method: 'GET', url, idempotent: true, scope: scopeFor('powerplatform', parts.endpoints) });
    return { ok: true, label: `Power Pages websites API answers (${env.displayName})` };
  } catch (error) {
    return {
      ok: false,
      label: `Power Pages websites API: ${describe(error)}`,
      fix: `Consent PowerPages.Websites.Read and PowerPages.Websites.Write (Power Platform API, delegated) to app ${parts.clientId}, and give the signed-in admin System Administrator in ${env.displayName}.`,
    };
  }
}

/** Dataverse of one environment answers, and the signed-in admin is System Administrator there. */
async function environmentChecks(parts: DoctorParts, env: Environment, account: AccountInfo): Promise<Check[]> {
  const checks = await permissionChecks(parts, ['dataverse'], env);
  const roleFix = `Give ${account.username} the System Administrator security role in ${env.displayName} (Power Platform admin center → Environments → ${env.displayName} → Settings → Users + permissions → Users), then run doctor again.`;
  try {
    await parts.directory.environments.instance(env);
    const holders = await parts.directory.environments.roleHolders(env);
    const mine = holders.find((h) => h.userId === account.localAccountId);
    const admin = mine?.roles.includes('SYSTEM_ADMINISTRATOR') ?? false;
    checks.push(
      admin
        ? { ok: true, label: `${env.displayName}: Dataverse answers; ${account.username} is System Administrator` }
        : { ok: false, label: `${env.displayName}: ${account.username} is not System Administrator`, fix: roleFix },
    );
  } catch (error) {
    checks.push({ ok: false, label: `${env.displayName}: Dataverse refuses ${account.username}: ${describe(error)}`, fix: roleFix });
  }
  return checks;
}

function licensesCheck(parts: DoctorParts): Check {
  const text = parts.licenses.map((l) => `${l.type.toLowerCase()} ${l.quantity}`).join(', ');
  return { ok: true, label: `Licenses from POWERPLATFORM_LICENSES: ${text} (Power Pages capacity has no API: keep this in step with what the tenant bought)` };
}

function describe(error: unknown): string {
  if (error instanceof MicrosoftApiError) return `${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
