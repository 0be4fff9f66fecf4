// requestPortal through GraphQL (yoga.fetch) on a test database with the sample tenant.

import { encodeGlobalID } from '@pothos/plugin-relay';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlRow } from './support/rows.ts';
import { instanceId, openTestTenant, portalInput, REQUEST_PORTAL, seedWithLicenses, type TestTenant, tempDir, userId } from './support/tenant.ts';

let tenant: TestTenant;
let ada: string;

beforeEach(async () => {
  tenant = await openTestTenant();
  ada = await tenant.token({ email: 'ada@contoso.com' });
});
afterEach(() => tenant.close());

async function request(input: Record<string, unknown>, token = ada) {
  const { status, body } = await tenant.gql(REQUEST_PORTAL, { input }, token);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.requestPortal;
}

async function counts() {
  const row = await sqlRow(tenant.db, sql`select (select count(*) from portals) as portals, (select count(*) from events) as events, (select count(*) from portal_add_ons) as "addOns"`);
  return row as { portals: number; events: number; addOns: number };
}

/** Sends a request that must fail on `field`, and checks that nothing was written. */
async function refused(input: Record<string, unknown>, field: string, token = ada) {
  const before = await counts();
  const result = await request(input, token);
  expect(result.__typename).toBe('ValidationError');
  const problem = result.fields.find((f: { field: string }) => f.field === field);
  expect(problem, `expected a problem on ${field}, got ${JSON.stringify(result.fields)}`).toBeDefined();
  expect(await counts()).toEqual(before);
  return problem.message as string;
}

