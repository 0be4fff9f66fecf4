// The fake Microsoft Entra ID (v2 endpoints under /entra): the tenant's OpenID configuration, the
// instance discovery MSAL can ask for, the device authorization endpoint and the token endpoint with
// the device_code, refresh_token and client_credentials grants, answering errors as Entra does
// ({ error, error_description, error_codes }, 400/401). Access tokens and ID tokens are JWT-shaped
// (header.payload.signature, the claims MSAL and the doctor read: aud, tid, oid, scp or roles); the
// access tokens go into state.tokens, where every API module checks them. Tests sign a user in by
// approving the code the device shows (approveDeviceCode), and shape the app registration (which
// permissions are consented, whether public client flows are allowed) through entraOf(state).
import { randomBytes } from 'node:crypto';
import type { FakeAnswer, FakeContext, FakeRequest, FakeState, IssuedToken, Route } from './protocol.ts';

export type ApiKind = 'powerplatform' | 'bap' | 'graph' | 'dataverse';

export interface FakeAppRegistration {
  clientId: string;
  clientSecret: string;
  /** "Allow public client flows" in the registration's Authentication pane (device code needs it). */
  allowPublicClient: boolean;
  /** Consented delegated permissions, per API. */
  delegated: Record<ApiKind, string[]>;
  /** Consented application permissions (app-only), per API. */
  application: Record<ApiKind, string[]>;
}

interface DeviceCode {
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  approvedBy?: string;
  declined?: boolean;
}

export interface EntraFake {
  app: FakeAppRegistration;
  deviceCodes: Map<string, DeviceCode>;
  refreshTokens: Map<string, { userId: string; clientId: string }>;
  /** Seconds MSAL waits between polls of a pending device code (Entra says 5). */
  pollIntervalSeconds: number;
}

export const FAKE_CLIENT_ID = '3c8e5c9a-1f0b-4f7e-9d2a-6b1e0f4d7a21';

/** Everything the product needs, consented: a well set-up tenant. */
export function goodAppRegistration(): FakeAppRegistration {
  return {
    clientId: FAKE_CLIENT_ID,
    clientSecret: `secret-${randomBytes(12).toString('hex')}`,
    allowPublicClient: true,
    delegated: {
      powerplatform: ['PowerPages.Websites.Read', 'PowerPages.Websites.Write'],
      bap: ['User'],
      graph: ['User.Read.All', 'RoleManagement.Read.Directory'],
      dataverse: ['user_impersonation'],
    },
    application: { powerplatform: [], bap: [], graph: ['User.Read.All', 'RoleManagement.Read.Directory'], dataverse: [] },
  };
}

const fakes = new WeakMap<FakeState, EntraFake>();

/** The Entra side of a fake (made on first use). */
export function entraOf(state: FakeState): EntraFake {
  let fake = fakes.get(state);
  if (!fake) {
    fake = { app: goodAppRegistration(), deviceCodes: new Map(), refreshTokens: new Map(), pollIntervalSeconds: 1 };
    fakes.set(state, fake);
  }
  return fake;
}

/** The admin enters the code on the verification page and signs in as `userId`. */
export function approveDeviceCode(state: FakeState, userCode: string, userId: string): void {
  const entry = [...entraOf(state).deviceCodes.values()].find((d) => d.userCode === userCode);
  if (!entry) throw new Error(`no device code ${userCode} is waiting`);
  if (!state.tenant.users.some((u) => u.id === userId)) throw new Error(`no user ${userId} in the fake tenant`);
  entry.approvedBy = userId;
}

export function entraRoutes(ctx: FakeContext): Route[] {
  const tenantPath = '/entra/(?<tenant>[^/]+)';
  return [
    { method: 'GET', path: new RegExp(`^${tenantPath}/v2\\.0/\\.well-known/openid-configuration$`), handle: (req) => openIdConfiguration(ctx, req) },
    { method: 'GET', path: /^\/entra\/common\/discovery\/instance$/, handle: (req) => instanceDiscovery(ctx, req) },
    { method: 'POST', path: new RegExp(`^${tenantPath}/oauth2/v2\\.0/devicecode$`), handle: (req) => deviceAuthorization(ctx, req) },
    { method: 'POST', path: new RegExp(`^${tenantPath}/oauth2/v2\\.0/token$`), handle: (req) => tokenEndpoint(ctx, req) },
  ];
}

/** Entra's error body: the OAuth error, an AADSTS description and its code. */
function oauthError(status: number, error: string, aadsts: number, description: string): FakeAnswer {
  return {
    status,
    json: { error, error_description: `AADSTS${aadsts}: ${description}`, error_codes: [aadsts], timestamp: new Date().toISOString(), trace_id: randomGuid(), correlation_id: randomGuid() },
  };
}

