// Rows the Drizzle plugin reads carry a portal's add-ons and a domain's host name with them; rows
// made by mutations do not, and those fields load them. Either way the answer is the same, and a
// page of portals with all of it costs as many statements for 50 portals as for 5.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tablesOf } from '../db/dialect.ts';
import { openTestTenant, portalInput, REQUEST_PORTAL, seedWithLicenses, type TestTenant, tempDir } from './support/tenant.ts';
import type { WireJson } from './support/wire-json.ts';

let dir: ReturnType<typeof tempDir>;
let tenant: TestTenant;
let ada: string;

beforeEach(async () => {
  dir = tempDir();
  tenant = await openTestTenant({ seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 100 }]) });
  ada = await tenant.token({ email: 'ada@contoso.com' });
});
afterEach(async () => {
  await tenant.close();
  dir.remove();
});

async function data(query: string, variables?: Record<string, unknown>) {
  const { status, body } = await tenant.gql(query, variables, ada);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(status).toBe(200);
  return body.data;
}

/** Gives every other portal a custom domain, as the DNS poller would leave it. */
async function addDomains() {
  const { certificates, customDomains, hostnames, portals } = tablesOf(tenant.db);
  const at = new Date(0);
  await tenant.db
    .insert(certificates)
    .values({
      id: 'c',
      name: 'c',
      subject: 'CN=*.contoso.test',
      sans: ['*.contoso.test'],
      issuer: 'CN=c',
      notBefore: at,
      notAfter: new Date(9_999_999_999_999),
      signatureAlgorithm: 'sha256WithRSAEncryption',
      keyType: 'RSA',
      keyBits: 2048,
      thumbprint: 'T',
      certificatePem: '-',
      privateKeyEncrypted: '-',
      createdBy: 'test',
      createdAt: at,
    })
    .onConflictDoNothing();
  const ids = (await tenant.db.select({ id: portals.id }).from(portals).orderBy(portals.id)).map((row) => row.id);
  for (const id of ids.filter((_, i) => i % 2 === 0)) {
    const [host] = await tenant.db
      .insert(hostnames)
      .values({ name: `site-${id}.contoso.test`, createdAt: at })
      .returning({ id: hostnames.id });
    await tenant.db.insert(customDomains).values({
      portalId: id,
      hostnameId: host?.id as number,
      certificateId: 'c',
      status: 'PENDING_CNAME',
      cnameTarget: 'x.portals.test',
      nextCheckAt: at,
      createdAt: at,
      updatedAt: at,
      remindersSent: [],
      checks: 0,
    });
  }
}

describe('the parts read with a row', () => {
  it('answers the add-ons of a portal a mutation returns, as of one read from the list', async () => {
    const requested = (
      await data(`mutation($input: RequestPortalInput!) { requestPortal(input: $input) { ... on PortalPayload { portal { id addOns } } } }`, {
        input: portalInput({ addOns: ['PARTNER_FIELD_SERVICE'] }),
      })
    ).requestPortal.portal;
    expect(requested.addOns).toEqual(['PARTNER_FIELD_SERVICE']);
    const listed = (await data('{ portals(first: 5) { nodes { id addOns } } }')).portals.nodes;
    expect(listed).toEqual([requested]);
  });

  it('reads a page of portals with add-ons and custom domains in as many statements for 50 as for 5', async () => {
    for (let i = 0; i < 60; i++) {
      const result = (await data(REQUEST_PORTAL, { input: portalInput({ subdomain: `portal-${i}`, addOns: i % 3 ? [] : ['PARTNER_FIELD_SERVICE'] }) })).requestPortal;
      expect(result.__typename).toBe('PortalPayload');
    }
    await addDomains();
    const query = `query($n: Int!) { portals(first: $n) { nodes { id name addOns instance { name } administrator { email } customDomain { hostname status } } } }`;
    const countFor = async (n: number) => {
      tenant.statements.length = 0;
      const nodes = (await data(query, { n })).portals.nodes;
      expect(nodes).toHaveLength(n);
      expect(nodes[0].addOns).toEqual(['PARTNER_FIELD_SERVICE']);
      expect(nodes[1].addOns).toEqual([]);
      expect(nodes[0].customDomain).toEqual({ hostname: expect.stringMatching(/^site-\d+\.contoso\.test$/), status: 'PENDING_CNAME' });
      expect(nodes[1].customDomain).toBeNull();
      return tenant.statements.filter((s) => !/api_tokens/.test(s)).length;
    };
    const five = await countFor(5);
    expect(await countFor(50)).toBe(five);
    // The token's user, the portals with their add-ons and domains, one batch of instances, one of users.
    expect(five).toBeLessThanOrEqual(4);
  });
});

