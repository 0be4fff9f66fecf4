// The CNAME check against a real DNS server on a loopback UDP port (test/support/dns-server.ts),
// whose records the tests change while checks run.
import { Resolver } from 'node:dns/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '../test/support/dns-server.ts';
import { authoritativeServers, type CnameCheck, type CnameCheckOptions, checkCname } from './dns-check.ts';

const TIMEOUT_MS = 300;
const TARGET = 'target.example.net';
const HOST = 'portal.customer.test';

let server: TestDnsServer;
beforeEach(async () => {
  server = await startDnsServer();
});
afterEach(async () => {
  await server.close();
});

const options = (extra: Partial<CnameCheckOptions> = {}): CnameCheckOptions => ({
  servers: [server.address],
  timeoutMs: TIMEOUT_MS,
  ...extra,
});
const check = (hostname = HOST, target = TARGET, extra: Partial<CnameCheckOptions> = {}) => checkCname(hostname, target, options(extra));

function resolverAtTestServer(): Resolver {
  const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: 1 });
  resolver.setServers([server.address]);
  return resolver;
}

describe('checkCname', { timeout: 3000 }, () => {
  it('says NOT_YET, no such name, when the name has no record at all', async () => {
    const result = await check();
    expect(result).toMatchObject({ state: 'NOT_YET', reason: `${HOST} does not exist in DNS yet (no such name)` });
    expect(result).not.toHaveProperty('pointsTo');
    // It really asked the test server, for the CNAME of the name.
    expect(server.queries).toContainEqual({ name: HOST, type: 'CNAME' });
  });

  it('says NOT_YET, no CNAME, when the name has only an A record', async () => {
    server.setA(HOST, '192.0.2.10');
    expect(await check()).toMatchObject({ state: 'NOT_YET', reason: expect.stringMatching(/has no CNAME record/) });
  });

  it('says NOT_YET and where it points when the CNAME leads to another name', async () => {
    server.setCname(HOST, 'other.example.net');
    const result = await check();
    expect(result).toEqual({
      state: 'NOT_YET',
      pointsTo: 'other.example.net',
      reason: expect.stringContaining(`points to other.example.net, not ${TARGET}`),
    });
  });

  it('says FOUND for a CNAME straight to the target', async () => {
    server.setCname(HOST, TARGET);
    expect(await check()).toEqual({ state: 'FOUND', chain: [HOST, TARGET] });
  });

  it('says FOUND for a chain of CNAMEs (host → mid → target), with the chain', async () => {
    server.setCname(HOST, 'mid.customer-cdn.test');
    server.setCname('mid.customer-cdn.test', TARGET);
    expect(await check()).toEqual({ state: 'FOUND', chain: [HOST, 'mid.customer-cdn.test', TARGET] });
    expect(server.queries.map((q) => `${q.type} ${q.name}`)).toEqual([`CNAME ${HOST}`, 'CNAME mid.customer-cdn.test']);
  });

  it('says NOT_YET, pointing at the end of the chain, when a chain ends elsewhere', async () => {
    server.setCname(HOST, 'mid.customer-cdn.test');
    server.setCname('mid.customer-cdn.test', 'old-host.example.org');
    server.setA('old-host.example.org', '192.0.2.20');
    expect(await check()).toMatchObject({
      state: 'NOT_YET',
      pointsTo: 'old-host.example.org',
      reason: expect.stringContaining(`points to old-host.example.org, not ${TARGET}`),
    });

    server.remove('old-host.example.org'); // a chain into a name that does not exist
    expect(await check()).toMatchObject({ state: 'NOT_YET', pointsTo: 'old-host.example.org' });
  });

  it('says NOT_YET, loop, for a CNAME loop', async () => {
    server.setCname(HOST, 'a.loop.test');
    server.setCname('a.loop.test', 'b.loop.test');
    server.setCname('b.loop.test', HOST);
    const result = await check();
    expect(result).toMatchObject({ state: 'NOT_YET', reason: expect.stringMatching(/loop/) });
    expect(server.queries).toHaveLength(3); // each name asked once

    server.setCname('self.loop.test', 'self.loop.test');
    expect(await check('self.loop.test')).toMatchObject({ state: 'NOT_YET', reason: expect.stringMatching(/loop/) });
  });

  it('says NOT_YET when the chain is longer than maxDepth, and FOUND when it fits', async () => {
    server.setCname(HOST, 'c1.chain.test');
    server.setCname('c1.chain.test', 'c2.chain.test');
    server.setCname('c2.chain.test', 'c3.chain.test');
    server.setCname('c3.chain.test', TARGET); // four CNAME records from HOST to the target
    expect(await check(HOST, TARGET, { maxDepth: 3 })).toMatchObject({
      state: 'NOT_YET',
      reason: expect.stringMatching(/longer than 3/),
    });
    expect(await check(HOST, TARGET, { maxDepth: 4 })).toMatchObject({ state: 'FOUND' });
  });

  it('sees records change while checks run: NOT_YET first, FOUND once the CNAME is set', async () => {
    const results: CnameCheck['state'][] = [];
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      const result = await check();
      results.push(result.state);
      if (result.state === 'FOUND') break;
      if (results.length === 2) server.setCname(HOST, 'wrong.example.net');
      if (results.length === 3) server.setCname(HOST, TARGET);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(results).toEqual(['NOT_YET', 'NOT_YET', 'NOT_YET', 'FOUND']);

    server.remove(HOST); // and back: no caching anywhere between the checks
    expect(await check()).toMatchObject({ state: 'NOT_YET', reason: `${HOST} does not exist in DNS yet (no such name)` });
  });

  it('says TRANSIENT, not NOT_YET, when the server does not answer, after about the timeout', async () => {
    server.setCname(HOST, TARGET);
    server.mode('silent');
    const started = Date.now();
    const result = await check();
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ state: 'TRANSIENT', reason: expect.stringMatching(/ETIMEOUT/) });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS * 4);

    server.mode('normal');
    expect(await check()).toMatchObject({ state: 'FOUND' });
  });

  it('says TRANSIENT for SERVFAIL', async () => {
    server.setCname(HOST, TARGET);
    server.mode('servfail');
    expect(await check()).toMatchObject({ state: 'TRANSIENT', reason: expect.stringMatching(/ESERVFAIL/) });
  });

  it('says TRANSIENT when nothing listens on the server port (connection refused)', async () => {
    const gone = await startDnsServer();
    const address = gone.address;
    await gone.close();
    const result = await checkCname(HOST, TARGET, { servers: [address], timeoutMs: TIMEOUT_MS });
    expect(result.state).toBe('TRANSIENT');
  });

  it('ignores case and trailing dots, in the records and in the arguments', async () => {
    server.setCname('Portal.Customer.TEST.', 'MID.customer-cdn.test.');
    server.setCname('mid.CUSTOMER-CDN.test', 'Target.Example.NET.');
    expect(await check('PORTAL.customer.test.', 'target.EXAMPLE.net.')).toEqual({
      state: 'FOUND',
      chain: [HOST, 'mid.customer-cdn.test', TARGET],
    });
    expect(await check('portal.customer.test', 'TARGET.example.net')).toMatchObject({ state: 'FOUND' });
  });

  it('says where the host name points when its CNAME leads out of the zones the server answers for', async () => {
    server.serveOnly(['customer.test']);
    server.setCname(HOST, 'elsewhere.example');
    expect(await check()).toEqual({
      state: 'NOT_YET',
      pointsTo: 'elsewhere.example',
      reason: `${HOST} points to elsewhere.example, not ${TARGET}; where elsewhere.example leads cannot be followed: the DNS server refused to answer for it (EREFUSED)`,
    });

    // A later link out of the zones, after one inside: the furthest name known, and the way there.
    server.setCname(HOST, 'mid.customer.test');
    server.setCname('mid.customer.test', 'portal-typo.portals.example');
    expect(await check()).toEqual({
      state: 'NOT_YET',
      pointsTo: 'portal-typo.portals.example',
      reason: `${HOST} points to portal-typo.portals.example, not ${TARGET} (via mid.customer.test); where portal-typo.portals.example leads cannot be followed: the DNS server refused to answer for it (EREFUSED)`,
    });
  });

  it('says TRANSIENT when the server refuses to answer for the host name itself: it is the wrong server to ask', async () => {
    server.serveOnly(['other-customer.test']);
    server.setCname(HOST, TARGET);
    expect(await check()).toEqual({
      state: 'TRANSIENT',
      reason: `${HOST} could not be checked (looking up its CNAME): the DNS server refused to answer for it (EREFUSED)`,
    });
  });

  it('keeps where the host name points when a later link times out or fails, still TRANSIENT', async () => {
    server.setCname(HOST, 'edge.cdn.test');
    server.setCname('edge.cdn.test', TARGET);
    server.mode('silent', 'edge.cdn.test');
    const result = await check();
    expect(result).toEqual({
      state: 'TRANSIENT',
      pointsTo: 'edge.cdn.test',
      reason: `${HOST} points to edge.cdn.test, whose CNAME could not be looked up: the DNS server did not answer in time (ETIMEOUT)`,
    });
    server.mode('servfail', 'edge.cdn.test');
    expect(await check()).toMatchObject({ state: 'TRANSIENT', pointsTo: 'edge.cdn.test', reason: expect.stringMatching(/ESERVFAIL/) });
    server.mode('normal', 'edge.cdn.test');
    expect(await check()).toMatchObject({ state: 'FOUND' });
  });

  it('names the host name once in every reason', async () => {
    const reasons: string[] = [];
    const reasonOf = async () => {
      const result = await check();
      if (result.state !== 'FOUND') reasons.push(result.reason);
    };
    await reasonOf(); // no such name
    server.setA(HOST, '192.0.2.10');
    await reasonOf(); // no CNAME
    server.setCname(HOST, 'other.example.net');
    await reasonOf(); // elsewhere
    server.setCname('other.example.net', 'further.example.net');
    await reasonOf(); // a chain elsewhere
    server.mode('servfail');
    await reasonOf();
    expect(reasons).toHaveLength(5);
    for (const reason of reasons) expect(reason.split(HOST).length - 1, reason).toBe(1);
  });

  it('says FOUND at once when the host name is the target itself', async () => {
    expect(await check(TARGET, `${TARGET.toUpperCase()}.`)).toEqual({ state: 'FOUND', chain: [TARGET] });
  });
});

