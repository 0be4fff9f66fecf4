// SQLite prepares a statement whose LIMIT is a bound parameter again on every run: its planner looks
// at the value, so the plan expires whenever the value is bound. On the paths every request takes that
// cost more than the reads themselves, so no statement there binds its LIMIT. (A SQLite matter:
// PostgreSQL plans a statement when it runs, LIMIT bound or not; vitest.config.ts runs this file only
// when SQLite is under test.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessApi } from '../bot/api.ts';
import { DomainFormQuery, PortalListQuery, PortalQuery, PortalSettingsQuery, ProvisionFormQuery, ViewerQuery } from '../bot/operations.ts';
import { openTestTenant, portalInput, REQUEST_PORTAL, seedWithLicenses, type TestTenant, tempDir } from './support/tenant.ts';

const BOUND_LIMIT = /\blimit\s+\?/i;

describe('statements on every request, on SQLite', () => {
  let dir: ReturnType<typeof tempDir>;
  let tenant: TestTenant;

  beforeEach(async () => {
    dir = tempDir();
    tenant = await openTestTenant({
      database: 'sqlite',
      seedPath: seedWithLicenses(dir.path, [{ id: 'prod', type: 'PRODUCTION', quantity: 100 }]),
      slackEmailOf: async () => 'ada@contoso.com',
    });
  });
  afterEach(async () => {
    await tenant.close();
    dir.remove();
  });

  it('bind no LIMIT, in GraphQL with a token and in the Slack bot as a Slack user', async () => {
    const token = await tenant.token({ email: 'ada@contoso.com' });
    for (let i = 0; i < 3; i++) {
      const { body } = await tenant.gql(REQUEST_PORTAL, { input: portalInput({ subdomain: `plans-${i}` }) }, token);
      expect(body.data.requestPortal.__typename).toBe('PortalPayload');
    }
    const portal = (await tenant.gql('{ portals(first: 1) { nodes { id subdomain } } }', {}, token)).body.data.portals.nodes[0];
    tenant.statements.length = 0;

    const queries = [
      '{ portals(first: 2) { pageInfo { endCursor } nodes { id name addOns instance { name } administrator { email } customDomain { hostname } } } }',
      '{ portals(last: 2) { nodes { id subdomain } } }',
      `{ portal(subdomain: "${portal.subdomain}") { id status } node(id: "${portal.id}") { id } }`,
      '{ viewer { isGlobalAdministrator } instances(selectableOnly: true) { id eligibleAdministrators { id } } }',
    ];
    for (const query of queries) {
      const { status, body } = await tenant.gql(query, {}, token);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(status).toBe(200);
    }
    const api = inProcessApi(tenant.yoga);
    const ada = { slackUserId: 'U0ADA' };
    await api.run(ada, ViewerQuery);
    expect((await api.run(ada, ProvisionFormQuery)).instances.length).toBeGreaterThan(0);
    await api.run(ada, PortalListQuery, {});
    expect((await api.run(ada, PortalQuery, { subdomain: portal.subdomain })).portal?.id).toBe(portal.id);
    await api.run(ada, PortalSettingsQuery, { id: portal.id });
    await api.run(ada, DomainFormQuery, { subdomain: portal.subdomain });

    expect(tenant.statements.length).toBeGreaterThan(10);
    expect(tenant.statements.filter((sql) => BOUND_LIMIT.test(sql))).toEqual([]);
  });
});