describe('requesting a portal', () => {
  it('creates it awaiting the terms, holding a production license, with an event', async () => {
    const result = await request(portalInput());
    expect(result.__typename).toBe('PortalPayload');
    expect(result.portal).toMatchObject({
      name: 'Contoso Partners',
      displayName: 'Contoso Partners',
      status: 'AWAITING_TERMS',
      type: 'PRODUCTION',
      subdomain: 'contoso-partners',
      url: 'https://contoso-partners.portals.test',
      language: 'en-US',
      audience: 'PARTNER',
      portalType: 'PARTNER',
      addOns: ['PARTNER_FIELD_SERVICE'],
      instance: { id: instanceId('contoso-field'), name: 'Contoso Field Operations' },
      administrator: { id: userId('margaret'), email: 'margaret@contoso.com' },
      resourceStatus: null,
      packageStatus: null,
    });
    expect(result.portal.features).toContain('Partner Onboarding');
    const { body } = await tenant.gql(`query($id: ID!) { events(portalId: $id, first: 10) { nodes { type actor message } } licenses { id used available } }`, { id: result.portal.id }, ada);
    expect(body.data.events.nodes).toEqual([{ type: 'PORTAL_REQUESTED', actor: 'user:ada', message: 'Ada Lovelace requested the portal Contoso Partners (contoso-partners).' }]);
    expect(body.data.licenses).toContainEqual({ id: 'portal-addon', used: 1, available: 4 });
  });

  it('stores the subdomain lower-case', async () => {
    const result = await request(portalInput({ subdomain: 'Contoso-PARTNERS' }));
    expect(result.portal.subdomain).toBe('contoso-partners');
  });

  it.each([
    ['under_score', 'remove "_"'],
    ['with space', 'remove space'],
    ['dot.ted', 'remove "."'],
    ['naïve', 'remove "ï"'],
    ['-leading', 'hyphen'],
    ['trailing-', 'hyphen'],
    ['a'.repeat(64), 'at most 63'],
    ['x'.repeat(10_000), 'at most 63'],
  ])('refuses the subdomain %j', async (subdomain, hint) => {
    expect(await refused(portalInput({ subdomain }), 'subdomain')).toContain(hint);
  });

  it('refuses a subdomain already taken, whatever its case', async () => {
    await request(portalInput());
    expect(await refused(portalInput({ subdomain: 'CONTOSO-Partners', name: 'Other' }), 'subdomain')).toContain('already taken');
  });

  it('refuses a subdomain the portal platform says is taken, before any license is held', async () => {
    expect(await refused(portalInput({ subdomain: 'Contoso' }), 'subdomain')).toBe('The portal URL contoso is already taken on the portal platform; choose another subdomain.');
  });

  it('refuses a language the instance lacks, and Arabic and Hebrew even where installed', async () => {
    expect(await refused(portalInput({ language: 'de-DE' }), 'language')).toBe('German is not installed in Contoso Field Operations; choose one of its languages.');
    const mea = { instanceId: instanceId('contoso-mea'), administratorId: userId('barbara'), audience: 'CUSTOMER', portalType: 'COMMUNITY', addOns: [] };
    expect(await refused(portalInput({ ...mea, language: 'ar-SA' }), 'language')).toContain('Arabic is not supported');
    expect(await refused(portalInput({ ...mea, language: 'he-IL' }), 'language')).toContain('Hebrew is not supported');
    expect(await refused(portalInput({ ...mea, language: 'xx-YY' }), 'language')).toContain('not a language code');
    expect((await request(portalInput({ ...mea, language: 'fr-FR' }))).__typename).toBe('PortalPayload');
  });

  it('refuses an instance where the requester is neither System Administrator nor System Customizer', async () => {
    const message = await refused(portalInput({ instanceId: instanceId('fabrikam-dev'), administratorId: userId('barbara'), language: 'de-DE', addOns: [] }), 'instanceId');
    expect(message).toBe('You need the System Administrator or System Customizer role in Fabrikam Sandbox to link a portal to it.');
  });

  it('lets a System Customizer pick the instance', async () => {
    const grace = await tenant.token({ email: 'grace@contoso.com' });
    const result = await request(
      portalInput({ instanceId: instanceId('contoso-sales'), administratorId: userId('margaret'), audience: 'CUSTOMER', portalType: 'CUSTOMER_SELF_SERVICE', addOns: [] }),
      grace,
    );
    expect(result.__typename).toBe('PortalPayload');
  });

  it('refuses an administrator who is not System Administrator in the instance', async () => {
    expect(await refused(portalInput({ administratorId: userId('ken') }), 'administratorId')).toBe('Ken Thompson is not a System Administrator in Contoso Field Operations.');
    expect(await refused(portalInput({ administratorId: userId('nobody') }), 'administratorId')).toContain('not in the directory');
  });

  it('refuses a portal type outside the audience', async () => {
    expect(await refused(portalInput({ audience: 'EMPLOYEE', addOns: [] }), 'portalType')).toBe(
      'A Partner Portal is not offered for the Employee audience; choose Employee Self-Service Portal.',
    );
  });

  it('refuses add-ons on a portal type other than Partner, and add-ons whose solution is missing', async () => {
    expect(await refused(portalInput({ audience: 'CUSTOMER', portalType: 'COMMUNITY' }), 'addOns')).toContain('only for a Partner Portal');
    const sales = { instanceId: instanceId('contoso-sales'), administratorId: userId('ada') };
    expect(await refused(portalInput({ ...sales, addOns: ['PARTNER_PROJECT_SERVICE'] }), 'addOns')).toBe(
      'Partner Project Service needs Project Service Automation installed in Contoso Sales.',
    );
  });

  it('takes both add-ons where both solutions are installed', async () => {
    const result = await request(portalInput({ addOns: ['PARTNER_PROJECT_SERVICE', 'PARTNER_FIELD_SERVICE'] }));
    expect([...result.portal.addOns].sort()).toEqual(['PARTNER_FIELD_SERVICE', 'PARTNER_PROJECT_SERVICE']);
  });

  it('refuses malformed global IDs and IDs of another type', async () => {
    await refused(portalInput({ instanceId: 'not-a-global-id' }), 'instanceId');
    await refused(portalInput({ instanceId: encodeGlobalID('Portal', '1') }), 'instanceId');
    await refused(portalInput({ administratorId: '%%%' }), 'administratorId');
  });

  it('refuses an empty or oversized name', async () => {
    expect(await refused(portalInput({ name: '  ' }), 'name')).toBe('Enter a name for the portal.');
    expect(await refused(portalInput({ name: 'n'.repeat(5000) }), 'name')).toContain('at most 100');
  });

  it('lists every problem at once', async () => {
    const before = await counts();
    const result = await request(portalInput({ name: '', subdomain: 'bad_name', language: 'ar-SA', administratorId: userId('ken'), audience: 'EMPLOYEE' }));
    expect(result.__typename).toBe('ValidationError');
    expect(result.fields.map((f: { field: string }) => f.field).sort()).toEqual(['administratorId', 'language', 'name', 'portalType', 'subdomain'].sort());
    expect(await counts()).toEqual(before);
  });

  it('refuses a user who is not Global Administrator, and a service token', async () => {
    const margaret = await tenant.token({ email: 'margaret@contoso.com' });
    const result = await request(portalInput(), margaret);
    expect(result).toEqual({
      __typename: 'ForbiddenError',
      message: 'Only a Global Administrator can provision a portal; margaret@contoso.com is not one.',
    });
    const service = await tenant.token({ scopes: ['read', 'write'] });
    expect((await request(portalInput(), service)).__typename).toBe('ForbiddenError');
    expect((await counts()).portals).toBe(0);
  });

  it('answers a read-only token with a typed forbidden error', async () => {
    const reader = await tenant.token({ email: 'ada@contoso.com', scopes: ['read'] });
    const result = await request(portalInput(), reader);
    expect(result).toEqual({ __typename: 'ForbiddenError', message: 'This needs the "write" scope, which your token does not have.' });
    expect((await counts()).portals).toBe(0);
  });

  it('gives one winner when ten requests race for the same subdomain', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => request(portalInput({ name: `Race ${i}` }))));
    expect(results.filter((r) => r.__typename === 'PortalPayload')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'ValidationError')).toHaveLength(9);
    expect((await counts()).portals).toBe(1);
  });
});

describe('portal licenses', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('takes production seats first, then trial ones, then refuses with the reason', async () => {
    await tenant.close();
    tenant = await openTestTenant({
      seedPath: seedWithLicenses(dir.path, [
        { id: 'trial', type: 'TRIAL', quantity: 1 },
        { id: 'prod', type: 'PRODUCTION', quantity: 1 },
      ]),
    });
    ada = await tenant.token({ email: 'ada@contoso.com' });
    expect((await request(portalInput({ subdomain: 'one' }))).portal.type).toBe('PRODUCTION');
    expect((await request(portalInput({ subdomain: 'two' }))).portal.type).toBe('TRIAL');
    expect(await refused(portalInput({ subdomain: 'three' }), 'license')).toContain('No portal license is available');
  });

  it('gives the last seat to one of many concurrent requests', async () => {
    await tenant.close();
    tenant = await openTestTenant({ seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 1 }]) });
    ada = await tenant.token({ email: 'ada@contoso.com' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => request(portalInput({ subdomain: `race-${i}` }))));
    expect(results.filter((r) => r.__typename === 'PortalPayload')).toHaveLength(1);
    expect((await counts()).portals).toBe(1);
  });
});