/** Every field of a type, each as a selection: scalars by name, objects by their id (CustomDomain whole). */
async function everyField(type: string): Promise<string[]> {
  const fields = (await data(`{ __type(name: "${type}") { fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`)).__type
    .fields as Array<{
    name: string;
    args: unknown[];
    type: { kind: string; name: string | null; ofType: unknown };
  }>;
  const named = (t: { kind: string; name: string | null; ofType: unknown }): { kind: string; name: string | null } =>
    t.kind === 'NON_NULL' || t.kind === 'LIST' ? named(t.ofType as never) : t;
  const parts: string[] = [];
  for (const field of fields.filter((f) => f.args.length === 0)) {
    const inner = named(field.type);
    if (inner.kind !== 'OBJECT') parts.push(field.name);
    else if (inner.name === 'CustomDomain') parts.push(`${field.name} { ${(await everyField('CustomDomain')).join(' ')} }`);
    else parts.push(`${field.name} { id }`);
  }
  return parts;
}

describe('the portals list', () => {
  it('answers every Portal and CustomDomain field as a lookup of each portal does, through nodes, edges and fragments, in as many statements for 50 as for 5', async () => {
    for (let i = 0; i < 60; i++) {
      await data(REQUEST_PORTAL, { input: portalInput({ subdomain: `every-${i}`, addOns: i % 3 ? [] : ['PARTNER_FIELD_SERVICE'] }) });
    }
    await addDomains();
    const each = await everyField('Portal');
    const fields = each.join(' ');
    expect(fields).toContain('customDomain { ');
    const list = `query($n: Int!) { portals(first: $n) { nodes { ${fields} } edges { node { ...P } } } } fragment P on Portal { ... on Portal { ${fields} } }`;
    const countFor = async (n: number) => {
      tenant.statements.length = 0;
      const page = (await data(list, { n })).portals;
      expect(page.nodes).toHaveLength(n);
      expect(page.edges.map((e: { node: unknown }) => e.node)).toEqual(page.nodes);
      return { page, statements: tenant.statements.filter((sql) => !/api_tokens/.test(sql)).length };
    };
    const five = await countFor(5);
    const fifty = await countFor(50);
    expect(fifty.statements).toBe(five.statements);
    for (const listed of fifty.page.nodes.slice(0, 8)) {
      const one = (await data(`query($id: ID!) { portal(id: $id) { ${fields} } }`, { id: listed.id })).portal;
      expect(listed).toEqual(one);
    }
    expect(fifty.page.nodes.filter((p: { customDomain: unknown }) => p.customDomain !== null)).toHaveLength(25);
    // Each field asked alone reads only its own columns: what it answers must not lean on another field's.
    const expected = fifty.page.nodes.slice(0, 6);
    const alone = [...each.filter((f) => !f.startsWith('customDomain')), ...(await everyField('CustomDomain')).map((f) => `customDomain { ${f} }`)];
    for (const field of alone) {
      const nodes = (await data(`{ portals(first: 6) { nodes { ${field} } } }`)).portals.nodes as Array<Record<string, unknown>>;
      const name = field.split(' ')[0]!;
      const sub = field.startsWith('customDomain') ? field.slice('customDomain { '.length).split(' ')[0]! : undefined;
      const want = expected.map((p: Record<string, WireJson>) => ({ [name]: sub ? p.customDomain && { [sub]: p.customDomain[sub] } : p[name] }));
      expect(nodes, field).toEqual(want);
    }
  });

  it('pages forwards and backwards by cursor, with only the asked-for fields read', async () => {
    for (let i = 0; i < 7; i++) await data(REQUEST_PORTAL, { input: portalInput({ subdomain: `page-${i}` }) });
    const first = (await data('{ portals(first: 3) { pageInfo { hasNextPage hasPreviousPage endCursor } nodes { subdomain } } }')).portals;
    expect(first.nodes.map((n: { subdomain: string }) => n.subdomain)).toEqual(['page-0', 'page-1', 'page-2']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = (await data('query($a: String) { portals(first: 3, after: $a) { nodes { subdomain } } }', { a: first.pageInfo.endCursor })).portals;
    expect(next.nodes.map((n: { subdomain: string }) => n.subdomain)).toEqual(['page-3', 'page-4', 'page-5']);
    const last = (await data('{ portals(last: 2) { pageInfo { hasPreviousPage startCursor endCursor } nodes { subdomain } } }')).portals;
    expect(last.nodes.map((n: { subdomain: string }) => n.subdomain)).toEqual(['page-5', 'page-6']);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    const before = (await data('query($b: String) { portals(last: 2, before: $b) { nodes { subdomain } } }', { b: last.pageInfo.startCursor })).portals;
    expect(before.nodes.map((n: { subdomain: string }) => n.subdomain)).toEqual(['page-3', 'page-4']);
    const end = (await data('query($a: String) { portals(first: 3, after: $a) { pageInfo { hasNextPage startCursor endCursor } nodes { id } } }', { a: last.pageInfo.endCursor ?? '' }))
      .portals;
    expect(end).toEqual({ pageInfo: { hasNextPage: false, startCursor: null, endCursor: null }, nodes: [] });
    const { body } = await tenant.gql('{ portals(first: 2, after: "RE M6TjoxMA==") { nodes { id } } }', {}, ada);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('Invalid cursor'), extensions: { code: 'BAD_USER_INPUT' } });
    tenant.statements.length = 0;
    await data('{ portals(first: 3) { nodes { subdomain } } }');
    const read = tenant.statements.find((sql) => sql.includes('from portals p'));
    expect(read).toBeDefined();
    expect(read).not.toMatch(/custom_domains|portal_add_ons|p\."name"/);
  });
});

