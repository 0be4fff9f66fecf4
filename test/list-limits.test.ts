// Lists a client sends are bounded, and each item counts in the cost of the operation.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestTenant, portalInput, REQUEST_PORTAL, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let ada: string;

beforeEach(async () => {
  tenant = await openTestTenant();
  ada = await tenant.token({ email: 'ada@contoso.com' });
});
afterEach(() => tenant.close());

const portalIds = (count: number) => Array.from({ length: count }, (_, i) => encodeGlobalID('Portal', String(i + 1)));

/** One portal, named `count` times over: every ID resolves, so only the count matters. */
async function sameIds(count: number): Promise<string[]> {
  const { body } = await tenant.gql(REQUEST_PORTAL, { input: portalInput() }, ada);
  return Array.from({ length: count }, () => body.data.requestPortal.portal.id as string);
}
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';

describe('list arguments', () => {
  it('answers nodes(ids:) with up to 100 IDs', async () => {
    const { status, body } = await tenant.gql(NODES, { ids: await sameIds(100) }, ada);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.nodes).toHaveLength(100);
  });

  it('refuses more than 100 IDs, in a variable or written inline, with the bound', async () => {
    for (const count of [101, 32_767]) {
      const { status, body } = await tenant.gql(NODES, { ids: portalIds(count) }, ada);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        [`Variable "$ids" holds ${count} items; a list may hold at most 100. Send the rest in another request.`, 'BAD_USER_INPUT'],
      ]);
    }
    const inline = await tenant.gql(`{ nodes(ids: ${JSON.stringify(portalIds(101))}) { id } }`, {}, ada);
    expect(inline.status).toBe(400);
    expect(inline.body.errors?.map((e) => e.message)).toEqual(['nodes(ids:) holds 101 items; a list may hold at most 100. Send the rest in another request.']);
  });

  it('bounds lists inside inputs too, and runs nothing', async () => {
    const addOns = Array.from({ length: 101 }, () => 'PARTNER_FIELD_SERVICE');
    const { status, body } = await tenant.gql(REQUEST_PORTAL, { input: portalInput({ addOns }) }, ada);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.message)).toEqual(['Variable "$input.addOns" holds 101 items; a list may hold at most 100. Send the rest in another request.']);
    const { body: portals } = await tenant.gql('{ portals(first: 1) { totalCount } }', {}, ada);
    expect(portals.data.portals.totalCount).toBe(0);
  });
});

describe('the cost of lists', () => {
  const FIELDS =
    'id name displayName subdomain url language status type audience portalType features allowedActions attempt createdAt updatedAt ' +
    'lastError notifyChannel packageStatus resourceStatus statusMessage termsVersion termsAcceptedAt consentGrantedAt provisionedAt urlServes addOns';
  const query = `query($ids: [ID!]!) { ${Array.from({ length: 20 }, (_, i) => `a${i}: nodes(ids: $ids) { ...P }`).join(' ')} } fragment P on Portal { ${FIELDS} }`;

  it('counts each item of a list against the cost limit', async () => {
    const ids = await sameIds(100);
    const cheap = await tenant.gql(query, { ids: ids.slice(0, 10) }, ada);
    expect(cheap.body.errors).toBeUndefined();
    expect(cheap.body.data.a19).toHaveLength(10);

    const costly = await tenant.gql(query, { ids }, ada);
    expect(costly.status).toBe(400);
    expect(costly.body.data).toBeUndefined();
    expect(costly.body.errors?.map((e) => e.message)).toEqual([
      'This operation costs 54000, over the limit of 50000: each field counts once per item of the lists it is given. Ask for fewer items or fewer fields.',
    ]);
  });
});
