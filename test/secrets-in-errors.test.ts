// Secrets never come back: an answer about a bad request names the variable or field and what is wrong,
// never its value, and no log line holds a password, a .pfx or a token. Over HTTP, to the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { capturedLog } from './support/captured-log.ts';
import { makeServerPfx, PFX_PASSWORD } from './support/certificates.ts';
import { listenOnLoopback } from './support/loopback-server.ts';
import { openTestTenant, type TestTenant, tempDir } from './support/tenant.ts';

let tenant: TestTenant;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let logs: ReturnType<typeof capturedLog>;
let token: string;
let pfxBase64: string;
const files = tempDir();

beforeAll(async () => {
  pfxBase64 = makeServerPfx(files.path, 'shop', ['shop.contoso.test']).base64;
  logs = capturedLog('debug');
  tenant = await openTestTenant({ log: logs.log });
  token = await tenant.token({ email: 'ada@contoso.com' });
  server = await listenOnLoopback(tenant.yoga);
});
afterAll(async () => {
  await server.close();
  await tenant.close();
  files.remove();
});

async function post(body: unknown, bearer = token): Promise<{ status: number; text: string; errors: Array<{ message: string }> }> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, errors: JSON.parse(text).errors ?? [] };
}

/** Pieces of every secret in play: the password, slices of the .pfx, the token. */
function secrets(): string[] {
  return [PFX_PASSWORD, pfxBase64.slice(0, 24), pfxBase64.slice(200, 224), pfxBase64.slice(-40, -16), token.slice(-20), '987654321'];
}
function expectNoSecretIn(text: string) {
  for (const secret of secrets()) expect(text, `"${secret}" was repeated`).not.toContain(secret);
}

const UPLOAD = 'mutation Upload($i: NewCertificateInput!) { uploadCertificate(input: $i) { __typename ... on Error { message } } }';

