// `npm run platform -- login | logout | doctor` as an admin runs them, in child processes against
// the fake Microsoft over HTTPS (its CA trusted through NODE_EXTRA_CA_CERTS), on a test database:
// the device-code sign-in, the token cache sealed at rest, the doctor's ✓ and ✗ with their fixes.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from '../db/database.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { entraOf, goodAppRegistration } from './support/fake-microsoft/entra.ts';
import { type FakeMicrosoft, startFakeMicrosoft } from './support/fake-microsoft/server.ts';
import { runLogin } from './support/platforms.ts';
import { runScript, startServer } from './support/process.ts';
import { sqlRow, storedText } from './support/rows.ts';

// Each test starts two to four processes (tsx, MSAL, a server): minutes on a loaded two-core machine.
describe('npm run platform -- login, logout and doctor against the fake Microsoft', { timeout: 120_000 }, () => {
  let fake: FakeMicrosoft;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
  });

  afterAll(async () => {
    await fake.stop();
  });

  afterEach(async () => {
    await database?.drop();
    database = undefined;
    entraOf(fake.state).app = goodAppRegistration();
  });

  async function freshDatabase(): Promise<TestDatabase> {
    database = await createTestDatabase();
    env = {
      ...fake.env(),
      PLATFORM: 'powerplatform',
      POWERPLATFORM_CLIENT_ID: entraOf(fake.state).app.clientId,
      POWERPLATFORM_LICENSES: 'production:10,trial:3',
      ...database.env,
      SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'debug',
    };
    return database;
  }

  async function platform(command: string): Promise<{ code: number | null; output: string }> {
    const child = runScript('scripts/platform.ts', [command], env);
    const code = await child.exited;
    return { code, output: child.output() };
  }

  /** Runs login, approves the code it prints as `userId`, and waits for it to finish. */
  const login = (userId: string) => runLogin(fake, env, userId);

  it('signs in with a device code, keeps the cache sealed in the database, and forgets it on logout', async () => {
    const database = await freshDatabase();
    const { code, output } = await login('ada');
    expect(output).toMatch(new RegExp(`To sign in, open ${fake.url}/entra/devicelogin and enter the code \\S+`));
    expect(output).toContain('Signed in as ada@contoso.com');
    expect(code).toBe(0);
    const secrets = [...entraOf(fake.state).refreshTokens.keys(), ...fake.state.tokens.keys()];
    expect(secrets.length).toBeGreaterThan(0);
    const db = await database.open();
    try {
      expect(await sqlRow(db, sql`select count(*) as n from platform_sign_in`)).toEqual({ n: 1 });
      const stored = await storedText(db, database.target);
      for (const secret of secrets) expect(stored).not.toContain(secret.slice(0, 40));
      expect(stored).not.toContain('ada@contoso.com');
    } finally {
      await closeDatabase(db);
    }
    for (const secret of secrets) expect(output).not.toContain(secret.slice(0, 40));
    const out = await platform('logout');
    expect(out).toMatchObject({ code: 0 });
    expect(out.output).toContain('Signed out');
    const after = await platform('doctor');
    expect(after.code).toBe(1);
    expect(after.output).toContain('✗ No Microsoft administrator is signed in');
    expect(after.output).toContain('fix: Run "npm run platform -- login"');
  });

  it('doctor: every check passes on a well set-up tenant', async () => {
    await freshDatabase();
    expect((await login('ada')).code).toBe(0);
    // Ada is System Administrator in three environments; the fourth gets her too.
    fake.state.tenant.roles.push({ environment: 'fabrikam-dev', userId: 'ada', role: 'System Administrator' });
    let ran: { code: number | null; output: string };
    try {
      ran = await platform('doctor');
    } finally {
      fake.state.tenant.roles.pop();
    }
    const { code, output } = ran;
    expect(output).not.toContain('✗');
    expect(output).toContain('✓ Signed in as ada@contoso.com');
    expect(output).toContain('✓ Microsoft Graph: RoleManagement.Read.Directory consented');
    expect(output).toContain('✓ Power Pages websites API answers');
    expect(output).toContain('✓ Fabrikam Sandbox: Dataverse answers; ada@contoso.com is System Administrator');
    expect(output).toContain('All checks passed.');
    expect(code).toBe(0);
  });

  it('doctor: names a permission not consented and a missing System Administrator role, with the fix', async () => {
    await freshDatabase();
    entraOf(fake.state).app.delegated.graph = ['User.Read.All'];
    expect((await login('ada')).code).toBe(0);
    const { code, output } = await platform('doctor');
    expect(code).toBe(1);
    expect(output).toContain('✗ Microsoft Graph: RoleManagement.Read.Directory is not consented (needed to tell Global Administrators)');
    expect(output).toContain('Add a permission → Microsoft Graph → Delegated permissions → RoleManagement.Read.Directory; then "Grant admin consent"');
    expect(output).toContain('✗ Microsoft Graph: role assignments cannot be read: 403 Authorization_RequestDenied');
    expect(output).toContain('✗ Fabrikam Sandbox: ada@contoso.com is not System Administrator');
    expect(output).toContain('fix: Give ada@contoso.com the System Administrator security role in Fabrikam Sandbox');
    expect(output).toMatch(/\d+ check\(s\) failed\./);
  });

  it('doctor: names each API permission missing on a bare app registration', async () => {
    await freshDatabase();
    const app = entraOf(fake.state).app;
    app.delegated = { powerplatform: [], bap: [], graph: [], dataverse: [] };
    expect((await login('ada')).code).toBe(0);
    const { code, output } = await platform('doctor');
    expect(code).toBe(1);
    for (const line of [
      '✗ Power Platform API: PowerPages.Websites.Read is not consented',
      '✗ Power Platform API: PowerPages.Websites.Write is not consented',
      '✗ PowerApps Service: User is not consented',
      '✗ Microsoft Graph: User.Read.All is not consented',
      '✗ Power Platform admin API: environments cannot be listed: 403',
    ]) {
      expect(output).toContain(line);
    }
  });

  it('login says why when the app registration does not allow the device code flow', async () => {
    await freshDatabase();
    entraOf(fake.state).app.allowPublicClient = false;
    const { code, output } = await login('ada');
    expect(code).toBe(1);
    expect(output).toMatch(/invalid_client/);
    expect(output).not.toMatch(/Signed in as/);
  });

  it("keeps the simulator commands on PLATFORM=local, and refuses each platform the other one's commands", async () => {
    await freshDatabase();
    const onSimulator = runScript('scripts/platform.ts', ['login'], database?.env ?? {});
    expect(await onSimulator.exited).toBe(2);
    expect(onSimulator.output()).toContain('"login" signs in to a Microsoft tenant: set PLATFORM=powerplatform');
    const onLocal = runScript('scripts/platform.ts', ['set-base-language', 'contoso-mea', 'fr-FR'], database?.env ?? {});
    expect(await onLocal.exited).toBe(0);
    expect(onLocal.output()).toMatch(/contoso-mea +Contoso Middle East +base fr-FR/);
    const show = await platform('show');
    expect(show.code).toBe(2);
    expect(show.output).toContain('with PLATFORM=powerplatform change the real one in the Power Platform admin center');
  });

  it('the server on PLATFORM=powerplatform reads the tenant from Microsoft: instances, roles, administrators, licenses', async () => {
    await freshDatabase();
    expect((await login('ada')).code).toBe(0);
    const made = runScript('scripts/token-create.ts', ['--name', 'e2e', '--scopes', 'read', '--user', 'ADA@contoso.com'], env);
    expect(await made.exited, made.output()).toBe(0);
    const apiToken = made.output().trim().split('\n').at(-1) ?? '';
    const { child, url } = await startServer('app/main.ts', { ...env, LOG_LEVEL: 'debug' });
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
        body: JSON.stringify({ query: '{ instances { name installedSolutions viewerRoles eligibleAdministrators { email globalAdministrator } } licenses { type quantity } }' }),
      });
      const body = (await response.json()) as {
        data?: { instances: Array<{ name: string; installedSolutions: string[]; viewerRoles: string[]; eligibleAdministrators: Array<{ email: string }> }>; licenses: unknown[] };
      };
      expect(body.data?.licenses).toEqual([
        { type: 'PRODUCTION', quantity: 10 },
        { type: 'TRIAL', quantity: 3 },
      ]);
      const field = body.data?.instances.find((i) => i.name === 'Contoso Field Operations');
      expect(field).toMatchObject({ installedSolutions: ['Field Service', 'Project Service Automation'], viewerRoles: ['SYSTEM_ADMINISTRATOR'] });
      expect(field?.eligibleAdministrators.map((u) => u.email).sort()).toEqual(['ada@contoso.com', 'margaret@contoso.com']);
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
    const secrets = [...entraOf(fake.state).refreshTokens.keys(), ...fake.state.tokens.keys()];
    for (const secret of secrets) expect(child.output()).not.toContain(secret.slice(0, 40));
  });

  it('the server before any login answers 503 PLATFORM_UNAVAILABLE, saying to run login', async () => {
    await freshDatabase();
    const made = runScript('scripts/token-create.ts', ['--name', 'service', '--scopes', 'read'], env);
    expect(await made.exited, made.output()).toBe(0);
    const apiToken = made.output().trim().split('\n').at(-1) ?? '';
    const { child, url } = await startServer('app/main.ts', env);
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
        body: JSON.stringify({ query: '{ instances { name } }' }),
      });
      const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(body.errors?.[0]?.extensions?.code).toBe('PLATFORM_UNAVAILABLE');
      expect(body.errors?.[0]?.message).toContain('Run "npm run platform -- login"');
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  });
});
