// Reading the API: authentication, the catalog, the tenant, portals and their lookups, renaming,
// limits, masked errors, and a statement count that does not grow with the page (no N+1).

import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase } from '../db/database.ts';
import { PORTAL_CATALOG } from '../vocabulary/catalog.ts';
import { instanceId, openTestTenant, portalInput, REQUEST_PORTAL, seedWithLicenses, type TestTenant, tempDir, userId } from './support/tenant.ts';

let tenant: TestTenant;
let ada: string;

beforeEach(async () => {
  tenant = await openTestTenant();
  ada = await tenant.token({ email: 'ada@contoso.com' });
});
afterEach(() => tenant.close());

async function data(query: string, variables?: Record<string, unknown>, token = ada) {
  const { status, body } = await tenant.gql(query, variables, token);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(status).toBe(200);
  return body.data;
}

async function requestPortal(overrides: Record<string, unknown>) {
  const result = (await data(REQUEST_PORTAL, { input: portalInput(overrides) })).requestPortal;
  expect(result.__typename, JSON.stringify(result)).toBe('PortalPayload');
  return result.portal;
}

describe('authentication', () => {
  it('answers 401 without a token or with an unknown one', async () => {
    const none = await tenant.gql('{ viewer { kind } }');
    expect(none.status).toBe(401);
    expect(none.body.errors?.[0]?.message).toContain('Authorization header');
    const wrong = await tenant.gql('{ viewer { kind } }', {}, 'pop_not-a-real-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors?.[0]?.message).toBe('The API token is not valid.');
  });

  it('shows who the token acts as', async () => {
    expect((await data('{ viewer { kind name scopes isGlobalAdministrator user { email } } }')).viewer).toEqual({
      kind: 'USER',
      name: 'Ada Lovelace',
      scopes: ['read', 'write'],
      isGlobalAdministrator: true,
      user: { email: 'ada@contoso.com' },
    });
    const service = await tenant.token({ scopes: ['read'], name: 'reporting' });
    expect((await data('{ viewer { kind name user { id } isGlobalAdministrator } }', {}, service)).viewer).toEqual({
      kind: 'SERVICE',
      name: 'reporting',
      user: null,
      isGlobalAdministrator: false,
    });
  });

  it('runs the operation named in a document holding several, as GraphiQL sends them', async () => {
    const document = 'query Who { viewer { kind } } query Terms { termsOfService { version } }';
    for (const [operationName, key] of [
      ['Who', 'viewer'],
      ['Terms', 'termsOfService'],
      ['Who', 'viewer'],
    ] as const) {
      const response = await tenant.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ada}` },
        body: JSON.stringify({ query: document, operationName }),
      });
      const body = await response.json();
      expect(Object.keys(body.data ?? {}), JSON.stringify(body)).toEqual([key]);
    }
  });

  it('lets a service token read everything', async () => {
    await requestPortal({});
    const service = await tenant.token({ scopes: ['read'] });
    const result = await data('{ portals(first: 5) { totalCount nodes { subdomain } } licenses { id } }', {}, service);
    expect(result.portals).toEqual({ totalCount: 1, nodes: [{ subdomain: 'contoso-partners' }] });
  });
});

describe('the catalog and the tenant', () => {
  it('serves the catalog with the seed feature names', async () => {
    const result = await data('{ portalCatalog { audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } } } }');
    expect(result.portalCatalog.audiences).toEqual(
      PORTAL_CATALOG.map((a) => ({
        key: a.key,
        name: a.name,
        portalTypes: a.portalTypes.map((t) => ({
          key: t.key,
          name: t.name,
          features: t.features,
          addOns: t.addOns.map((o) => ({ key: o.key, name: o.name, requiredSolutions: o.requiredSolutions })),
        })),
      })),
    );
  });

  it('lists instances with the languages they may offer, their administrators and solutions', async () => {
    const result = await data('{ instances { id name languages { code } eligibleAdministrators { email } installedSolutions viewerCanSelect viewerRoles } }');
    const mea = result.instances.find((i: { name: string }) => i.name === 'Contoso Middle East');
    expect(mea.languages.map((l: { code: string }) => l.code)).toEqual(['en-US', 'fr-FR']);
    expect(mea.eligibleAdministrators.map((u: { email: string }) => u.email).sort()).toEqual(['ada@contoso.com', 'barbara@contoso.com']);
    const field = result.instances.find((i: { name: string }) => i.name === 'Contoso Field Operations');
    expect(field.installedSolutions).toEqual(['Field Service', 'Project Service Automation']);
    const fabrikam = result.instances.find((i: { name: string }) => i.name === 'Fabrikam Sandbox');
    expect(fabrikam).toMatchObject({ viewerCanSelect: false, viewerRoles: [] });
  });

  it('narrows instances to those the viewer may pick', async () => {
    const grace = await tenant.token({ email: 'grace@contoso.com' });
    const result = await data('{ instances(selectableOnly: true) { name viewerRoles } }', {}, grace);
    expect(result.instances).toEqual([
      { name: 'Contoso Sales', viewerRoles: ['SYSTEM_CUSTOMIZER'] },
      { name: 'Fabrikam Sandbox', viewerRoles: ['SYSTEM_ADMINISTRATOR'] },
    ]);
  });
});

describe('portals', () => {
  it('pages through portals with cursors and filters them by status and instance', async () => {
    for (const subdomain of ['p1', 'p2', 'p3']) await requestPortal({ subdomain });
    await requestPortal({ subdomain: 'sales', instanceId: instanceId('contoso-sales'), administratorId: userId('ada'), addOns: [] });
    const first = await data('{ portals(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { subdomain } } }');
    expect(first.portals.nodes.map((n: { subdomain: string }) => n.subdomain)).toEqual(['p1', 'p2']);
    expect(first.portals.totalCount).toBe(4);
    expect(first.portals.pageInfo.hasNextPage).toBe(true);
    const next = await data('query($after: String) { portals(first: 5, after: $after) { pageInfo { hasNextPage } nodes { subdomain } } }', {
      after: first.portals.pageInfo.endCursor,
    });
    expect(next.portals.nodes.map((n: { subdomain: string }) => n.subdomain)).toEqual(['p3', 'sales']);
    expect(next.portals.pageInfo.hasNextPage).toBe(false);
    const bySales = await data('query($i: ID) { portals(first: 10, instanceId: $i) { totalCount nodes { subdomain } } }', {
      i: instanceId('contoso-sales'),
    });
    expect(bySales.portals).toEqual({ totalCount: 1, nodes: [{ subdomain: 'sales' }] });
    const provisioned = await data('{ portals(first: 10, status: PROVISIONED) { totalCount nodes { id } } }');
    expect(provisioned.portals).toEqual({ totalCount: 0, nodes: [] });
    const garbage = await data('{ portals(first: 10, instanceId: "garbage") { totalCount nodes { id } } }');
    expect(garbage.portals).toEqual({ totalCount: 0, nodes: [] });
  });

  it('finds one portal by ID, by subdomain in any case, and as a node', async () => {
    const portal = await requestPortal({});
    const result = await data(
      `query($id: ID!) {
        byId: portal(id: $id) { subdomain }
        bySubdomain: portal(subdomain: "CONTOSO-Partners") { id }
        node(id: $id) { ... on Portal { name } }
        missing: portal(subdomain: "nope") { id }
        malformed: portal(id: "%%") { id }
      }`,
      { id: portal.id },
    );
    expect(result).toEqual({
      byId: { subdomain: 'contoso-partners' },
      bySubdomain: { id: portal.id },
      node: { name: 'Contoso Partners' },
      missing: null,
      malformed: null,
    });
  });

  it('renames a portal and records who did', async () => {
    const portal = await requestPortal({});
    const rename = `mutation($input: RenamePortalInput!) { renamePortal(input: $input) {
      __typename ... on PortalPayload { portal { name displayName } } ... on ValidationError { fields { field message } } ... on Error { message } } }`;
    const done = await data(rename, { input: { portalId: portal.id, name: 'Partner Hub' } });
    expect(done.renamePortal).toEqual({ __typename: 'PortalPayload', portal: { name: 'Partner Hub', displayName: 'Partner Hub' } });
    const events = await data('query($id: ID!) { events(portalId: $id) { nodes { type data } } }', { id: portal.id });
    expect(events.events.nodes.at(-1)).toEqual({ type: 'PORTAL_RENAMED', data: { from: 'Contoso Partners', to: 'Partner Hub' } });

    expect((await data(rename, { input: { portalId: portal.id, name: ' ' } })).renamePortal.__typename).toBe('ValidationError');
    expect((await data(rename, { input: { portalId: 'junk', name: 'X' } })).renamePortal.__typename).toBe('ValidationError');
    expect((await data(rename, { input: { portalId: encodeGlobalID('Portal', 999), name: 'X' } })).renamePortal).toEqual({
      __typename: 'NotFoundError',
      message: 'No portal has this id.',
    });
    const margaret = await tenant.token({ email: 'margaret@contoso.com' });
    expect((await data(rename, { input: { portalId: portal.id, name: 'X' } }, margaret)).renamePortal.__typename).toBe('ForbiddenError');
  });
});

describe('limits and errors', () => {
  it('refuses queries that are too deep or use too many aliases', async () => {
    const deep = await tenant.gql(
      '{ portals { nodes { instance { eligibleAdministrators { id } } } } events { nodes { portal { instance { eligibleAdministrators { email } } } } } node(id: "x") { id } }'.replace(
        '{ email }',
        `{ email ${'... on DirectoryUser { '.repeat(12)}id${' }'.repeat(12)} }`,
      ),
      {},
      ada,
    );
    expect(deep.body.errors?.[0]?.message).toMatch(/depth/i);
    const aliases = await tenant.gql(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`, {}, ada);
    expect(aliases.body.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('masks internal errors', async () => {
    await closeDatabase(tenant.db);
    const result = await tenant.gql('{ portals(first: 1) { nodes { id } } }', {}, ada);
    expect(JSON.stringify(result.body)).not.toMatch(/sqlite|postgres|database|pool|select/i);
    await tenant.close();
    tenant = await openTestTenant();
  });
});

describe('loading nested portals', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('runs as many SQL statements for 50 portals as for 5', async () => {
    await tenant.close();
    tenant = await openTestTenant({ seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 100 }]) });
    ada = await tenant.token({ email: 'ada@contoso.com' });
    for (let i = 0; i < 60; i++) {
      const where = i % 2 === 0 ? {} : { instanceId: instanceId('contoso-sales'), administratorId: userId(i % 3 ? 'ada' : 'margaret'), addOns: [] };
      await requestPortal({ subdomain: `portal-${i}`, ...where });
    }
    const query = `query($n: Int!) { portals(first: $n) { nodes { id displayName addOns features instance { id name } administrator { id email } } } }`;
    const countFor = async (n: number) => {
      tenant.statements.length = 0;
      const result = await data(query, { n });
      expect(result.portals.nodes).toHaveLength(n);
      expect(result.portals.nodes[1].instance.name).toBe('Contoso Sales');
      return tenant.statements.filter((s) => !/api_tokens/.test(s)).length;
    };
    const five = await countFor(5);
    const fifty = await countFor(50);
    expect(fifty).toBe(five);
    // The token's user, the portals with their add-ons, one batch of instances, one batch of users.
    expect(fifty).toBeLessThanOrEqual(4);
  });
});
