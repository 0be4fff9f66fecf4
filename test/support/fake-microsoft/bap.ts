// The fake Power Platform admin API (BAP): the tenant's environments as an administrator sees them
// (GET …/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=…), each
// with its Dataverse in properties.linkedEnvironmentMetadata. The caller needs the PowerApps Service
// "User" permission and an administrator's role (here: Global Administrator); errors are BAP's
// { error: { code, message } }. Pages of `pageSize` environments are linked with nextLink.
import { type FakeAnswer, type FakeContext, FakeReject, type FakeRequest, jsonError, type Route } from './protocol.ts';
import type { FakeEnvironment } from './tenant.ts';

const ENVIRONMENTS = '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments';

export const bapSettings = { pageSize: 50 };

export function bapRoutes(ctx: FakeContext): Route[] {
  return [{ method: 'GET', path: new RegExp(`^/bap${ENVIRONMENTS.replace(/\./g, '\\.')}$`), handle: (req) => environments(ctx, req) }];
}

function environments(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  const token = ctx.authorize(req, `${ctx.url}/bap`);
  if (!req.url.searchParams.get('api-version')) {
    return jsonError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  if (token.kind === 'delegated' && !token.scopes.includes('User')) {
    throw new FakeReject(jsonError(403, 'Forbidden', 'The access token lacks the PowerApps Service permission "User".'));
  }
  const user = ctx.state.tenant.users.find((u) => u.id === token.userId);
  if (token.kind === 'delegated' && !user?.globalAdministrator) {
    throw new FakeReject(jsonError(403, 'Forbidden', 'The caller is not an administrator of the tenant (Power Platform administrator, Dynamics 365 administrator or Global Administrator).'));
  }
  const skip = Number(req.url.searchParams.get('$skiptoken') ?? '0');
  const all = ctx.state.tenant.environments;
  const page = all.slice(skip, skip + bapSettings.pageSize).map((env) => environment(ctx, env));
  const next =
    skip + bapSettings.pageSize < all.length ? `${ctx.url}/bap${ENVIRONMENTS}?api-version=${req.url.searchParams.get('api-version')}&$skiptoken=${skip + bapSettings.pageSize}` : undefined;
  return { status: 200, json: { value: page, ...(next ? { nextLink: next } : {}) } };
}

function environment(ctx: FakeContext, env: FakeEnvironment): unknown {
  return {
    id: `${ENVIRONMENTS}/${env.name}`,
    type: 'Microsoft.BusinessAppPlatform/scopes/environments',
    location: 'europe',
    name: env.name,
    properties: {
      tenantId: ctx.state.tenant.tenantId,
      azureRegion: 'westeurope',
      displayName: env.displayName,
      createdTime: '2026-01-05T09:12:44.1234567Z',
      environmentSku: 'Production',
      isDefault: false,
      states: { management: { id: 'Ready' }, runtime: { id: 'Enabled' } },
      linkedEnvironmentMetadata: {
        type: 'Dynamics365Instance',
        resourceId: env.organizationId,
        friendlyName: env.displayName,
        uniqueName: `unq${env.organizationId.replace(/-/g, '').slice(0, 24)}`,
        domainName: env.name.replace(/[^a-z0-9]/gi, ''),
        version: '9.2.25111.00187',
        instanceUrl: `${env.instanceUrl}/`,
        instanceApiUrl: `${env.instanceUrl}/api/data/v9.2`,
        baseLanguage: env.baseLanguage,
        instanceState: 'Ready',
        createdTime: '2026-01-05T09:13:02.7654321Z',
      },
    },
  };
}
