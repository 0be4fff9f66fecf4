// The two platforms the lifecycle, failure and custom-domain suites run on: the embedded simulator
// and the Power Platform driver against the fake of Microsoft's side. Each gives the product a
// Platform and gives tests the same controls (what another tenant or an admin does on the platform,
// and what the platform holds), so one test reads the same on both.

import { randomBytes } from 'node:crypto';
import { createLogger } from '../../app/logger.ts';
import { closeDatabase } from '../../db/database.ts';
import { SAMPLE_SEED_PATH } from '../../platform/local/seed.ts';
import { LocalPlatform } from '../../platform/local/simulator.ts';
import type { License, OperationKind, Platform } from '../../platform/platform.ts';
import { PowerPlatformDirectory } from '../../platform/powerplatform/directory.ts';
import { PowerPlatform } from '../../platform/powerplatform/driver.ts';
import { MicrosoftHttp } from '../../platform/powerplatform/http.ts';
import { ADD_ON_DEFINITIONS } from '../../vocabulary/catalog.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { approveDeviceCode, entraOf } from './fake-microsoft/entra.ts';
import { type FakeMicrosoft, startFakeMicrosoft } from './fake-microsoft/server.ts';
import { endpointsOf, signInAs } from './fake-microsoft/signed-in.ts';
import { lcidOf } from './fake-microsoft/tenant.ts';
import { TEMPLATE_SOLUTIONS, websitesState } from './fake-microsoft/websites.ts';
import { runScript } from './process.ts';

export const PLATFORMS = ['local', 'powerplatform'] as const;
export type PlatformKind = (typeof PLATFORMS)[number];

/**
 * The platforms a suite runs on: TEST_PLATFORM=local or powerplatform names one; unset, both, except
 * in the fast tier (TEST_TIER=fast), which keeps to the simulator (the driver's own tests still run there).
 */
export function platformsUnderTest(): PlatformKind[] {
  const only = process.env.TEST_PLATFORM;
  if (only === 'local' || only === 'powerplatform') return [only];
  return process.env.TEST_TIER === 'fast' ? ['local'] : [...PLATFORMS];
}

export interface Binding {
  hostname: string;
  subdomain: string;
  certificateThumbprint: string;
  operationId: string;
}

/** What tests do to the platform and read from it, beside the product's own calls. */
export interface PlatformControls {
  /** Operations of a kind the platform carried out for a subdomain (creates, package installs, bindings). */
  countOperations(filter?: { subdomain?: string; kind?: OperationKind }): Promise<number>;
  /** Another tenant takes a portal URL. */
  takeSubdomain(subdomain: string): Promise<void>;
  /** The admin changes an instance's base language. */
  setBaseLanguage(instanceId: string, code: string): Promise<void>;
  setSolutions(instanceId: string, solutions: string[]): Promise<void>;
  /** The SSL bindings the platform holds now. */
  listBindings(): Promise<Binding[]>;
  /** The next `times` calls about this portal fail as unreachable. */
  makeUnavailable(subdomain: string, times: number): Promise<void>;
}

export type TestPlatform = Platform & PlatformControls;

/** Solutions a portal's install puts in an environment (its template's, its add-ons'). */
const PORTAL_SOLUTIONS = new Set([...Object.values(TEMPLATE_SOLUTIONS), ...Object.values(ADD_ON_DEFINITIONS).map((d) => d.name)]);

/**
 * The Power Platform driver in this process, against a fake started for it, signed in as
 * ada@contoso.com through MSAL's device-code flow against the fake Entra (as `login` does). Reads are
 * not cached, so what a test changes on the platform is seen at once.
 */
export async function openPowerPlatform(options: { seedPath?: string; fake?: FakeMicrosoft } = {}): Promise<{ platform: TestPlatform; fake: FakeMicrosoft; close(): Promise<void> }> {
  const own = !options.fake;
  const fake = options.fake ?? (await startFakeMicrosoft(options.seedPath ? { seedPath: options.seedPath } : {}));
  const signedIn = await signInAs(fake, 'ada', { cacheMs: 0 });
  const endpoints = endpointsOf(fake);
  const http = new MicrosoftHttp({ tokens: signedIn.signIn, ca: fake.tls.caPem, timeoutMs: 5_000, backoffMs: 50, log: createLogger('silent') });
  const licenses: License[] = fake.state.tenant.licenses.map((l) => ({ ...l }));
  const directory = new PowerPlatformDirectory({ http, endpoints, licenses, cacheMs: 0 });
  const driver = new PowerPlatform({ http, directory, endpoints });
  const controls = fakeControls(fake);
  const platform = new Proxy(driver, {
    get: (target, property, receiver) => (property in controls ? controls[property as keyof PlatformControls] : Reflect.get(target, property, receiver)),
  }) as unknown as TestPlatform;
  const close = async () => {
    await signedIn.close();
    if (own) await fake.stop();
  };
  return { platform, fake, close };
}

