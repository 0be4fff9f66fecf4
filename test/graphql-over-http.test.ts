// The endpoint as a client written from the GraphQL-over-HTTP specification sees it: a client that
// accepts application/graphql-response+json reads the status code, so a request error (no data in
// the answer) must come with a 4xx, while a client of plain application/json keeps its 200.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpApp } from '../app/server.ts';
import { serveTenant } from './support/http.ts';
import { PortalDriver } from './support/lifecycle.ts';
import { openTestTenant, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let ada: PortalDriver;
let app: HttpApp;

beforeEach(async () => {
  tenant = await openTestTenant();
  ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
  app = await serveTenant(tenant);
});
afterEach(async () => {
  await app?.close(0);
  await tenant?.close();
});

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

async function post(body: unknown, accept: string) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ada.token}`, 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('a request error with application/graphql-response+json', () => {
  const portals = 'query ($n: Int!) { portals(first: $n) { totalCount } }';

  it('answers variables of the wrong type with 400, and application/json with 200', async () => {
    const strict = await post({ query: portals, variables: { n: 'two' } }, GRAPHQL_RESPONSE);
    expect(strict.status).toBe(400);
    expect(strict.type).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
    expect(strict.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })] });
    expect(strict.body.data).toBeUndefined();
    const legacy = await post({ query: portals, variables: { n: 'two' } }, 'application/json');
    expect(legacy.status).toBe(200);
    expect(legacy.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('answers a missing required variable with 400', async () => {
    const strict = await post({ query: portals }, GRAPHQL_RESPONSE);
    expect(strict.status).toBe(400);
    expect(strict.body.errors[0].message).toBe('Variable "$n" of required type "Int!" was not provided.');
  });

  it('answers an operation over the alias, directive or cost limit with 400 and a validation code, and runs none of it', async () => {
    const id = await ada.request();
    const renames = Array.from({ length: 25 }, (_, i) => `r${i}: renamePortal(input: { portalId: "${id}", name: "Renamed ${i}" }) { __typename }`);
    const tooMany = await post({ query: `mutation { ${renames.join(' ')} }` }, GRAPHQL_RESPONSE);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ message: 'Aliases limit of 20 exceeded, found 25.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect((await ada.state(id)).name).toBe('Contoso Partners');

    const directives = await post({ query: `{ viewer ${'@include(if: true) '.repeat(25)}{ name } }` }, GRAPHQL_RESPONSE);
    expect(directives.status).toBe(400);
    expect(directives.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });

    const costly = await post({ query: '{ portals(first: 2147483647) { totalCount } }' }, GRAPHQL_RESPONSE);
    expect(costly.status).toBe(400);
    expect(costly.body.errors[0].message).toMatch(/^Query Cost limit of 50000 exceeded/);
    expect(costly.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