describe('errors about a request never repeat its values', () => {
  it('names the missing field of a certificate, not the .pfx and password sent with it', async () => {
    const answer = await post({ query: UPLOAD, variables: { i: { pfxBase64, password: PFX_PASSWORD } } });
    expect(answer.errors.map((e) => e.message)).toEqual(['Variable "$i" is not valid: Field "name" of required type "String!" was not provided.']);
    expectNoSecretIn(answer.text);
  });

  it('says which field has the wrong type, and what it takes, without the value', async () => {
    const answer = await post({ query: UPLOAD, variables: { i: { name: 'shop', pfxBase64, password: 987654321 } } });
    expect(answer.errors.map((e) => e.message)).toEqual(['Variable "$i" is not valid at "i.password": Expected a value of type "String".']);
    expectNoSecretIn(answer.text);
  });

  it('lists every problem of the variable at once', async () => {
    const answer = await post({ query: UPLOAD, variables: { i: { pfxBase64: 12, password: PFX_PASSWORD, pfx: pfxBase64 } } });
    expect(answer.errors.map((e) => e.message).sort()).toEqual([
      'Variable "$i" is not valid at "i.pfxBase64": Expected a value of type "String".',
      'Variable "$i" is not valid: Field "name" of required type "String!" was not provided.',
      'Variable "$i" is not valid: Field "pfx" is not defined by type "NewCertificateInput".',
    ]);
    expectNoSecretIn(answer.text);
  });

  it('holds for a document of several operations, which runs outside the compiled path', async () => {
    const answer = await post({ query: `query Who { viewer { kind } } ${UPLOAD}`, operationName: 'Upload', variables: { i: { password: PFX_PASSWORD, pfxBase64 } } });
    expect(answer.errors.map((e) => e.message)).toEqual(['Variable "$i" is not valid: Field "name" of required type "String!" was not provided.']);
    expectNoSecretIn(answer.text);
  });

  it('holds for a nested certificate and for a subscription variable', async () => {
    const add = await post({
      query: 'mutation($i: AddCustomDomainInput!) { addCustomDomain(input: $i) { __typename } }',
      variables: { i: { portalId: 'x', certificate: { name: 'shop', pfxBase64, password: [PFX_PASSWORD] } } },
    });
    expect(add.errors.map((e) => e.message)).toEqual(['Variable "$i" is not valid at "i.certificate.password": Expected a value of type "String".']);
    expectNoSecretIn(add.text);
    const feed = await post({ query: 'subscription($after: Int) { portalEvents(after: $after) { sequence } }', variables: { after: PFX_PASSWORD } });
    expect(feed.errors.map((e) => e.message)).toEqual(['Variable "$after" is not valid: Expected a value of type "Int".']);
    expectNoSecretIn(feed.text);
  });

  it('describes a literal of the wrong kind instead of printing it', async () => {
    const inline = (input: string) => post({ query: `mutation { addCustomDomain(input: { portalId: "x", certificate: ${input} }) { __typename } }` });
    const list = await inline(`[{ name: "shop", pfxBase64: "${pfxBase64}", password: "${PFX_PASSWORD}" }]`);
    expect(list.errors.map((e) => e.message)).toEqual(['Expected value of type "NewCertificateInput", found a list.']);
    expectNoSecretIn(list.text);
    const text = await inline(`"${PFX_PASSWORD}"`);
    expect(text.errors.map((e) => e.message)).toEqual(['Expected value of type "NewCertificateInput", found a string.']);
    expectNoSecretIn(text.text);
    const number = await post({ query: `mutation { uploadCertificate(input: { name: "n", pfxBase64: "${pfxBase64}", password: 987654321 }) { __typename } }` });
    expect(number.errors.map((e) => e.message)).toEqual(['String cannot represent a non string value: an integer']);
    expectNoSecretIn(number.text);
  });

  it('refuses a wrong password and an unknown token without repeating either', async () => {
    const wrong = await post({ query: UPLOAD, variables: { i: { name: 'shop', pfxBase64, password: `${PFX_PASSWORD}-not` } } });
    expect(wrong.text).toContain('The password does not open the file.');
    expect(wrong.text).not.toContain(PFX_PASSWORD);
    const unknown = await post({ query: '{ viewer { kind } }' }, `${token}x`);
    expect(unknown.status).toBe(401);
    expectNoSecretIn(unknown.text);
  });

  it('leaves every secret out of the log lines those requests wrote', () => {
    expect(logs.lines().length).toBeGreaterThan(0);
    for (const line of logs.lines()) expectNoSecretIn(line);
  });
});

describe('the log', () => {
  it('censors a secret however deep it is nested, in a logged object or in an error', () => {
    const { log, lines } = capturedLog('debug');
    const variables = { input: { certificate: { name: 'shop', pfxBase64, password: PFX_PASSWORD } } };
    log.error({ args: [{ variables }], err: Object.assign(new Error('upload failed'), { details: { variables } }) }, 'graphql error');
    log.info({ request: { headers: { Authorization: `Bearer ${token}` } } }, 'request');
    const [error, request] = lines().map((l) => JSON.parse(l));
    expect(error.args[0].variables.input.certificate).toEqual({ name: 'shop', pfxBase64: '[redacted]', password: '[redacted]' });
    expect(error.err.details.variables.input.certificate.password).toBe('[redacted]');
    expect(error.err.message).toBe('upload failed');
    expect(request.request.headers.Authorization).toBe('[redacted]');
    for (const line of lines()) expectNoSecretIn(line);
  });

  it('keeps everything else as it was', () => {
    const { log, lines } = capturedLog('info');
    log.info({ portalId: 7, when: new Date(0), names: ['a', 'b'], nested: { tokenName: 'reporting' } }, 'kept');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ portalId: 7, when: '1970-01-01T00:00:00.000Z', names: ['a', 'b'], nested: { tokenName: 'reporting' } });
    expect(createLogger('silent').level).toBe('silent');
  });
});
