// Custom domains through GraphQL: certificate checks, the one-domain rule, the CNAME poller against a
// real DNS server on loopback whose records change while it runs, the SSL binding, and reminders.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { customDomainConfiguredMessage } from '../core/messages.ts';
import { tablesOf } from '../db/dialect.ts';
import { claimDueDomains } from '../db/domain-store.ts';
import { CertificateReminders } from '../jobs/certificate-reminders.ts';
import { makeServerPfx, PFX_PASSWORD } from './support/certificates.ts';
import { startDnsServer, type TestDnsServer } from './support/dns-server.ts';
import { eventTypes, PortalDriver } from './support/lifecycle.ts';
import { platformsUnderTest } from './support/platforms.ts';
import { storedText } from './support/rows.ts';
import { openTestTenantOn, type TestTenant, tempDir } from './support/tenant.ts';
import { eventually, sleep } from './support/wait.ts';

const certs = tempDir();
let contoso: ReturnType<typeof makeServerPfx>;
let wildcard: ReturnType<typeof makeServerPfx>;
beforeAll(() => {
  contoso = makeServerPfx(certs.path, 'contoso', ['portal.contoso.com', 'www.contoso.com']);
  wildcard = makeServerPfx(certs.path, 'wildcard', ['*.fabrikam.com']);
});
afterAll(() => certs.remove());

