// Names hold visible text only, stored in NFC, on every path that sets one: a portal's request, rename,
// and Change Values and Restart Provisioning, and a certificate's upload. Raw bodies go over HTTP to the real server, so the
// characters arrive exactly as a client's bytes and JSON escapes carry them.

import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServerPfx, PFX_PASSWORD } from './support/certificates.ts';
import { PortalDriver } from './support/lifecycle.ts';
import { listenOnLoopback } from './support/loopback-server.ts';
import { sqlRows } from './support/rows.ts';
import { openTestTenant, portalInput, REQUEST_PORTAL, type TestTenant, tempDir } from './support/tenant.ts';

let tenant: TestTenant;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let token: string;
let ada: PortalDriver;

beforeEach(async () => {
  tenant = await openTestTenant();
  token = await tenant.token({ email: 'ada@contoso.com' });
  ada = new PortalDriver(tenant, token);
  server = await listenOnLoopback(tenant.yoga);
});
afterEach(async () => {
  await server.close();
  await tenant.close();
});

/** Posts bytes as they are, so a test decides every escape and every byte. */
async function postRaw(body: Buffer | string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** A request body whose name is spliced in as raw JSON text (escapes and all). */
function requestBody(nameJson: string, overrides: Record<string, unknown> = {}): string {
  const variables = JSON.stringify({ input: portalInput({ name: '@NAME@', ...overrides }) });
  return `{"query":${JSON.stringify(REQUEST_PORTAL)},"variables":${variables.replace('"@NAME@"', nameJson)}}`;
}

const storedNames = async () => (await sqlRows<{ name: string }>(tenant.db, sql`select name from portals order by id`)).map((row) => row.name);

type Field = { field: string; message: string };
const problemsOf = (result: { __typename: string; fields?: Field[] }, field: string) => {
  expect(result.__typename).toBe('ValidationError');
  return (result.fields ?? []).filter((f) => f.field === field).map((f) => f.message);
};

describe('a portal name', () => {
  it('refuses control, bidirectional and zero-width characters, each problem beside the name, and keeps nothing', async () => {
    const answer = await postRaw(requestBody('"\\u001b[31mContoso\\u0007 \\u202epdf.exe\\u200b"', { subdomain: '-Bad_' }));
    const result = answer.data.requestPortal;
    expect(problemsOf(result, 'name')).toEqual([
      'Remove the control characters from the name: U+001B (ESC), U+0007 (BEL).',
      'Remove the bidirectional formatting characters from the name, which change the order it reads in: U+202E (RIGHT-TO-LEFT OVERRIDE).',
      'Remove the invisible zero-width characters from the name: U+200B (ZERO WIDTH SPACE).',
    ]);
    // The rest of the form is checked too, every problem of each field at once.
    expect(problemsOf(result, 'subdomain')).toEqual(['Use only letters, digits and hyphens in the subdomain; remove "_".', 'The subdomain cannot start with a hyphen.']);
    // No message repeats a character it refuses.
    expect(JSON.stringify(answer)).not.toMatch(/\\u001b|\\u0007|\u202e|\u200b/i);
    expect(await storedNames()).toEqual([]);
  });

  it('refuses invisible characters that are not zero-width: a soft hyphen, tag characters, a Hangul filler', async () => {
    // U+E0069 U+E0067 are written as the surrogate pairs JSON needs.
    const result = (await postRaw(requestBody('"Con\\u00adtoso\\udb40\\udc69\\udb40\\udc67 \\u3164"'))).data.requestPortal;
    expect(problemsOf(result, 'name')).toEqual(['Remove the invisible characters from the name: U+00AD (SOFT HYPHEN), U+E0069, U+E0067, U+3164 (HANGUL FILLER).']);
    expect(await storedNames()).toEqual([]);
  });

  it('refuses NUL', async () => {
    const result = (await postRaw(requestBody('"Con\\u0000toso"'))).data.requestPortal;
    expect(problemsOf(result, 'name')).toEqual(['Remove the control characters from the name: U+0000 (NUL).']);
    expect(await storedNames()).toEqual([]);
  });

  it('refuses a lone surrogate sent as a JSON escape instead of storing U+FFFD', async () => {
    const result = (await postRaw(requestBody('"Contoso \\ud800 Partners"'))).data.requestPortal;
    expect(problemsOf(result, 'name')).toEqual(['The name holds half of a UTF-16 surrogate pair, which is not a character; type the name again.']);
    expect(await storedNames()).toEqual([]);
  });

  it('refuses bytes that are not UTF-8 (a surrogate encoded as CESU-8), which arrive as U+FFFD', async () => {
    const [before, after] = requestBody('"Contoso @BYTES@"').split('@BYTES@') as [string, string];
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(after)]);
    const result = (await postRaw(body)).data.requestPortal;
    expect(problemsOf(result, 'name')).toEqual(['The name holds U+FFFD (REPLACEMENT CHARACTER), left where the text sent was not valid UTF-8; send the name as UTF-8.']);
    expect(await storedNames()).toEqual([]);
  });

  it('is stored in NFC, whatever form it was typed in', async () => {
    const result = (await postRaw(requestBody('"Cafe\\u0301 Mu\\u0308ller"'))).data.requestPortal;
    expect(result.__typename).toBe('PortalPayload');
    expect(result.portal.name).toBe('Caf\u00e9 M\u00fcller');
    expect(await storedNames()).toEqual(['Caf\u00e9 M\u00fcller']);
  });

  it('follows the same rule when renamed', async () => {
    const id = await ada.request({ name: 'Contoso' });
    const refused = await ada.mutate('rename', { portalId: id, name: 'Contoso\u001b]0;owned\u0007' });
    expect(problemsOf(refused, 'name')).toEqual(['Remove the control characters from the name: U+001B (ESC), U+0007 (BEL).']);
    expect(await storedNames()).toEqual(['Contoso']);
    const renamed = await ada.mutate('rename', { portalId: id, name: 'A\u030Angstro\u0308m' });
    expect(renamed.portal.displayName).toBe('\u00C5ngstr\u00F6m');
    expect(await storedNames()).toEqual(['\u00C5ngstr\u00F6m']);
  });

  it('follows the same rule when its values are changed and provisioning restarts', async () => {
    const id = await ada.request({ subdomain: 'broken-portal' });
    await ada.accept(id);
    await ada.until(id, 'PROVISIONING_FAILED');
    const refused = await ada.mutate('update', { portalId: id, name: 'Fixed\u2066', subdomain: 'fixed_-' });
    expect(problemsOf(refused, 'name')).toEqual(['Remove the bidirectional formatting characters from the name, which change the order it reads in: U+2066 (LEFT-TO-RIGHT ISOLATE).']);
    expect(problemsOf(refused, 'subdomain')).toEqual(['Use only letters, digits and hyphens in the subdomain; remove "_".', 'The subdomain cannot end with a hyphen.']);
    expect((await ada.state(id)).status).toBe('PROVISIONING_FAILED');
    const updated = await ada.mutate('update', { portalId: id, name: 'Fixe\u0301' });
    expect(updated.portal.displayName).toBe('Fix\u00e9-Configuring');
  });
});

describe('a certificate name', () => {
  it('follows the same rule as a portal name', async () => {
    const files = tempDir();
    try {
      const { base64 } = makeServerPfx(files.path, 'shop', ['shop.contoso.test']);
      const upload =
        'mutation($i: NewCertificateInput!) { uploadCertificate(input: $i) { __typename ... on CertificatePayload { certificate { name } } ... on ValidationError { fields { field message } } } }';
      const refused = (await tenant.gql(upload, { i: { name: 'shop\u001b[2J\u200d', pfxBase64: base64, password: PFX_PASSWORD } }, token)).body.data.uploadCertificate;
      expect(problemsOf(refused, 'certificateName')).toEqual([
        'Remove the control characters from the certificate name: U+001B (ESC).',
        'Remove the invisible zero-width characters from the certificate name: U+200D (ZERO WIDTH JOINER).',
      ]);
      const stored = (await tenant.gql(upload, { i: { name: 'Boutique\u0301 2026', pfxBase64: base64, password: PFX_PASSWORD } }, token)).body.data.uploadCertificate;
      expect(stored.certificate.name).toBe('Boutiqu\u00e9 2026');
    } finally {
      files.remove();
    }
  });
});
