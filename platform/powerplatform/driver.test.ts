// The websites half of the Power Platform driver against the fake Microsoft over HTTPS: the fault
// switches (429 with both Retry-After forms, 5xx, a create whose answer is lost, SubdomainConflict,
// a missing role), paging, Operation-Location handling, and the tokens the websites API refuses.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeMicrosoft } from '../../test/support/fake-microsoft/server.ts';
import { websitesState } from '../../test/support/fake-microsoft/websites.ts';
import { openPowerPlatform, type TestPlatform } from '../../test/support/platforms.ts';
import type { OperationState, PortalSpec } from '../platform.ts';
import { MicrosoftApiError, MicrosoftHttp } from './http.ts';
import { WebsitesApi } from './websites.ts';

let platform: TestPlatform;
let fake: FakeMicrosoft;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ platform, fake, close } = await openPowerPlatform());
});
afterEach(() => close());

const spec = (subdomain: string, overrides: Partial<PortalSpec> = {}): PortalSpec => ({
  name: 'Contoso Partners',
  subdomain,
  instanceId: 'contoso-field',
  language: 'en-US',
  portalType: 'PARTNER',
  addOns: [],
  ...overrides,
});

/** Polls an operation until it is no longer running. */
async function settle(id: string): Promise<OperationState> {
  for (let i = 0; i < 50; i += 1) {
    const [state] = await platform.getOperations([id]);
    if (state && state.status !== 'RUNNING') return state;
  }
  throw new Error(`operation ${id} still running`);
}

const posts = (path: string) => fake.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path));

