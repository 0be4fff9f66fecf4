// The two platforms the lifecycle, failure and custom-domain suites run on: the embedded simulator
// and the Power Platform driver against the fake of Microsoft's side. Each gives the product a
// Platform and gives tests the same controls (what another tenant or an admin does on the platform,
// and what the platform holds), so one test reads the same on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../app/logger.ts';
import type { OperationKind, Platform } from '../../platform/platform.ts';
import { PowerPlatformDirectory } from '../../platform/powerplatform/directory.ts';
import { PowerPlatform } from '../../platform/powerplatform/driver.ts';
import { MicrosoftHttp } from '../../platform/powerplatform/http.ts';
import type { License } from '../../platform/platform.ts';
import { endpointsOf, signInAs } from './fake-microsoft/signed-in.ts';
import { type FakeMicrosoft, startFakeMicrosoft } from './fake-microsoft/server.ts';
import { lcidOf } from './fake-microsoft/tenant.ts';
import { TEMPLATE_SOLUTIONS, websitesState } from './fake-microsoft/websites.ts';
import { ADD_ON_DEFINITIONS } from '../../vocabulary/catalog.ts';

export const PLATFORMS = ['local', 'powerplatform'] as const;
export type PlatformKind = (typeof PLATFORMS)[number];

/** The platform a suite runs on: PLATFORM=local or powerplatform runs one; unset runs both. */
export function platformsUnderTest(): PlatformKind[] {
  const only = process.env.TEST_PLATFORM;
  return only === 'local' || only === 'powerplatform' ? [only] : [...PLATFORMS];
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
export async function openPowerPlatform(options: { seedPath?: string } = {}): Promise<{ platform: TestPlatform; fake: FakeMicrosoft; close(): Promise<void> }> {
  const fake = await startFakeMicrosoft(options);
  const dir = mkdtempSync(join(tmpdir(), 'portal-ops-sign-in-'));
  const signedIn = await signInAs(fake, dir, 'ada', { cacheMs: 0 });
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
    signedIn.db.$client.close();
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
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
      fake.state.faults.push({ pathIncludes: '/powerpages/', times, answer: { status: 503, headers: { 'retry-after': '120' }, json: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } } } });
    },
  };
}