describe.each(platformsUnderTest())('on the %s platform', (platform) => {
  let dns: TestDnsServer;
  let tenant: TestTenant;
  let ada: PortalDriver;
  let portalId: string;
  const TARGET = 'contoso-partners.portals.test';

  async function provisioned(subdomain = 'contoso-partners') {
    const id = await ada.request({ subdomain });
    await ada.accept(id);
    await ada.until(id, 'PROVISIONED');
    return id;
  }

  beforeEach(async () => {
    dns = await startDnsServer();
    tenant = await openTestTenantOn(platform, { dnsServers: [dns.address], schedule: [{ untilMs: 60_000, everyMs: 50 }] });
    ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
    portalId = await provisioned();
  });
  afterEach(async () => {
    await tenant.close();
    await dns.close();
  });

  const DOMAIN = `customDomain { id hostname status cnameTarget cnameRecord message checks lastCheckState lastCheckReason pointsTo certificate { name sans thumbprint keyBits } }`;
  const ADD = `mutation($input: AddCustomDomainInput!) { addCustomDomain(input: $input) {
  __typename ... on CustomDomainPayload { ${DOMAIN} } ... on ValidationError { fields { field message } } ... on Error { message } } }`;

  async function add(input: Record<string, unknown>) {
    const { body } = await tenant.gql(ADD, { input: { portalId, ...input } }, ada.token);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data.addCustomDomain;
  }

  async function domainOf(id = portalId) {
    const { body } = await tenant.gql(`query($id: ID!) { portal(id: $id) { ${DOMAIN} } }`, { id }, ada.token);
    return body.data.portal.customDomain;
  }

  async function domainUntil(status: string, id = portalId) {
    let domain: Awaited<ReturnType<typeof domainOf>>;
    return eventually(
      async () => {
        domain = await domainOf(id);
        return domain?.status === status && domain;
      },
      10_000,
      `the domain to be ${status}`,
      { intervalMs: 25, describe: () => `it stayed ${JSON.stringify(domain)}` },
    );
  }

  const newCertificate = (c = contoso, password = PFX_PASSWORD) => ({ name: 'contoso', pfxBase64: c.base64, password });

  describe('adding a custom domain', () => {
    it('goes from "add a CNAME" to configured as the DNS records change', async () => {
      const added = await add({ hostname: 'Portal.Contoso.com', certificate: newCertificate() });
      expect(added.__typename).toBe('CustomDomainPayload');
      expect(added.customDomain).toMatchObject({
        hostname: 'portal.contoso.com',
        status: 'PENDING_CNAME',
        cnameTarget: TARGET,
        cnameRecord: `portal.contoso.com. CNAME ${TARGET}.`,
        message: 'Please add a CNAME record to this domain name.',
        certificate: { name: 'contoso', sans: ['portal.contoso.com', 'www.contoso.com'], keyBits: 2048 },
      });

      // No record yet: the poller keeps checking and says so.
      await sleep(200);
      let domain = await domainOf();
      expect(domain).toMatchObject({ status: 'PENDING_CNAME', lastCheckState: 'NOT_YET' });
      expect(domain.lastCheckReason).toContain('no such name');
      expect(domain.checks).toBeGreaterThan(1);

      // A CNAME to another target: still pending, saying where it points now.
      dns.setCname('portal.contoso.com', 'old-site.example.net');
      await sleep(200);
      domain = await domainOf();
      expect(domain).toMatchObject({ status: 'PENDING_CNAME', pointsTo: 'old-site.example.net' });

      // A chain through a CDN name to the portal: configured, with the documented message.
      dns.setCname('portal.contoso.com', 'edge.contoso-cdn.test');
      dns.setCname('edge.contoso-cdn.test', TARGET);
      domain = await domainUntil('CONFIGURED');
      expect(domain.message).toBe(customDomainConfiguredMessage('https://portal.contoso.com'));
      const state = await ada.state(portalId);
      const types = eventTypes(state);
      expect(types).toEqual(expect.arrayContaining(['DOMAIN_ADDED', 'DOMAIN_CHECKED', 'DOMAIN_CNAME_FOUND', 'DOMAIN_BINDING_STARTED', 'DOMAIN_CONFIGURED']));
      expect(types.filter((t) => t === 'DOMAIN_CONFIGURED')).toHaveLength(1);
      expect(state.events.find((e: { type: string }) => e.type === 'DOMAIN_ADDED')?.message).toBe(
        `Please add a CNAME record to this domain name. Create this record with your DNS provider: portal.contoso.com CNAME ${TARGET}`,
      );
      expect(await tenant.platform.countOperations({ kind: 'BIND_SSL' })).toBe(1);
    });

    it('takes the SSL binding off the platform when a configured domain is removed, and keeps the domain when it cannot', async () => {
      await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      dns.setCname('portal.contoso.com', TARGET);
      const configured = await domainUntil('CONFIGURED');
      expect(await tenant.platform.listBindings()).toEqual([
        { hostname: 'portal.contoso.com', subdomain: 'contoso-partners', certificateThumbprint: configured.certificate.thumbprint, operationId: expect.any(String) },
      ]);
      const REMOVE = 'mutation($id: ID!) { removeCustomDomain(input: { domainId: $id }) { __typename ... on RemovedCustomDomainPayload { hostname } ... on Error { message } } }';

      // The platform cannot be reached: nothing is removed, and the answer says what to do.
      await tenant.platform.makeUnavailable('contoso-partners', 1);
      const refused = await tenant.gql(REMOVE, { id: configured.id }, ada.token);
      expect(refused.body.data.removeCustomDomain).toEqual({ __typename: 'ConflictError', message: expect.stringContaining('The custom domain is kept; try again in a few minutes.') });
      expect(await domainOf()).toMatchObject({ status: 'CONFIGURED' });

      const removed = await tenant.gql(REMOVE, { id: configured.id }, ada.token);
      expect(removed.body.data.removeCustomDomain).toEqual({ __typename: 'RemovedCustomDomainPayload', hostname: 'portal.contoso.com' });
      expect(await domainOf()).toBeNull();
      await sleep(100);
      expect(await tenant.platform.listBindings()).toEqual([]);
      const state = await ada.state(portalId);
      expect(state.events.at(-1)).toMatchObject({ type: 'DOMAIN_REMOVED', message: expect.stringContaining('its SSL binding is being taken off the portal') });
    });

    it('treats a silent DNS server as a transient error, not a failure', async () => {
      dns.mode('silent');
      await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      await sleep(900);
      expect(await domainOf()).toMatchObject({ status: 'PENDING_CNAME', lastCheckState: 'TRANSIENT' });
      dns.mode('normal');
      dns.setCname('portal.contoso.com', TARGET);
      await domainUntil('CONFIGURED');
    });

    it('says where the host name points when its CNAME leads out of the DNS server’s zones, naming the host once', async () => {
      dns.serveOnly(['contoso.com']); // an authoritative server of the customer's zone only
      await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      await eventually(async () => (await domainOf()).checks > 0, 10_000, 'a first CNAME check', { intervalMs: 25 });
      dns.setCname('portal.contoso.com', 'elsewhere.example.');
      const domain = await eventually(
        async () => {
          const seen = await domainOf();
          return seen.pointsTo === 'elsewhere.example' && seen;
        },
        10_000,
        'the check to see the new CNAME',
        { intervalMs: 25 },
      );
      expect(domain).toMatchObject({ status: 'PENDING_CNAME', lastCheckState: 'NOT_YET', pointsTo: 'elsewhere.example' });
      expect(domain.lastCheckReason).toMatch(/^portal\.contoso\.com points to elsewhere\.example, not contoso-partners\.portals\.test; /);

      const checked = (await ada.state(portalId)).events.filter((e: { type: string }) => e.type === 'DOMAIN_CHECKED');
      expect(checked.map((e: { message: string }) => e.message)).toEqual([
        'Please add a CNAME record to this domain name. portal.contoso.com does not exist in DNS yet (no such name).',
        `Please add a CNAME record to this domain name. ${domain.lastCheckReason}.`,
      ]);
      for (const event of checked) expect(event.message.split('portal.contoso.com')).toHaveLength(2);

      dns.setCname('portal.contoso.com', TARGET); // the target is outside the server's zones too: seen all the same
      await domainUntil('CONFIGURED');
    });

    it('refuses a portal that is not provisioned, and a second domain', async () => {
      const other = await ada.request({ subdomain: 'not-yet' });
      const { body } = await tenant.gql(ADD, { input: { portalId: other, hostname: 'www.contoso.com', certificate: newCertificate() } }, ada.token);
      expect(body.data.addCustomDomain.message).toContain('Only a provisioned portal can have a custom domain');
      expect((await add({ hostname: 'portal.contoso.com', certificate: newCertificate() })).__typename).toBe('CustomDomainPayload');
      const second = await add({ hostname: 'www.contoso.com', certificate: newCertificate() });
      expect(second).toEqual({
        __typename: 'ConflictError',
        message: 'Only one custom domain name can be added to a portal; Contoso Partners has portal.contoso.com. Remove it first.',
      });
    });

    it('refuses an apex name, an uncovered name and a wrong password, all at once, storing nothing', async () => {
      const apex = await add({ hostname: 'contoso.com', certificate: newCertificate() });
      expect(apex.fields).toEqual([
        { field: 'hostname', message: 'contoso.com is the apex of its DNS zone, where a CNAME record cannot exist. Use a name below it, such as www.contoso.com or portal.contoso.com.' },
      ]);
      const both = await add({ hostname: 'contoso.com', certificate: newCertificate(contoso, 'wrong-password') });
      expect(both.__typename).toBe('ValidationError');
      expect(both.fields.map((f: { field: string }) => f.field)).toEqual(['hostname', 'certificate']);
      expect(JSON.stringify(both)).not.toContain('wrong-password');
      const uncovered = await add({ hostname: 'a.b.fabrikam.com', certificate: newCertificate(wildcard) });
      expect(uncovered.fields[0].message).toMatch(/a\.b\.fabrikam\.com/);
      const garbage = await add({ hostname: 'shop.fabrikam.com', certificate: { name: 'x', pfxBase64: 'bm90IGEgcGZ4', password: 'x' } });
      expect(garbage.fields[0].field).toBe('certificate');
      const { body } = await tenant.gql('{ certificates { id } hostnames { id } }', {}, ada.token);
      expect(body.data).toEqual({ certificates: [], hostnames: [] });
    });

    it('refuses an IP address, even with a certificate naming it, and the apex under a suffix like gov.au, storing no host name', async () => {
      const ip = makeServerPfx(certs.path, 'ip', ['10.1.2.3', 'portal.contoso.gov.au']);
      for (const hostname of ['10.1.2.3', '10.1.2.3.', '[::1]']) {
        const refused = await add({ hostname, certificate: { name: 'ip', pfxBase64: ip.base64, password: PFX_PASSWORD } });
        expect(refused.__typename, hostname).toBe('ValidationError');
        expect(refused.fields, hostname).toEqual([{ field: 'hostname', message: expect.stringContaining('is an IP address; a custom domain is a host name') }]);
      }
      const apex = await add({ hostname: 'contoso.gov.au', certificate: { name: 'ip', pfxBase64: ip.base64, password: PFX_PASSWORD } });
      expect(apex.fields).toEqual([{ field: 'hostname', message: expect.stringContaining('contoso.gov.au is the apex of its DNS zone') }]);
      const { body } = await tenant.gql('query($id: ID!) { hostnames { name } portal(id: $id) { customDomain { id } } }', { id: portalId }, ada.token);
      expect(body.data).toEqual({ hostnames: [], portal: { customDomain: null } });

      const below = await add({ hostname: 'portal.contoso.gov.au', certificate: { name: 'ip', pfxBase64: ip.base64, password: PFX_PASSWORD } });
      expect(below.customDomain).toMatchObject({ hostname: 'portal.contoso.gov.au', status: 'PENDING_CNAME' });

      // An IP address kept as a host name before this rule cannot be chosen again either.
      await tenant.db.insert(tablesOf(tenant.db).hostnames).values({ name: '10.1.2.3' });
      const kept = (await tenant.gql('{ hostnames { id name } }', {}, ada.token)).body.data.hostnames.find((h: { name: string }) => h.name === '10.1.2.3');
      const otherPortal = await provisioned('contoso-ip');
      const reused = await tenant.gql(ADD, { input: { portalId: otherPortal, hostnameId: kept.id, certificate: { name: 'ip', pfxBase64: ip.base64, password: PFX_PASSWORD } } }, ada.token);
      expect(reused.body.data.addCustomDomain.fields).toEqual([{ field: 'hostnameId', message: expect.stringContaining('10.1.2.3 is an IP address') }]);
    });

    it('says so when a certificate uploaded is stored already, by upload or with a domain, and keeps one copy under its first name', async () => {
      const UPLOAD = `mutation($input: NewCertificateInput!) { uploadCertificate(input: $input) {
      __typename ... on CertificatePayload { alreadyUploaded notice certificate { id name } } ... on Error { message } } }`;
      const upload = async (name: string) => (await tenant.gql(UPLOAD, { input: { ...newCertificate(), name } }, ada.token)).body.data.uploadCertificate;

      const first = await upload('contoso 2026');
      expect(first).toEqual({ __typename: 'CertificatePayload', alreadyUploaded: false, notice: null, certificate: { id: expect.any(String), name: 'contoso 2026' } });
      const again = await upload('contoso renewed');
      expect(again).toEqual({
        __typename: 'CertificatePayload',
        alreadyUploaded: true,
        notice: 'This certificate is already uploaded as contoso 2026; that one is used.',
        certificate: first.certificate,
      });

      const { body } = await tenant.gql(
        `mutation($input: AddCustomDomainInput!) { addCustomDomain(input: $input) {
        __typename ... on CustomDomainPayload { certificateAlreadyUploaded notice customDomain { certificate { id name } } } } }`,
        { input: { portalId, hostname: 'portal.contoso.com', certificate: { ...newCertificate(), name: 'yet another name' } } },
        ada.token,
      );
      expect(body.data.addCustomDomain).toEqual({
        __typename: 'CustomDomainPayload',
        certificateAlreadyUploaded: true,
        notice: 'This certificate is already uploaded as contoso 2026; that one is used.',
        customDomain: { certificate: first.certificate },
      });
      const certificates = await tenant.gql('{ certificates { name } }', {}, ada.token);
      expect(certificates.body.data.certificates).toEqual([{ name: 'contoso 2026' }]);
      const added = (await ada.state(portalId)).events.find((e: { type: string }) => e.type === 'DOMAIN_ADDED');
      expect(added?.message).toBe(
        `Please add a CNAME record to this domain name. This certificate is already uploaded as contoso 2026; that one is used. Create this record with your DNS provider: portal.contoso.com CNAME ${TARGET}`,
      );
    });

    it('reuses an existing host name and certificate for another portal after removal', async () => {
      const first = await add({ hostname: 'shop.fabrikam.com', certificate: newCertificate(wildcard) });
      const removed = await tenant.gql(
        'mutation($id: ID!) { removeCustomDomain(input: { domainId: $id }) { __typename ... on Error { message } } }',
        { id: first.customDomain.id },
        ada.token,
      );
      expect(removed.body.data.removeCustomDomain.__typename).toBe('RemovedCustomDomainPayload');
      const { body } = await tenant.gql('{ certificates { id name } hostnames { id name inUse } }', {}, ada.token);
      expect(body.data.hostnames).toEqual([{ id: expect.any(String), name: 'shop.fabrikam.com', inUse: false }]);
      const otherPortal = await provisioned('fabrikam-shop');
      const again = await tenant.gql(ADD, { input: { portalId: otherPortal, hostnameId: body.data.hostnames[0].id, certificateId: body.data.certificates[0].id } }, ada.token);
      expect(again.body.data.addCustomDomain.customDomain).toMatchObject({ hostname: 'shop.fabrikam.com', cnameTarget: 'fabrikam-shop.portals.test' });
    });

    it('records Check now over a check the DNS poller of another replica began meanwhile', async () => {
      const added = await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      // This process's poller is stopped: the other replica's is played by the claim below.
      await tenant.dnsPoller.stop();
      dns.setCname('portal.contoso.com', TARGET);
      dns.delay(100);
      const asked = dns.queries.length;
      const CHECK = `mutation($id: ID!) { checkCustomDomain(input: { domainId: $id }) { __typename ... on CustomDomainPayload { customDomain { status lastCheckState } } } }`;
      const checking = tenant.gql(CHECK, { id: added.customDomain.id }, ada.token);
      // Check now read the domain and asks DNS; the other replica's poller claims the domain now.
      await eventually(() => dns.queries.length > asked, 5_000, 'the DNS question of Check now');
      const far = new Date(Date.now() + 3_600_000);
      expect(await claimDueDomains(tenant.db, 'another-replica', far, new Date(far.getTime() + 60_000), 10)).toHaveLength(1);
      const { body } = await checking;
      expect(body.data.checkCustomDomain.customDomain).toEqual({ status: 'BINDING', lastCheckState: 'FOUND' });
      expect((await domainOf()).status).toBe('BINDING');
    });

    it('gives up after its schedule with an alert, and Check now starts it again', async () => {
      await tenant.close();
      tenant = await openTestTenantOn(platform, { dnsServers: [dns.address], schedule: [{ untilMs: 300, everyMs: 50 }] });
      ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
      portalId = await provisioned();
      const added = await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      await domainUntil('GAVE_UP');
      const alert = (await ada.state(portalId)).events.find((e: { type: string }) => e.type === 'DOMAIN_GAVE_UP');
      expect(alert?.data.alert).toBe(true);
      expect(alert?.message).toMatch(
        /^Checking has stopped after \d+ checks without seeing the CNAME to contoso-partners\.portals\.test\. Last check: portal\.contoso\.com does not exist in DNS yet \(no such name\)\. Please add a CNAME record to this domain name\. Then press Check now\.$/,
      );
      dns.setCname('portal.contoso.com', TARGET);
      const check = await tenant.gql(
        `mutation($id: ID!) { checkCustomDomain(input: { domainId: $id }) { __typename ... on CustomDomainPayload { customDomain { status } } } }`,
        { id: added.customDomain.id },
        ada.token,
      );
      expect(check.body.data.checkCustomDomain.customDomain.status).toBe('BINDING');
      await domainUntil('CONFIGURED');
    });

    it('keeps the private key encrypted and the password nowhere in the database', async () => {
      await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      const file = await storedText(tenant.db, tenant.database.target);
      expect(file).not.toContain(PFX_PASSWORD);
      expect(file).not.toContain(contoso.keyBody);
      expect(file).not.toContain('PRIVATE KEY');
      expect(file).toContain('BEGIN CERTIFICATE');
    });
  });

  describe('certificate expiry reminders', () => {
    it('reminds 30, 7 and 1 days before, each once', async () => {
      dns.setCname('portal.contoso.com', TARGET);
      await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      await domainUntil('CONFIGURED');
      const { body } = await tenant.gql('{ certificates { notAfter } }', {}, ada.token);
      const notAfter = Date.parse(body.data.certificates[0].notAfter);
      const day = 86_400_000;
      const reminders = new CertificateReminders({ db: tenant.db, log: createLogger('silent') });
      expect(await reminders.run(new Date(notAfter - 40 * day))).toBe(0);
      expect(await reminders.run(new Date(notAfter - 20 * day))).toBe(1);
      expect(await reminders.run(new Date(notAfter - 19 * day))).toBe(0);
      expect(await reminders.run(new Date(notAfter - 5 * day))).toBe(1);
      expect(await reminders.run(new Date(notAfter - day / 2))).toBe(1);
      expect(await reminders.run(new Date(notAfter - day / 4))).toBe(0);
      const messages = (await ada.state(portalId)).events.filter((e: { type: string }) => e.type === 'CERTIFICATE_EXPIRING').map((e: { data: { threshold: number } }) => e.data.threshold);
      expect(messages).toEqual([30, 7, 1]);
    });

    it('sends a reminder once when two processes run the job at the same hour', async () => {
      dns.setCname('portal.contoso.com', TARGET);
      await add({ hostname: 'portal.contoso.com', certificate: newCertificate() });
      await domainUntil('CONFIGURED');
      const { body } = await tenant.gql('{ certificates { notAfter } }', {}, ada.token);
      const at = new Date(Date.parse(body.data.certificates[0].notAfter) - 20 * 86_400_000);
      const replicas = [0, 1].map(() => new CertificateReminders({ db: tenant.db, log: createLogger('silent') }));
      const sent = await Promise.all(replicas.map((reminders) => reminders.run(at)));
      expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
      expect((await ada.state(portalId)).events.filter((e: { type: string }) => e.type === 'CERTIFICATE_EXPIRING')).toHaveLength(1);
    });
  });
});
