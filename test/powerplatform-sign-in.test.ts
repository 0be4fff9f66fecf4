// The Microsoft sign-in in process against the fake Entra: tokens per API from the sealed cache,
// the cache shared through the database and useless under another SECRET_KEY, what a revoked or
// missing sign-in and an unreachable Entra become, app-only Graph with a client secret, and MSAL's
// log lines without tokens.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlatformUnavailableError } from '../platform/platform.ts';
import { scopeFor } from '../platform/powerplatform/scopes.ts';
import { MicrosoftSignIn, msalLogger, SignInRequiredError, scrubTokens } from '../platform/powerplatform/sign-in.ts';
import { capturedLog } from './support/captured-log.ts';
import { approveDeviceCode, entraOf, goodAppRegistration } from './support/fake-microsoft/entra.ts';
import { type FakeMicrosoft, startFakeMicrosoft } from './support/fake-microsoft/server.ts';
import { endpointsOf, type SignedIn, secretBox, signInAs } from './support/fake-microsoft/signed-in.ts';

describe('the Microsoft sign-in against the fake Entra', () => {
  let fake: FakeMicrosoft;
  const opened: SignedIn[] = [];

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
  });

  afterEach(async () => {
    for (const one of opened.splice(0)) await one.close();
    entraOf(fake.state).app = goodAppRegistration();
  });

  afterAll(async () => {
    await fake.stop();
  });

  async function signedIn(userId: string | undefined, options: Parameters<typeof signInAs>[2] = {}): Promise<SignedIn> {
    const one = await signInAs(fake, userId, options);
    opened.push(one);
    return one;
  }

  it('gives a token per API, each for its own audience, with the consented permissions', async () => {
    const { signIn } = await signedIn('ada');
    const endpoints = endpointsOf(fake);
    for (const api of ['powerplatform', 'bap', 'graph'] as const) {
      const token = await signIn.get(scopeFor(api, endpoints));
      expect(fake.state.tokens.get(token)).toMatchObject({ audience: scopeFor(api, endpoints).replace('/.default', ''), kind: 'delegated', userId: 'ada' });
    }
    const field = fake.state.tenant.environments.find((e) => e.name === 'contoso-field');
    const dataverse = await signIn.grant(scopeFor('dataverse', endpoints, field?.instanceUrl));
    expect(dataverse).toMatchObject({ permissions: ['user_impersonation'], appOnly: false });
    expect((await signIn.account())?.username).toBe('ada@contoso.com');
  });

  it('reuses a token until shortly before it expires instead of asking Entra each call', async () => {
    const { signIn } = await signedIn('ada');
    const scope = scopeFor('graph', endpointsOf(fake));
    const first = await signIn.get(scope);
    const before = fake.state.requests.length;
    expect(await signIn.get(scope)).toBe(first);
    expect(fake.state.requests.length).toBe(before);
  });

  it('shares the sign-in through the database, which another SECRET_KEY cannot open', async () => {
    const key = randomBytes(32);
    const first = await signedIn('grace', { box: secretBox(key) });
    const common = { tenantId: fake.state.tenant.tenantId, clientId: entraOf(fake.state).app.clientId, endpoints: endpointsOf(fake), db: first.db };
    const { networkClientTrusting } = await import('../platform/powerplatform/msal-network.ts');
    const sameKey = new MicrosoftSignIn({ ...common, box: secretBox(key), networkClient: networkClientTrusting(fake.tls.caPem) });
    const token = await sameKey.get(scopeFor('bap', endpointsOf(fake)));
    expect(fake.state.tokens.get(token)?.userId).toBe('grace');
    const otherKey = new MicrosoftSignIn({ ...common, box: secretBox(randomBytes(32)), networkClient: networkClientTrusting(fake.tls.caPem) });
    await expect(otherKey.get(scopeFor('bap', endpointsOf(fake)))).rejects.toBeInstanceOf(SignInRequiredError);
  });

  it('asks for a sign-in when none was made, or when Entra revoked it, as an unavailable platform', async () => {
    const none = await signedIn(undefined);
    const error = await none.signIn.get(scopeFor('graph', endpointsOf(fake))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInRequiredError);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect((error as Error).message).toContain('Run "npm run platform -- login"');
    const { signIn } = await signedIn('ada');
    entraOf(fake.state).refreshTokens.clear();
    const renew = await signIn.get(scopeFor('bap', endpointsOf(fake))).catch((e: unknown) => e);
    expect(renew).toBeInstanceOf(SignInRequiredError);
    expect((renew as Error).message).toMatch(/needs renewing \(invalid_grant\)/);
  });

  it('a new login replaces the administrator signed in before', async () => {
    const { signIn } = await signedIn('grace');
    await signIn.login((code) => approveDeviceCode(fake.state, code.userCode, 'ada'), 60);
    expect((await signIn.account())?.username).toBe('ada@contoso.com');
    const token = await signIn.get(scopeFor('bap', endpointsOf(fake)));
    expect(fake.state.tokens.get(token)?.userId).toBe('ada');
  });

  it('logout forgets the account here and in every process sharing the database', async () => {
    const { signIn } = await signedIn('ada');
    expect(await signIn.logout()).toBe(true);
    expect(await signIn.account()).toBeUndefined();
    await expect(signIn.get(scopeFor('bap', endpointsOf(fake)))).rejects.toBeInstanceOf(SignInRequiredError);
    expect(await signIn.logout()).toBe(false);
  });

  it('a logout in another process ends the tokens this one holds in memory', async () => {
    const key = randomBytes(32);
    const server = await signedIn('ada', { box: secretBox(key) });
    const scope = scopeFor('bap', endpointsOf(fake));
    await server.signIn.get(scope);
    const cli = new MicrosoftSignIn({ tenantId: fake.state.tenant.tenantId, clientId: entraOf(fake.state).app.clientId, endpoints: endpointsOf(fake), db: server.db, box: secretBox(key) });
    expect(await cli.logout()).toBe(true);
    await expect(server.signIn.get(scope)).rejects.toBeInstanceOf(SignInRequiredError);
  });

  it('calls Graph app-only with a client secret, with the application permissions', async () => {
    const { signIn, directory } = await signedIn('margaret', { clientSecret: entraOf(fake.state).app.clientSecret });
    const granted = await signIn.grant(scopeFor('graph', endpointsOf(fake)));
    expect(granted).toMatchObject({ appOnly: true, permissions: ['User.Read.All', 'RoleManagement.Read.Directory'] });
    expect(fake.state.tokens.get(granted.token)?.kind).toBe('app');
    expect((await directory.getUsers(['ada']))[0]).toMatchObject({ email: 'ada@contoso.com', globalAdministrator: true });
    const wrong = await signedIn('margaret', { clientSecret: 'not-the-secret' });
    await expect(wrong.signIn.get(scopeFor('graph', endpointsOf(fake)))).rejects.toBeInstanceOf(PlatformUnavailableError);
  });

  it('answers an unreachable Entra as an unavailable platform', async () => {
    const one = await signedIn('ada');
    const endpoints = { ...endpointsOf(fake), authorityHost: 'https://127.0.0.1:1' };
    const signIn = new MicrosoftSignIn({ tenantId: fake.state.tenant.tenantId, clientId: entraOf(fake.state).app.clientId, endpoints, db: one.db, box: secretBox() });
    await expect(signIn.login(() => {}, 5)).rejects.toThrow();
    await expect(signIn.get(scopeFor('graph', endpoints))).rejects.toBeInstanceOf(PlatformUnavailableError);
  });

  it("passes MSAL's warnings on without personal data or anything token-shaped", () => {
    const { log, lines } = capturedLog('debug');
    const logger = msalLogger(log);
    const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    logger(1, `refreshing with ${jwt} and 0.AAAA${'x'.repeat(60)}`, false);
    logger(1, 'user ada@contoso.com signed in', true);
    logger(3, 'verbose line', false);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain('refreshing with [token] and [redacted]');
    expect(lines().join('\n')).not.toContain(jwt);
    expect(scrubTokens('short text stays')).toBe('short text stays');
  });
});
