// Rows the Drizzle plugin reads carry a portal's add-ons and a domain's host name with them; rows
// made by mutations do not, and those fields load them. Either way the answer is the same, and a
// page of portals with all of it costs as many statements for 50 portals as for 5.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_PORTAL, type TestTenant, openTestTenant, portalInput, seedWithLicenses, tempDir } from './support/tenant.ts';

let dir: ReturnType<typeof tempDir>;
let tenant: TestTenant;
let ada: string;

beforeEach(async () => {
  dir = tempDir();
  tenant = openTestTenant({ seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 100 }]) });
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
function addDomains() {
  const client = tenant.db.$client;
  client.prepare(`insert or ignore into certificates (id, name, subject, sans, issuer, not_before, not_after, signature_algorithm, key_type, key_bits, thumbprint, certificate_pem, private_key_encrypted, created_by, created_at)
    values ('c', 'c', 'CN=*.contoso.test', '["*.contoso.test"]', 'CN=c', 0, 9999999999999, 'sha256WithRSAEncryption', 'RSA', 2048, 'T', '-', '-', 'test', 0)`).run();
  const ids = client.prepare('select id from portals order by id').pluck().all() as number[];
  for (const id of ids.filter((_, i) => i % 2 === 0)) {
    const host = client.prepare('insert into hostnames (name, created_at) values (?, 0)').run(`site-${id}.contoso.test`);
    client
      .prepare(`insert into custom_domains (portal_id, hostname_id, certificate_id, status, cname_target, next_check_at, created_at, updated_at, reminders_sent, checks) values (?, ?, 'c', 'PENDING_CNAME', 'x.portals.test', 0, 0, 0, '[]', 0)`)
      .run(id, Number(host.lastInsertRowid));
  }
}

describe('the parts read with a row', () => {
  it('answers the add-ons of a portal a mutation returns, as of one read from the list', async () => {
    const requested = (await data(`mutation($input: RequestPortalInput!) { requestPortal(input: $input) { ... on PortalPayload { portal { id addOns } } } }`, {
      input: portalInput({ addOns: ['PARTNER_FIELD_SERVICE'] }),
    })).requestPortal.portal;
    expect(requested.addOns).toEqual(['PARTNER_FIELD_SERVICE']);
    const listed = (await data('{ portals(first: 5) { nodes { id addOns } } }')).portals.nodes;
    expect(listed).toEqual([requested]);
  });

  it('reads a page of portals with add-ons and custom domains in as many statements for 50 as for 5', async () => {
    for (let i = 0; i < 60; i++) {
      const result = (await data(REQUEST_PORTAL, { input: portalInput({ subdomain: `portal-${i}`, addOns: i % 3 ? [] : ['PARTNER_FIELD_SERVICE'] }) })).requestPortal;
      expect(result.__typename).toBe('PortalPayload');
    }
    addDomains();
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

describe('instances and their administrators', () => {
  it('reads the role assignments of all listed instances at once, not once per instance', async () => {
    const roleReads = async (selectableOnly: boolean) => {
      tenant.statements.length = 0;
      const { body } = await tenant.gql(`{ instances(selectableOnly: ${selectableOnly}) { id eligibleAdministrators { id email } } }`, {}, ada);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(body.data.instances.every((i: { eligibleAdministrators: unknown[] }) => i.eligibleAdministrators.length > 0)).toBe(true);
      return { instances: body.data.instances.length, roleReads: tenant.statements.filter((sql) => sql.includes('"sim_roles"')).length };
    };
    // Every instance of the sample tenant: one read of roles for all of them.
    expect(await roleReads(false)).toEqual({ instances: 4, roleReads: 1 });
    // Only those Ada may pick: her own roles, then one read for the administrators of all of them.
    expect(await roleReads(true)).toMatchObject({ roleReads: 2 });
  });
});
