// What the GraphQL endpoint accepts over a real HTTP port: one body cap whatever the framing, JSON
// only for POST, mutations never over GET, and CORS only for the origins an operator allows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpApp } from '../app/server.ts';
import { postChunked, serveTenant } from './support/http.ts';
import { PortalDriver } from './support/lifecycle.ts';
import { openTestTenant, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let ada: PortalDriver;
let app: HttpApp;
let graphql: string;

async function start(options: Parameters<typeof openTestTenant>[0] = {}) {
  tenant = await openTestTenant(options);
  ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
  app = await serveTenant(tenant);
  graphql = `${app.url}/graphql`;
}
afterEach(async () => {
  await app?.close(0);
  await tenant?.close();
});

const MiB = 1024 * 1024;
const rename = (portalId: string, name: string) => `mutation { renamePortal(input: { portalId: "${portalId}", name: "${name}" }) { __typename } }`;

async function nameOf(portalId: string): Promise<string> {
  return (await ada.state(portalId)).name;
}

describe('the request body cap', () => {
  beforeEach(() => start());

  it('refuses a chunked body over 1 MiB with 413 and runs nothing of it', async () => {
    const id = await ada.request();
    const body = JSON.stringify({ query: `${rename(id, 'Renamed by a huge body')} #${'x'.repeat(5 * 1000 * 1000)}` });
    const answer = await postChunked(graphql, body, { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).errors[0].message).toBe(`The request body is larger than ${MiB} bytes.`);
    expect(await nameOf(id)).toBe('Contoso Partners');
  });

  it('refuses a chunked body just over the cap and runs one just under it', async () => {
    const id = await ada.request();
    const padded = (name: string, total: number) => {
      const start = JSON.stringify({ query: `${rename(id, name)} #` }).length;
      return JSON.stringify({ query: `${rename(id, name)} #${'x'.repeat(total - start)}` });
    };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` };
    const over = padded('Just over', MiB + 1);
    expect(Buffer.byteLength(over)).toBe(MiB + 1);
    expect((await postChunked(graphql, over, headers)).status).toBe(413);
    const under = padded('Just under', MiB);
    const answer = await postChunked(graphql, under, headers);
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    expect(await nameOf(id)).toBe('Just under');
  });
});

describe('what a POST may carry', () => {
  beforeEach(() => start());

  it('refuses a form post, multipart and other non-JSON bodies with 415 and runs nothing', async () => {
    const id = await ada.request();
    const query = rename(id, 'Renamed by a form');
    const form = new URLSearchParams({ query });
    const multipart = new FormData();
    multipart.set('operations', JSON.stringify({ query }));
    for (const [body, type] of [
      [form.toString(), 'application/x-www-form-urlencoded'],
      [multipart, undefined],
      [query, 'application/graphql'],
      [JSON.stringify({ query }), 'text/plain'],
      [JSON.stringify({ query }), undefined],
    ] as const) {
      const response = await fetch(graphql, {
        method: 'POST',
        headers: { authorization: `Bearer ${ada.token}`, ...(type ? { 'content-type': type } : {}) },
        body,
      });
      const answer = await response.json();
      expect(response.status, String(type)).toBe(415);
      expect(answer.errors[0].message).toBe('Send the GraphQL request as JSON, with the header Content-Type: application/json.');
    }
    expect(await nameOf(id)).toBe('Contoso Partners');
  });

  it('still takes JSON, with or without a charset', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
      const response = await fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${ada.token}` },
        body: JSON.stringify({ query: '{ viewer { kind } }' }),
      });
      expect(await response.json(), type).toEqual({ data: { viewer: { kind: 'USER' } } });
    }
  });

  it('takes the JSON media type in any case and with spaces before its charset, as HTTP allows', async () => {
    for (const type of ['Application/JSON', 'APPLICATION/JSON; charset=utf-8', 'application/json ; charset=utf-8']) {
      const response = await fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${ada.token}` },
        body: JSON.stringify({ query: '{ viewer { kind } }' }),
      });
      expect(response.status, type).toBe(200);
      expect(await response.json(), type).toEqual({ data: { viewer: { kind: 'USER' } } });
    }
  });

  it('says where a body is not valid JSON without repeating it', async () => {
    const body = '{"query":"mutation($i: NewCertificateInput!) { uploadCertificate(input: $i) { __typename } }","variables":{"i":{"pfxBase64":"TUlJQ2Rn","password":"hunter2-secret"},}}';
    const response = await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` }, body });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text).errors[0].message).toMatch(/^The request body is not valid JSON \(at character \d+\)\.$/);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('TUlJQ2Rn');
  });

  it('answers GET variables that are not JSON with 400, without repeating them', async () => {
    const query = encodeURIComponent('query($n: Int) { portals(first: $n) { totalCount } }');
    const headers = { authorization: `Bearer ${ada.token}`, accept: 'application/graphql-response+json' };
    const good = await fetch(`${graphql}?query=${query}&variables=${encodeURIComponent('{"n":2}')}`, { headers });
    expect(await good.json()).toEqual({ data: { portals: { totalCount: 0 } } });
    const bad = await fetch(`${graphql}?query=${query}&variables=${encodeURIComponent('{"password":"hunter2-secret"')}`, { headers });
    const text = await bad.text();
    expect(bad.status).toBe(400);
    expect(JSON.parse(text).errors[0].message).toMatch(/^The variables parameter is not valid JSON/);
    expect(text).not.toContain('hunter2');
  });

  it('answers queries over GET and refuses mutations over GET', async () => {
    const id = await ada.request();
    const headers = { authorization: `Bearer ${ada.token}`, accept: 'application/json' };
    const query = await fetch(`${graphql}?query=${encodeURIComponent('{ viewer { kind } }')}`, { headers });
    expect(await query.json()).toEqual({ data: { viewer: { kind: 'USER' } } });
    const mutation = await fetch(`${graphql}?query=${encodeURIComponent(rename(id, 'Renamed by GET'))}`, { headers });
    expect(mutation.status).toBe(405);
    expect(await nameOf(id)).toBe('Contoso Partners');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(graphql, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
  const post = (origin: string) =>
    fetch(graphql, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${ada.token}` },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });

  it('allows no other origin when none is configured', async () => {
    await start();
    for (const response of [await preflight('https://evil.example'), await post('https://evil.example')]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('allows only the configured origins, without credentials', async () => {
    await start({ corsOrigins: ['https://admin.contoso.com', 'http://localhost:5173'] });
    for (const origin of ['https://admin.contoso.com', 'http://localhost:5173']) {
      const allowed = await preflight(origin);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
      expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('authorization, content-type');
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      expect((await post(origin)).headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const response of [await preflight('https://evil.example'), await post('https://evil.example'), await post('https://admin.contoso.com.evil.example')]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
