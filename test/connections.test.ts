// Every connection of the API pages by one rule: first or last, not both, and never more than the
// maximum, said plainly rather than quietly cut. The fields are found in the schema itself, so a new
// connection is held to the same rule.
import { type GraphQLNamedType, isObjectType } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../graphql/ids.ts';
import { schema } from '../graphql/schema/index.ts';
import { openTestTenant, portalInput, REQUEST_PORTAL, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let ada: string;
beforeEach(async () => {
  tenant = await openTestTenant();
  ada = await tenant.token({ email: 'ada@contoso.com' });
});
afterEach(() => tenant.close());

const isConnection = (type: GraphQLNamedType) => isObjectType(type) && 'edges' in type.getFields() && 'pageInfo' in type.getFields();

/** Every field of the schema whose type is a connection, as "Type.field". */
function connectionFields(): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      let named = field.type;
      while ('ofType' in named) named = named.ofType;
      if (isConnection(named)) found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}

async function page(field: string, args: string) {
  const { status, body } = await tenant.gql(`{ ${field}(${args}) { edges { cursor } pageInfo { hasNextPage } } }`, {}, ada);
  expect(status).toBe(200);
  return body;
}

describe('one paging rule for every connection', () => {
  it('knows every connection of the schema, and each is reachable from Query', () => {
    // A connection elsewhere than on Query needs a parent in the tests below: add it there.
    expect(connectionFields()).toEqual(['Query.events', 'Query.portals']);
  });

  for (const field of ['events', 'portals']) {
    describe(field, () => {
      beforeEach(async () => {
        const { body } = await tenant.gql(REQUEST_PORTAL, { input: portalInput() }, ada);
        expect(body.data?.requestPortal.__typename).toBe('PortalPayload');
      });

      it('refuses first and last together', async () => {
        const body = await page(field, 'first: 2, last: 2');
        expect(body.data).toBeNull();
        expect(body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
          ['Give "first" or "last", not both: "first" pages forward from "after", "last" backward from "before".', 'BAD_USER_INPUT'],
        ]);
      });

      it('says when first or last is over the maximum instead of cutting the page', async () => {
        const first = await page(field, `first: ${PAGE_SIZE.max + 1}`);
        expect(first.errors?.map((e) => e.message)).toEqual([
          `"first" may be at most ${PAGE_SIZE.max}; it is ${PAGE_SIZE.max + 1}. Ask for ${PAGE_SIZE.max}, then for the next page with "after" set to its end cursor.`,
        ]);
        const last = await page(field, 'last: 150');
        expect(last.errors?.map((e) => e.message)).toEqual([
          `"last" may be at most ${PAGE_SIZE.max}; it is 150. Ask for ${PAGE_SIZE.max}, then for the page before with "before" set to its start cursor.`,
        ]);
      });

      it('refuses a negative size', async () => {
        const body = await page(field, 'last: -1');
        expect(body.errors?.map((e) => e.message)).toEqual(['"last" must be 0 or more; it is -1.']);
      });

      it('answers the maximum, either way', async () => {
        for (const args of [`first: ${PAGE_SIZE.max}`, `last: ${PAGE_SIZE.max}`, 'first: 1']) {
          const body = await page(field, args);
          expect(body.errors, args).toBeUndefined();
          expect(body.data[field].edges.length).toBeGreaterThan(0);
        }
      });
    });
  }

  it('says the rule in the schema', () => {
    for (const field of ['events', 'portals']) {
      const args = schema.getQueryType()?.getFields()[field]?.args ?? [];
      expect(args.find((a) => a.name === 'first')?.description).toContain(`at most ${PAGE_SIZE.max}`);
      expect(args.find((a) => a.name === 'last')?.description).toContain('not with "first"');
    }
  });
});
