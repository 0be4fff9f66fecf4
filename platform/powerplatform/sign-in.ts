// Sign-in to Microsoft Entra for the Power Platform driver, with MSAL (@azure/msal-node). The Power
// Pages API accepts only delegated tokens of an administrator, so an admin signs in once with the
// device-code flow (`npm run platform -- login`); the refresh token MSAL keeps in its cache (sealed
// in the database, token-cache.ts) then gives every process tokens for each API silently. With
// POWERPLATFORM_CLIENT_SECRET, Microsoft Graph is called app-only instead (its directory reads do not
// depend on the admin's session). No token reaches a log: MSAL's own log lines are passed on only
// when they hold no personal data, and scrubbed of anything token-shaped.
import {
  type AccountInfo,
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
  type INetworkModule,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
} from '@azure/msal-node';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { PlatformUnavailableError } from '../platform.ts';
import { type MicrosoftEndpoints, scopeFor, signInScope } from './scopes.ts';
import { SealedTokenCache, type SecretBox } from './token-cache.ts';

/**
 * No administrator is signed in (or the sign-in expired or was revoked): someone must run login.
 * The platform is as good as unavailable until then: the poller waits and tries again, the API says so.
 */
export class SignInRequiredError extends PlatformUnavailableError {
  override name = 'SignInRequiredError';
  constructor(reason = 'No Microsoft administrator is signed in.') {
    super(`${reason} Run "npm run platform -- login" and sign in as a Power Platform administrator.`);
  }
}

export interface SignInOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string | undefined;
  endpoints: MicrosoftEndpoints;
  db: Db;
  box: SecretBox;
  log?: Logger | undefined;
  /** MSAL's HTTP client, for tests in process (a CA of their own); child processes use NODE_EXTRA_CA_CERTS. */
  networkClient?: INetworkModule | undefined;
}

export interface DeviceCodePrompt {
  verificationUri: string;
  userCode: string;
  message: string;
}

/** A token and what it was granted, for `doctor`. */
export interface GrantedToken {
  token: string;
  /** Delegated permissions (scp) or, app-only, application permissions (roles), without the resource. */
  permissions: string[];
  appOnly: boolean;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Renew a cached token this long before it expires. */
const EARLY_RENEWAL_MS = 5 * 60_000;

export class MicrosoftSignIn {
  private readonly app: PublicClientApplication;
  private readonly appOnly: ConfidentialClientApplication | undefined;
  private readonly cache: SealedTokenCache;
  private readonly memo = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly options: SignInOptions) {
    this.cache = new SealedTokenCache(options.db, `${options.tenantId}/${options.clientId}`, options.box);
    const base = msalConfiguration(options);
    this.app = new PublicClientApplication({ ...base, cache: { cachePlugin: this.cache } });
    this.appOnly = options.clientSecret ? new ConfidentialClientApplication({ ...base, auth: { ...base.auth, clientSecret: options.clientSecret } }) : undefined;
  }

  /** The device-code flow: `prompt` shows the code; resolves once the admin signed in (or fails). */
  async login(prompt: (code: DeviceCodePrompt) => void, timeoutSeconds = 900): Promise<AccountInfo> {
    const result = await this.app.acquireTokenByDeviceCode({
      scopes: [signInScope(this.options.endpoints)],
      timeout: timeoutSeconds,
      deviceCodeCallback: (response) => prompt({ verificationUri: response.verificationUri, userCode: response.userCode, message: response.message }),
    });
    if (!result?.account) throw new Error('Microsoft Entra answered the sign-in without an account.');
    // One administrator at a time: a new sign-in replaces the one before.
    const cache = this.app.getTokenCache();
    for (const other of await cache.getAllAccounts()) if (other.homeAccountId !== result.account.homeAccountId) await cache.removeAccount(other);
    this.memo.clear();
    return result.account;
  }

  /** Forgets the signed-in administrator in the database; true when one was signed in. */
  async logout(): Promise<boolean> {
    this.memo.clear();
    for (const account of await this.app.getTokenCache().getAllAccounts()) await this.app.getTokenCache().removeAccount(account);
    return this.cache.forget();
  }

  /** The signed-in administrator, if any. */
  async account(): Promise<AccountInfo | undefined> {
    const [account] = await this.app.getTokenCache().getAllAccounts();
    return account;
  }