describe('authoritativeServers', { timeout: 3000 }, () => {
  it("walks up the labels to the zone's NS record and resolves the name servers' addresses", async () => {
    server.setNs('customer.test', ['ns1.dns-host.test', 'ns2.dns-host.test']);
    server.setA('ns1.dns-host.test', '127.0.0.1');
    server.setAaaa('ns2.dns-host.test', '::1');
    server.setA('www.portal.customer.test', '192.0.2.1');

    expect(await authoritativeServers('www.portal.customer.test.', resolverAtTestServer())).toEqual(['127.0.0.1', '::1']);
    const nsQueries = server.queries.filter((q) => q.type === 'NS').map((q) => q.name);
    expect(nsQueries).toEqual(['www.portal.customer.test', 'portal.customer.test', 'customer.test']);
  });

  it('the result works as servers for Resolver.setServers', async () => {
    server.setNs('customer.test', 'ns1.dns-host.test');
    server.setA('ns1.dns-host.test', '127.0.0.1');
    const servers = await authoritativeServers(HOST, resolverAtTestServer());
    const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: 1 });
    expect(() => resolver.setServers(servers)).not.toThrow();
    expect(resolver.getServers()).toEqual(['127.0.0.1']);
  });

  it('skips a name that is a CNAME (a zone apex cannot be one)', async () => {
    server.setNs('customer.test', 'ns1.dns-host.test');
    server.setA('ns1.dns-host.test', '127.0.0.1');
    server.setCname(HOST, TARGET);
    server.setNs(TARGET, 'ns.example.net');
    server.setA('ns.example.net', '127.0.0.2');
    expect(await authoritativeServers(HOST, resolverAtTestServer())).toEqual(['127.0.0.1']);
  });

  it('fails with ENOTFOUND when no zone is found, and with the DNS error when the server fails', async () => {
    await expect(authoritativeServers('nowhere.invalid-zone.test', resolverAtTestServer())).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });

    server.setNs('customer.test', 'ns1.dns-host.test'); // a name server without an address
    await expect(authoritativeServers(HOST, resolverAtTestServer())).rejects.toMatchObject({ code: 'ENOSERVERS' });

    server.mode('servfail');
    await expect(authoritativeServers(HOST, resolverAtTestServer())).rejects.toMatchObject({ code: 'ESERVFAIL' });
    server.mode('silent');
    await expect(authoritativeServers(HOST, resolverAtTestServer())).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });
});
