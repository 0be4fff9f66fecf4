// node(id) and nodes(ids) for an ID of nothing: an answer the client can act on, never a masked fault.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestTenant, type TestTenant } from './support/tenant.ts';

describe('IDs of nothing', () => {
  let tenant: TestTenant;
  let token: string;
  beforeAll(async () => {
    tenant = await openTestTenant();
    token = await tenant.token({ email: 'ada@contoso.com' });
  });
  afterAll(() => tenant.close());

  // "Certificate:   \t\n" was found by the fuzz (seed 424242): a line break in the raw id hid the answer behind "Unexpected error.".
  it.each(['Portal:424242', 'Certificate:424242', 'Certificate:   \t\n', 'CustomDomain:1\n2'])('answers NOT_FOUND for %j', async (raw) => {
    const colon = raw.indexOf(':');
    const { body } = await tenant.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [encodeGlobalID(raw.slice(0, colon), raw.slice(colon + 1))] }, token);
    expect(body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Nothing has this ID.', 'NOT_FOUND']]);
  });
});