function fakeControls(fake: FakeMicrosoft): PlatformControls {
  const tenant = fake.state.tenant;
  const sites = websitesState(fake.state);
  const environment = (id: string) => {
    const env = tenant.environments.find((e) => e.name === id);
    if (!env) throw new Error(`no environment ${id} in the fake tenant`);
    return env;
  };
  return {
    async countOperations({ subdomain, kind } = {}) {
      const mine = sites.websites.filter((w) => !subdomain || w.subdomain === subdomain);
      if (kind === 'CREATE_RESOURCES') return subdomain ? (sites.creates.get(subdomain) ?? 0) : [...sites.creates.values()].reduce((a, b) => a + b, 0);
      if (kind === 'INSTALL_PACKAGE') return mine.reduce((n, w) => n + w.installs, 0);
      if (kind === 'BIND_SSL') return fake.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sslBindings') && r.status === 200).length;
      return fake.state.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith('/customDomain')).length;
    },
    async takeSubdomain(subdomain) {
      tenant.takenSubdomains.add(subdomain.toLowerCase());
    },
    async setBaseLanguage(instanceId, code) {
      const env = environment(instanceId);
      env.baseLanguage = lcidOf(code);
      if (!env.languages.includes(env.baseLanguage)) env.languages.push(env.baseLanguage);
    },
    /** The solutions the admin installed; what the platform installed for portals stays. */
    async setSolutions(instanceId, solutions) {
      const env = environment(instanceId);
      env.solutions = [...solutions, ...env.solutions.filter((s) => PORTAL_SOLUTIONS.has(s) && !solutions.includes(s))];
    },
    async listBindings() {
      return sites.websites
        .flatMap((w) =>
          w.sslBindings.map((b) => ({
            hostname: b.HostName,
            subdomain: w.subdomain,
            certificateThumbprint: w.certificates.find((c) => c.Thumbprint === b.Thumbprint)?.sha256 ?? b.Thumbprint,
            operationId: `${w.id}:${b.HostName}`,
          })),
        )
        .sort((a, b) => a.hostname.localeCompare(b.hostname));
    },
    async makeUnavailable(subdomain, times) {
      void subdomain;
      fake.state.faults.push({
        pathIncludes: '/powerpages/',
        times,
        answer: { status: 503, headers: { 'retry-after': '120' }, json: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } } },
      });
    },
  };
}

export interface ProductOn {
  /** The environment of a product process (npm start, scripts) on this platform, the database's (DATABASE_URL or DATABASE_PATH) included. */
  env: Record<string, string>;
  /** The product's database. */
  database: TestDatabase;
  /** The same platform in this process, with its controls: what the product process sees, tests change. */
  platform: TestPlatform;
  close(): Promise<void>;
}

/**
 * A product process's environment on the platform named, on `database` (a new test database of the
 * default kind unless given; one made here is dropped by close()). On Power Platform: the fake
 * started, its CA trusted through NODE_EXTRA_CA_CERTS, the endpoint variables, and the database
 * signed in by `npm run platform -- login` (the device code approved as ada@contoso.com).
 */
export async function productOn(kind: PlatformKind, database?: TestDatabase, env: Record<string, string> = {}): Promise<ProductOn> {
  const own = database ? undefined : await createTestDatabase();
  const on = (database ?? own) as TestDatabase;
  try {
    const product = await productOnDatabase(kind, on, env);
    return {
      ...product,
      close: async () => {
        await product.close();
        await own?.drop();
      },
    };
  } catch (error) {
    await own?.drop();
    throw error;
  }
}

async function productOnDatabase(kind: PlatformKind, database: TestDatabase, env: Record<string, string>): Promise<ProductOn> {
  const secretKey = randomBytes(32).toString('base64');
  if (kind === 'local') {
    const db = await database.open();
    const platform = await LocalPlatform.connect(db, env.PLATFORM_SEED ?? SAMPLE_SEED_PATH, 'fast');
    return { env: { ...database.env, SECRET_KEY: secretKey, PLATFORM_SPEED: 'fast', ...env }, database, platform, close: () => closeDatabase(db) };
  }
  const fake = await startFakeMicrosoft();
  const productEnv = {
    ...fake.env(),
    PLATFORM: 'powerplatform',
    POWERPLATFORM_CLIENT_ID: entraOf(fake.state).app.clientId,
    POWERPLATFORM_LICENSES: fake.state.tenant.licenses.map((l) => `${l.type.toLowerCase()}:${l.quantity}`).join(','),
    PORTAL_DOMAIN: 'portals.test',
    PLATFORM_SPEED: 'fast',
    ...database.env,
    SECRET_KEY: secretKey,
    ...env,
  };
  try {
    await loginAs(fake, productEnv, 'ada');
    const opened = await openPowerPlatform({ fake });
    const close = async () => {
      await opened.close();
      await fake.stop();
    };
    return { env: productEnv, database, platform: opened.platform, close };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}

/** Runs `npm run platform -- login` in a child process, approves the code it prints as `userId`, and waits for it to end. */
export async function runLogin(fake: FakeMicrosoft, env: Record<string, string>, userId: string): Promise<{ code: number | null; output: string }> {
  const child = runScript('scripts/platform.ts', ['login'], env);
  let userCode: string | undefined;
  while (!userCode && child.process.exitCode === null) {
    userCode = /enter the code (\S+)/.exec(child.output())?.[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (userCode) approveDeviceCode(fake.state, userCode, userId);
  const code = await child.exited;
  return { code, output: child.output() };
}

/** A login that must succeed. */
async function loginAs(fake: FakeMicrosoft, env: Record<string, string>, userId: string): Promise<void> {
  const { code, output } = await runLogin(fake, env, userId);
  if (code !== 0) throw new Error(`npm run platform -- login failed:\n${output}`);
}