  /** An access token for `scope` (AccessTokens of http.ts): from memory, MSAL's cache, or a refresh. */
  async get(scope: string): Promise<string> {
    const known = this.memo.get(scope);
    // A logout in another process ends this one's tokens too (app-only ones do not depend on it).
    if (known && known.expiresAt - EARLY_RENEWAL_MS > Date.now() && (this.isAppOnly(scope) || (await this.cache.exists()))) return known.token;
    const result = await this.acquire(scope);
    this.memo.set(scope, { token: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() });
    return result.accessToken;
  }

  /** A fresh token with the permissions it carries (doctor). */
  async grant(scope: string): Promise<GrantedToken> {
    const result = await this.acquire(scope);
    const appOnly = this.isAppOnly(scope);
    const permissions = appOnly ? rolesOf(result.accessToken) : result.scopes.map(permissionName).filter((p) => !OIDC_SCOPES.has(p));
    return { token: result.accessToken, permissions, appOnly };
  }

  /** Whether calls with this scope are made app-only (Graph, when a client secret is configured). */
  isAppOnly(scope: string): boolean {
    return this.appOnly !== undefined && scope === scopeFor('graph', this.options.endpoints);
  }

  private async acquire(scope: string): Promise<AuthenticationResult> {
    try {
      if (this.appOnly && this.isAppOnly(scope)) {
        const result = await this.appOnly.acquireTokenByClientCredential({ scopes: [scope] });
        if (!result) throw new PlatformUnavailableError('Microsoft Entra ID gave no app-only token.');
        return result;
      }
      const account = await this.account();
      if (!account) throw new SignInRequiredError();
      return await this.app.acquireTokenSilent({ account, scopes: [scope] });
    } catch (error) {
      throw signInFailure(error);
    }
  }
}

/**
 * What a failed token request means to the product: a sign-in to renew (refresh token expired,
 * revoked, consent withdrawn), or Entra out of reach for now. MSAL's messages carry no token.
 */
function signInFailure(error: unknown): Error {
  if (error instanceof PlatformUnavailableError) return error;
  const code = (error as { errorCode?: unknown }).errorCode;
  if (error instanceof InteractionRequiredAuthError || code === 'invalid_grant') return new SignInRequiredError(`The Microsoft sign-in needs renewing (${String(code)}).`);
  return new PlatformUnavailableError(`Microsoft Entra ID did not give a token (${typeof code === 'string' ? code : (error as Error).message}).`);
}

/**
 * MSAL's configuration. The authority host is declared known, so MSAL asks it for its OpenID
 * configuration directly instead of asking login.microsoftonline.com to vouch for it (instance
 * discovery): other clouds and the tests' fake work alike.
 */
function msalConfiguration(options: SignInOptions): Configuration {
  const { authorityHost } = options.endpoints;
  return {
    auth: {
      clientId: options.clientId,
      authority: `${authorityHost}/${options.tenantId}`,
      knownAuthorities: [new URL(authorityHost).host],
    },
    system: {
      loggerOptions: { loggerCallback: msalLogger(options.log), piiLoggingEnabled: false, logLevel: LogLevel.Warning },
      ...(options.networkClient ? { networkClient: options.networkClient } : {}),
    },
  };
}

/** Passes MSAL's warnings and errors on, never a line with personal data, scrubbed of anything token-shaped. */
export function msalLogger(log: Logger | undefined) {
  return (level: LogLevel, message: string, containsPii: boolean) => {
    if (!log || containsPii) return;
    const clean = scrubTokens(message);
    if (level === LogLevel.Error) log.error({ component: 'msal' }, clean);
    else if (level === LogLevel.Warning) log.warn({ component: 'msal' }, clean);
  };
}

/** Replaces JWTs and long opaque strings (refresh tokens, codes) with a marker. */
export function scrubTokens(text: string): string {
  return text.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]').replace(/[\w\-.~+/]{40,}={0,2}/g, '[redacted]');
}

/** "https://api.powerplatform.com/PowerPages.Websites.Read" → "PowerPages.Websites.Read". */
function permissionName(scope: string): string {
  return scope.slice(scope.lastIndexOf('/') + 1);
}

/** The application permissions of an app-only access token (its `roles` claim), read, not verified. */
function rolesOf(accessToken: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