describe('instances and their administrators', () => {
  it('reads the administrators of all listed instances, users and all, at once, not once per instance', async () => {
    const roleReads = async (selectableOnly: boolean) => {
      tenant.statements.length = 0;
      const { body } = await tenant.gql(`{ instances(selectableOnly: ${selectableOnly}) { id eligibleAdministrators { id email } } }`, {}, ada);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(body.data.instances.every((i: { eligibleAdministrators: unknown[] }) => i.eligibleAdministrators.length > 0)).toBe(true);
      const userReads = tenant.statements.filter((sql) => /from "sim_users" where "sim_users"\."id"/.test(sql)).length;
      return { instances: body.data.instances.length, roleReads: tenant.statements.filter((sql) => sql.includes('"sim_roles"')).length, userReads };
    };
    // Users are read with their roles: no read of users by id beyond the one that checks the caller's token.
    tenant.statements.length = 0;
    await tenant.gql('{ viewer { kind } }', {}, ada);
    const callerReads = tenant.statements.filter((sql) => /from "sim_users" where "sim_users"\."id"/.test(sql)).length;
    // Every instance of the sample tenant: one read of administrators for all of them.
    expect(await roleReads(false)).toEqual({ instances: 4, roleReads: 1, userReads: callerReads });
    // Only those Ada may pick: her own roles, then one read for the administrators of all of them.
    expect(await roleReads(true)).toMatchObject({ roleReads: 2, userReads: callerReads });
  });
});