function randomGuid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether a path names this tenant: by id, by its onmicrosoft.com domain, or as "organizations". */
function knownTenant(ctx: FakeContext, tenant: string | undefined): boolean {
  const id = ctx.state.tenant.tenantId;
  return tenant === id || tenant === 'organizations' || tenant?.toLowerCase() === 'contoso.onmicrosoft.com';
}

function tenantNotFound(tenant: string | undefined): FakeAnswer {
  return oauthError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
}

function openIdConfiguration(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  if (!knownTenant(ctx, req.params.tenant)) return tenantNotFound(req.params.tenant);
  const base = `${ctx.url}/entra/${ctx.state.tenant.tenantId}`;
  return {
    status: 200,
    json: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${ctx.url}/entra/${ctx.state.tenant.tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.url}/graph/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(ctx.url).host,
    },
  };
}

function instanceDiscovery(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  const authorize = req.url.searchParams.get('authorization_endpoint') ?? '';
  if (req.url.searchParams.get('api-version') !== '1.1' || !authorize) return oauthError(400, 'invalid_request', 50049, 'Unknown or invalid instance.');
  const host = new URL(ctx.url).host;
  return {
    status: 200,
    json: {
      tenant_discovery_endpoint: `${ctx.url}/entra/${ctx.state.tenant.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

function form(req: FakeRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

function deviceAuthorization(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  if (!knownTenant(ctx, req.params.tenant)) return tenantNotFound(req.params.tenant);
  const body = form(req);
  const entra = entraOf(ctx.state);
  const clientId = body.get('client_id') ?? '';
  if (clientId !== entra.app.clientId) return unknownApplication(clientId);
  const scope = body.get('scope') ?? '';
  const resource = resourceOfScope(ctx, scope);
  if ('error' in resource) return resource.error;
  const deviceCode = `DAQABAAEAAAD${randomBytes(48).toString('base64url')}`;
  const userCode = randomBytes(6).toString('base64url').replace(/[-_]/g, 'X').slice(0, 9).toUpperCase();
  entra.deviceCodes.set(deviceCode, { userCode, clientId, scope, expiresAt: Date.now() + 900_000 });
  const verificationUri = `${ctx.url}/entra/devicelogin`;
  return {
    status: 200,
    json: {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: 900,
      interval: entra.pollIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    },
  };
}

function unknownApplication(clientId: string): FakeAnswer {
  return oauthError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory 'Contoso'.`);
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The one resource a token request's scopes are for: "<resource>/.default" or "<resource>/<permission>". */
function resourceOfScope(ctx: FakeContext, scope: string): { resource: string; api: ApiKind } | { error: FakeAnswer } {
  const resources = new Set(
    scope
      .split(/\s+/)
      .filter((s) => s && !OIDC_SCOPES.has(s))
      .map((s) => s.slice(0, s.lastIndexOf('/'))),
  );
  if (resources.size !== 1)
    return { error: oauthError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid: one resource per request (got '${scope}').`) };
  const [resource = ''] = [...resources];
  const api = apiOfResource(ctx, resource);
  if (!api) return { error: oauthError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named Contoso.`) };
  return { resource, api };
}

function apiOfResource(ctx: FakeContext, resource: string): ApiKind | undefined {
  if (resource === `${ctx.url}/powerplatform-api`) return 'powerplatform';
  if (resource === `${ctx.url}/bap`) return 'bap';
  if (resource === `${ctx.url}/graph`) return 'graph';
  if (ctx.state.tenant.environments.some((e) => e.instanceUrl === resource)) return 'dataverse';
  return undefined;
}

async function tokenEndpoint(ctx: FakeContext, req: FakeRequest): Promise<FakeAnswer> {
  if (!knownTenant(ctx, req.params.tenant)) return tenantNotFound(req.params.tenant);
  const body = form(req);
  const entra = entraOf(ctx.state);
  const clientId = body.get('client_id') ?? '';
  if (clientId !== entra.app.clientId) return unknownApplication(clientId);
  const grant = body.get('grant_type');
  // Entra takes the RFC 8628 name and the short one MSAL sends.
  if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') return deviceCodeGrant(ctx, body);
  if (grant === 'refresh_token') return refreshTokenGrant(ctx, body);
  if (grant === 'client_credentials') return clientCredentialsGrant(ctx, body);
  return oauthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
}

function deviceCodeGrant(ctx: FakeContext, body: URLSearchParams): FakeAnswer {
  const entra = entraOf(ctx.state);
  if (!entra.app.allowPublicClient) {
    return oauthError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  const code = entra.deviceCodes.get(body.get('device_code') ?? '');
  if (!code || code.clientId !== body.get('client_id')) return oauthError(400, 'invalid_grant', 70000, 'The provided value for the device_code is not valid.');
  if (code.expiresAt <= Date.now()) return oauthError(400, 'expired_token', 70020, 'The provided value for the input parameter device_code has expired.');
  if (code.declined) return oauthError(400, 'authorization_declined', 70019, 'The user declined the sign-in.');
  if (!code.approvedBy) return oauthError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
  entra.deviceCodes.delete(body.get('device_code') ?? '');
  return delegatedTokens(ctx, code.approvedBy, body.get('scope') ?? code.scope);
}

function refreshTokenGrant(ctx: FakeContext, body: URLSearchParams): FakeAnswer {
  const entra = entraOf(ctx.state);
  const presented = body.get('refresh_token') ?? '';
  const known = entra.refreshTokens.get(presented);
  if (!known || known.clientId !== body.get('client_id')) {
    return oauthError(400, 'invalid_grant', 70000, 'The provided refresh token is invalid, expired or revoked. The user must sign in again.');
  }
  // Entra hands out a new refresh token with each use; the old one keeps working for a while.
  return delegatedTokens(ctx, known.userId, body.get('scope') ?? '');
}

function clientCredentialsGrant(ctx: FakeContext, body: URLSearchParams): FakeAnswer {
  const { app } = entraOf(ctx.state);
  if (body.get('client_secret') !== app.clientSecret) return oauthError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  const scope = body.get('scope') ?? '';
  if (!scope.trim().endsWith('/.default'))
    return oauthError(
      400,
      'invalid_scope',
      1002012,
      'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
    );
  const resource = resourceOfScope(ctx, scope);
  if ('error' in resource) return resource.error;
  const roles = app.application[resource.api];
  const accessToken = accessTokenFor(ctx, { audience: resource.resource, kind: 'app', scopes: roles });
  return { status: 200, json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken } };
}

function delegatedTokens(ctx: FakeContext, userId: string, scope: string): FakeAnswer {
  const resource = resourceOfScope(ctx, scope);
  if ('error' in resource) return resource.error;
  const entra = entraOf(ctx.state);
  const user = ctx.state.tenant.users.find((u) => u.id === userId);
  if (!user) return oauthError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
  const granted = entra.app.delegated[resource.api];
  const accessToken = accessTokenFor(ctx, { audience: resource.resource, kind: 'delegated', userId, scopes: granted });
  const refreshToken = `0.AAAA${randomBytes(64).toString('base64url')}`;
  entra.refreshTokens.set(refreshToken, { userId, clientId: entra.app.clientId });
  // Graph names its scopes bare; other resources' come with the resource in front.
  const scopeText = granted.map((p) => (resource.api === 'graph' ? p : `${resource.resource}/${p}`)).concat(['openid', 'profile', 'offline_access']);
  return {
    status: 200,
    json: {
      token_type: 'Bearer',
      scope: scopeText.join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idTokenFor(ctx, user),
      client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: ctx.state.tenant.tenantId })).toString('base64url'),
    },
  };
}

