// The two platforms the lifecycle, failure and custom-domain suites run on: the embedded simulator
// and the Power Platform driver against the fake of Microsoft's side. Each gives the product a
// Platform and gives tests the same controls (what another tenant or an admin does on the platform,
// and what the platform holds), so one test reads the same on both.
import { createLogger } from '../../app/logger.ts';
import type { OperationKind, Platform } from '../../platform/platform.ts';
import { PowerPlatformDirectory } from '../../platform/powerplatform/directory.ts';
import { PowerPlatform } from '../../platform/powerplatform/driver.ts';
import { type AccessTokens, MicrosoftHttp } from '../../platform/powerplatform/http.ts';
import type { MicrosoftEndpoints } from '../../platform/powerplatform/scopes.ts';
import type { License } from '../../platform/platform.ts';
import { goodAppRegistration, type ApiKind } from './fake-microsoft/entra.ts';
import { type FakeMicrosoft, startFakeMicrosoft } from './fake-microsoft/server.ts';
import { lcidOf } from './fake-microsoft/tenant.ts';
import { TEMPLATE_SOLUTIONS, websitesState } from './fake-microsoft/websites.ts';
import { ADD_ON_DEFINITIONS } from '../../core/catalog.ts';

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

const ENDPOINT_PATHS = { powerPlatform: '/powerplatform-api', bap: '/bap', graph: '/graph' } as const;

export function fakeEndpoints(fake: FakeMicrosoft): MicrosoftEndpoints {
  return {
    authorityHost: `${fake.url}/entra`,
    powerPlatform: `${fake.url}${ENDPOINT_PATHS.powerPlatform}`,
    bap: `${fake.url}${ENDPOINT_PATHS.bap}`,
    graph: `${fake.url}${ENDPOINT_PATHS.graph}`,
  };
}

/**
 * Tokens of ada@contoso.com as the fake's token endpoint would give them after `login`, issued
 * straight into the fake: the in-process suites are about the driver; sign-in has its own tests.
 */
function signedInAs(fake: FakeMicrosoft, userId: string): AccessTokens {
  const granted = goodAppRegistration().delegated;
  const cache = new Map<string, string>();
  const apiOf = (audience: string): ApiKind =>
    audience.endsWith('/powerplatform-api') ? 'powerplatform' : audience.endsWith('/bap') ? 'bap' : audience.endsWith('/graph') ? 'graph' : 'dataverse';
  return {
    async get(scope) {
      const audience = scope.replace(/\/\.default$/, '');
      let token = cache.get(audience);
      if (!token) {
        token = fake.state.issueToken({ audience, kind: 'delegated', userId, scopes: granted[apiOf(audience)] });
        cache.set(audience, token);
      }
      return token;
    },
  };
}

/** The Power Platform driver in this process, against a fake started for it. */
export async function openPowerPlatform(options: { seedPath?: string } = {}): Promise<{ platform: TestPlatform; fake: FakeMicrosoft; close(): Promise<void> }> {
  const fake = await startFakeMicrosoft(options);
  const endpoints = fakeEndpoints(fake);
  const http = new MicrosoftHttp({ tokens: signedInAs(fake, 'ada'), ca: fake.tls.caPem, timeoutMs: 5_000, backoffMs: 50, log: createLogger('silent') });
  const licenses: License[] = fake.state.tenant.licenses.map((l) => ({ ...l }));
  const directory = new PowerPlatformDirectory({ http, endpoints, licenses, cacheMs: 0 });
  const driver = new PowerPlatform({ http, directory, endpoints });
  const controls = fakeControls(fake);
  const platform = new Proxy(driver, {
    get: (target, property, receiver) => (property in controls ? controls[property as keyof PlatformControls] : Reflect.get(target, property, receiver)),
  }) as unknown as TestPlatform;
  return { platform, fake, close: () => fake.stop() };
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
