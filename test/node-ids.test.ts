// node(id) and nodes(ids) for an ID of nothing: an answer the client can act on, never a masked fault,
// on either database.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestTenant, portalInput, REQUEST_PORTAL, type TestTenant } from './support/tenant.ts';

describe('IDs of nothing', () => {
  let tenant: TestTenant;
  let token: string;
  beforeAll(async () => {
    tenant = await openTestTenant();
    token = await tenant.token({ email: 'ada@contoso.com' });
  });
  afterAll(() => tenant.close());

  // "Certificate:   \t\n" was found by the fuzz (seed 424242): a line break in the raw id hid the answer behind "Unexpected error.".
  // On PostgreSQL a row id that is no integer, or one past its integer's range (the fuzz, seed 20261130), failed the query itself.
  it.each(['Portal:424242', 'Certificate:424242', 'Certificate:   \t\n', 'CustomDomain:1\n2', 'Portal:9007199254740993', 'Event:2147483648'])('answers NOT_FOUND for %j', async (raw) => {
    const colon = raw.indexOf(':');
    const { body } = await tenant.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [encodeGlobalID(raw.slice(0, colon), raw.slice(colon + 1))] }, token);
    expect(body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Nothing has this ID.', 'NOT_FOUND']]);
  });

  it('answers a list of IDs, some of nothing, item by item, and node() alike', async () => {
    const { body: made } = await tenant.gql(REQUEST_PORTAL, { input: portalInput() }, token);
    const id = made.data?.requestPortal.portal.id as string;
    const ids = [id, encodeGlobalID('Portal', '99999999999'), encodeGlobalID('CustomDomain', 'x')];
    const { body } = await tenant.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, token);
    expect(body.data?.nodes).toEqual([{ id }, null, null]);
    expect(body.errors?.map((e) => [(e as { path?: unknown }).path, e.extensions?.code])).toEqual([
      [['nodes', 1], 'NOT_FOUND'],
      [['nodes', 2], 'NOT_FOUND'],
    ]);
    const one = await tenant.gql('query($id: ID!) { node(id: $id) { id } }', { id: ids[1] }, token);
    expect(one.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const byId = await tenant.gql('query($id: ID!) { portal(id: $id) { id } }', { id: ids[1] }, token);
    expect(byId.body).toEqual({ data: { portal: null } });
  });

  it('refuses a cursor past any row id as one it never handed out', async () => {
    const cursor = Buffer.from('DC:N:2147483648').toString('base64');
    const { body } = await tenant.gql('query($a: String) { portals(first: 2, after: $a) { nodes { id } } }', { a: cursor }, token);
    expect(body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Invalid cursor: pass the cursor of an edge or pageInfo from a previous page.', 'BAD_USER_INPUT']]);
  });
});