function jwt(header: object, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${randomBytes(64).toString('base64url')}`;
}

function accessTokenFor(ctx: FakeContext, token: Pick<IssuedToken, 'audience' | 'kind' | 'userId' | 'scopes'>): string {
  const now = Math.floor(Date.now() / 1000);
  const { app } = entraOf(ctx.state);
  const claims = {
    aud: token.audience,
    iss: `https://sts.windows.net/${ctx.state.tenant.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + 3599,
    appid: app.clientId,
    tid: ctx.state.tenant.tenantId,
    ver: '1.0',
    ...(token.kind === 'delegated' ? { oid: token.userId, scp: token.scopes.join(' ') } : { oid: `sp-${app.clientId}`, roles: token.scopes }),
  };
  const value = jwt({ typ: 'JWT', alg: 'RS256', kid: 'fake-key' }, claims);
  ctx.state.tokens.set(value, { ...token, token: value, expiresAt: Date.now() + 3_599_000 });
  return value;
}

function idTokenFor(ctx: FakeContext, user: { id: string; userPrincipalName: string; displayName: string }): string {
  const now = Math.floor(Date.now() / 1000);
  const tenantId = ctx.state.tenant.tenantId;
  return jwt(
    { typ: 'JWT', alg: 'RS256', kid: 'fake-key' },
    {
      aud: entraOf(ctx.state).app.clientId,
      iss: `${ctx.url}/entra/${tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3599,
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      sub: `sub-${user.id}`,
      tid: tenantId,
      ver: '2.0',
    },
  );
}