describe('creating a site', () => {
  it('posts the site with the environment organization, the LCID and the template, and follows Operation-Location', async () => {
    const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:1:1:CREATE_RESOURCES', spec('first-site'));
    expect(await settle(id)).toMatchObject({ status: 'SUCCEEDED' });
    const [site] = websitesState(fake.state).websites;
    expect(site).toMatchObject({ subdomain: 'first-site', selectedBaseLanguage: 1033, templateName: 'PartnerPortal', name: 'Contoso Partners', status: 'OperationComplete' });
    expect(site?.dataverseOrganizationId).toBe(fake.state.tenant.environments.find((e) => e.name === 'contoso-field')?.organizationId);
    // The fake's Operation-Location has no api-version; the polls added it (the fake refuses polls without).
    const polls = fake.state.requests.filter((r) => r.path.includes('/operations/'));
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.every((r) => r.status === 200)).toBe(true);
  });

  it('adopts a site whose create answer was lost instead of making a second one', async () => {
    fake.state.faults.push({ method: 'POST', pathIncludes: '/websites', loseAnswer: true });
    const [lost] = await platform.startOperations([{ kind: 'CREATE_RESOURCES', key: 'portal:7:1:CREATE_RESOURCES', spec: spec('lost-answer') }], { concurrency: 1 });
    expect(lost).toEqual({ error: expect.stringContaining('could not be reached') });
    expect(websitesState(fake.state).websites.map((w) => w.subdomain)).toEqual(['lost-answer']);

    const again = await platform.startOperation('CREATE_RESOURCES', 'portal:7:1:CREATE_RESOURCES', spec('lost-answer'));
    expect(await settle(again.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(posts('/websites')).toHaveLength(1);
    expect(websitesState(fake.state).creates.get('lost-answer')).toBe(1);
  });

  it('never posts a create twice after a 5xx, but retries reads', async () => {
    fake.state.faults.push({ method: 'POST', pathIncludes: '/websites', answer: { status: 500, json: { error: { code: 'InternalServerError', message: 'boom' } } } });
    const [failed] = await platform.startOperations([{ kind: 'CREATE_RESOURCES', key: 'portal:8:1:CREATE_RESOURCES', spec: spec('five-hundred') }], { concurrency: 1 });
    expect(failed).toEqual({ error: 'The Power Platform API answered 500 InternalServerError: boom' });
    expect(posts('/websites')).toHaveLength(1);

    fake.state.faults.push({ method: 'GET', pathIncludes: '/websites', times: 2, answer: { status: 502, json: {} } });
    const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:8:2:CREATE_RESOURCES', spec('five-hundred'));
    expect(await settle(id)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('waits as a 429 asks, in seconds and as an HTTP date', async () => {
    const tooMany = { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded.' } };
    fake.state.faults.push({ method: 'GET', pathIncludes: '/websites', answer: { status: 429, headers: { 'retry-after': '1' }, json: tooMany } });
    fake.state.faults.push({ method: 'POST', pathIncludes: '/websites', answer: { status: 429, headers: { 'retry-after': new Date(Date.now() + 1_000).toUTCString() }, json: tooMany } });
    const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:9:1:CREATE_RESOURCES', spec('rate-limited'));
    expect(await settle(id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(fake.state.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(posts('/websites').filter((r) => r.status === 202)).toHaveLength(1);
  });

  it('says a subdomain another tenant holds is taken, as the simulator does', async () => {
    await platform.takeSubdomain('taken-elsewhere');
    const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:2:1:CREATE_RESOURCES', spec('taken-elsewhere'));
    expect(await settle(id)).toEqual({
      id,
      status: 'FAILED',
      error: 'The portal URL taken-elsewhere is already taken on the portal platform. Change the portal URL and restart provisioning.',
    });
  });

  it('names the missing role when the signed-in admin may not manage the environment', async () => {
    const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:3:1:CREATE_RESOURCES', spec('fabrikam-site', { instanceId: 'fabrikam-dev' }));
    const state = await settle(id);
    expect(state.status).toBe('FAILED');
    expect(state.error).toContain('System Administrator role');
    expect(state.error).toContain('npm run platform -- login');
  });

  it('reads every page of the sites list', async () => {
    for (const n of [1, 2, 3, 4, 5]) await settle((await platform.startOperation('CREATE_RESOURCES', `portal:${n}:1:CREATE_RESOURCES`, spec(`paged-${n}`))).id);
    expect(fake.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/websites')).length).toBeGreaterThan(5);
    expect(await platform.subdomainAvailability('paged-5')).toBe('TAKEN');
    expect(await platform.subdomainAvailability('paged-5', 'portal:5')).toBe('FREE');
    expect(await platform.subdomainAvailability('never-made')).toBe('FREE');
  });
});

describe('custom domains', () => {
  it('refuses a custom domain on a trial site in words an admin can act on', async () => {
    websitesState(fake.state).newSiteType = 'Trial';
    await settle((await platform.startOperation('CREATE_RESOURCES', 'portal:4:1:CREATE_RESOURCES', spec('trial-site'))).id);
    const certificate = { pfx: new Uint8Array([1]), password: 'x', thumbprintSha1: 'AB' };
    const { id } = await platform.startOperation('BIND_SSL', 'domain:1:1:BIND_SSL', spec('trial-site', { hostname: 'portal.contoso.com', certificate }));
    expect((await settle(id)).error).toBe(
      'portal.contoso.com cannot be bound: trial-site is a trial site, and only production sites can have a custom domain. Convert the site to production in the Power Pages admin center, then check the domain again.',
    );
  });
});

describe('the websites API as the fake serves it', () => {
  const api = (token: string) => new MicrosoftHttp({ tokens: { get: async () => token }, ca: fake.tls.caPem, attempts: 1 });
  const list = (http: MicrosoftHttp) =>
    http.request({
      api: 'powerplatform',
      method: 'GET',
      url: `${fake.url}/powerplatform-api/powerpages/environments/contoso-field/websites?api-version=2024-10-01`,
      idempotent: true,
      scope: 'x',
    });

  it('refuses an app-only token and a token for another audience', async () => {
    const appOnly = fake.state.issueToken({ audience: `${fake.url}/powerplatform-api`, kind: 'app', scopes: ['PowerPages.Websites.Write'] });
    await expect(list(api(appOnly))).rejects.toMatchObject({ status: 403 });
    const graph = fake.state.issueToken({ audience: `${fake.url}/graph`, kind: 'delegated', userId: 'ada', scopes: ['User.Read.All'] });
    const error = await list(api(graph)).catch((e) => e);
    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({ status: 401, code: 'InvalidAuthenticationToken' });
    expect(error.message).not.toContain(graph);
  });

  it('follows an Operation-Location only on its own host, adding the api-version it lacks', () => {
    const sites = new WebsitesApi(api('t'), `${fake.url}/powerplatform-api`, 'x');
    expect(sites.sameHost(`${fake.url}/powerplatform-api/powerpages/environments/e/operations/1`)).toBe(
      `${fake.url}/powerplatform-api/powerpages/environments/e/operations/1?api-version=2024-10-01`,
    );
    expect(() => sites.sameHost('https://collector.example.net/operations/1')).toThrow('not followed');
  });
});

describe('a token Microsoft refuses', () => {
  it('holds provisioning back until a login instead of failing the portal', async () => {
    fake.state.faults.push({ pathIncludes: '/powerpages/', times: 1, answer: { status: 401, json: { error: { code: 'InvalidAuthenticationToken', message: 'The token is expired.' } } } });
    const [answer] = await platform.startOperations([{ kind: 'CREATE_RESOURCES', key: 'portal:5:1:CREATE_RESOURCES', spec: spec('refused-token') }], { concurrency: 1 });
    expect(answer).toEqual({ error: expect.stringContaining('Run npm run platform -- login') });
    const { id } = await platform.startOperation('CREATE_RESOURCES', 'portal:5:1:CREATE_RESOURCES', spec('refused-token'));
    fake.state.faults.push({ pathIncludes: '/operations/', times: 1, answer: { status: 401, json: { error: { code: 'InvalidAuthenticationToken', message: 'The token is expired.' } } } });
    await expect(platform.getOperations([id])).rejects.toThrow('Run npm run platform -- login');
    expect(await settle(id)).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('provisioning again with new values', () => {
  it('deletes the site made with the old language and makes it again, keeping the URL', async () => {
    await settle((await platform.startOperation('CREATE_RESOURCES', 'portal:20:1:CREATE_RESOURCES', spec('relabelled', { instanceId: 'contoso-mea' }))).id);
    const request = { kind: 'CREATE_RESOURCES' as const, key: 'portal:20:2:CREATE_RESOURCES', spec: spec('relabelled', { instanceId: 'contoso-mea', language: 'fr-FR' }) };
    const [first] = await platform.startOperations([request], { concurrency: 1 });
    expect(first).toEqual({ error: "The earlier site at relabelled is being deleted, to be created again with the portal's values." });
    let answer = first;
    for (let i = 0; i < 10 && answer && 'error' in answer; i += 1) [answer] = await platform.startOperations([request], { concurrency: 1 });
    expect(answer).toEqual({ id: expect.any(String) });
    expect(await settle((answer as { id: string }).id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(websitesState(fake.state).websites.map((w) => [w.subdomain, w.selectedBaseLanguage])).toEqual([['relabelled', 1036]]);
  });

  it('moves the site to the new instance', async () => {
    await settle((await platform.startOperation('CREATE_RESOURCES', 'portal:21:1:CREATE_RESOURCES', spec('moving', { instanceId: 'contoso-sales' }))).id);
    const request = { kind: 'CREATE_RESOURCES' as const, key: 'portal:21:2:CREATE_RESOURCES', spec: spec('moving', { instanceId: 'contoso-field' }) };
    let [answer] = await platform.startOperations([request], { concurrency: 1 });
    for (let i = 0; i < 10 && answer && 'error' in answer; i += 1) [answer] = await platform.startOperations([request], { concurrency: 1 });
    expect(await settle((answer as { id: string }).id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(websitesState(fake.state).websites.map((w) => [w.subdomain, w.environment])).toEqual([['moving', 'contoso-field']]);
  });
});
