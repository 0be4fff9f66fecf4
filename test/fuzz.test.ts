// Property-based fault drills (fast-check): whatever a client sends, through GraphQL or as a signed
// Slack request, the product answers with a typed error or a 4xx, never with a 5xx, a masked
// "Unexpected error." or a leaked internal (stack, SQL, JS error, file path), and keeps answering.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, PROVISION_CALLBACK } from '../bot/blocks/common.ts';
import { DOMAIN_BLOCK, DOMAIN_CALLBACK } from '../bot/blocks/domain.ts';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { PFX_PASSWORD, makeServerPfx } from './support/certificates.ts';
import type { SlackCall } from './support/fake-slack.ts';
import { PortalDriver } from './support/lifecycle.ts';
import { type SlackHarness, eventually, startSlackHarness } from './support/slack.ts';
import { type TestTenant, instanceId, openTestTenant, tempDir, userId } from './support/tenant.ts';

// ---------------------------------------------------------------------------------------------
// What counts as a leak

/** Markers of an internal error that reached a client. Each has a name, for the failure message. */
const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a masked internal error', /Unexpected error\./],
  ['a stack trace', /\n\s+at\s|\bat [^\s()]+ \([^)]*:\d+:\d+\)|\bat (?:file:\/\/|\/)[^\s]*:\d+:\d+/],
  ['SQL', /sqlite|SQLITE_|Failed query|\bselect\b[^]*\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b/i],
  ['a JavaScript error', /\b(?:TypeError|ReferenceError|RangeError|EvalError)\b|Cannot read|is not a function|is not iterable/],
  ['a file path', /\/work\/|\/home\/|\/usr\/|\/tmp\/|node_modules|file:\/\/|\.(?:ts|js|mjs|cjs):\d+/],
];

function leakIn(text: string): string | undefined {
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) return what;
  return undefined;
}

function assertNoLeak(where: string, text: string | undefined | null): void {
  if (typeof text !== 'string') return;
  const leak = leakIn(text);
  if (leak) throw new Error(`${where} carries ${leak}: ${JSON.stringify(text.slice(0, 600))}`);
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const NASTY_STRINGS = [
  '', ' ', '   \t\n', '\u0000', '\u0000abc', '\u200b', '\u202eevil', '\ufeff', '\uffff', 'Ω≈ç√∫', '🙂', '👩‍👩‍👧‍👦', 'ﷺ', '각', 'İ', 'ß', 'ǅ',
  'null', 'undefined', 'NaN', 'Infinity', '-0', '0', '-1', '1e400', '9007199254740993', '0x1f', 'true', '[]', '{}', '{"a":1}',
  "x' OR '1'='1", '1; DROP TABLE portals', '"; --', '\\', '\\\\u0000', '%00', '%s%s%s%n', '${7*7}', '{{7*7}}', '<script>alert(1)</script>',
  '../../etc/passwd', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf',
  'contoso-partners', 'CONTOSO-PARTNERS', '-lead', 'trail-', 'a--b', 'a'.repeat(63), 'a'.repeat(64), 'en-US', 'EN-us', ' en-US ', 'ar-SA', 'he-IL', 'xx-XX',
  'www.contoso.com', 'contoso.com', 'a.b.c.d.e.f', '*.contoso.com', 'fuzz.portals.test', 'xn--bcher-kva.example', 'bücher.example', '.', '..', 'a..b',
  'C0PORTALS', 'C0', 'U0ADA', '<@U0ADA>', '<!channel>', '&amp;&lt;',
];

/** A long string of one character (up to ~10k), the size attacks stay within. */
const hugeString = fc
  .tuple(fc.integer({ min: 200, max: 10_000 }), fc.constantFrom('a', '-', 'é', '🙂', ' ', '\u0000', '.', 'A1'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: hugeString },
);

/** An object nested `depth` times, or an array nested so. */
const deeplyNested = fc
  .tuple(fc.integer({ min: 2, max: 400 }), fc.boolean())
  .map(([depth, asArray]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
    return value;
  });

/** Objects with prototype-pollution keys, as own properties (JSON.parse makes them so). */
const pollutingObject = fc
  .constantFrom(
    '{"__proto__":{"polluted":true,"isAdmin":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"__proto__":null}',
    '{"prototype":{"x":1},"toString":"x","valueOf":1}',
    '{"hasOwnProperty":"x","__defineGetter__":1}',
  )
  .map((json) => JSON.parse(json) as Record<string, unknown>);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  deeplyNested,
  pollutingObject,
);

/** A valid value most often enough to go deep, otherwise a hostile string or a value of the wrong type. */
function field<T>(valid: readonly T[], weights: { valid?: number; hostile?: number; wrong?: number } = {}): fc.Arbitrary<unknown> {
  const choices: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: weights.hostile ?? 4, arbitrary: hostileString },
    { weight: weights.wrong ?? 2, arbitrary: wrongType },
  ];
  if (valid.length > 0) choices.push({ weight: weights.valid ?? 4, arbitrary: fc.constantFrom(...valid) });
  return fc.oneof(...choices);
}

const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const TYPENAMES = ['Portal', 'Instance', 'DirectoryUser', 'Certificate', 'Hostname', 'CustomDomain', 'Event', 'Viewer', 'Nope', '', 'portal', 'PORTAL'];
const RAW_IDS = ['1', '2', '3', '0', '-1', '1.5', '1e3', '1e400', '9007199254740993', '0x2', ' 1', '1 ', '', 'NaN', 'Infinity', 'contoso-field', 'margaret', ':', '1:2'];

/** Global IDs: real ones, of the wrong type, malformed, random base64, raw strings and integers. */
function globalId(valid: readonly string[]): fc.Arbitrary<unknown> {
  const foreign = fc
    .tuple(fc.constantFrom(...TYPENAMES), fc.oneof(fc.constantFrom(...RAW_IDS), hostileString, fc.nat().map(String)))
    .map(([typename, id]) => encodeGlobalID(typename, id));
  const choices: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 4, arbitrary: foreign },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 48 }).map(base64Of) },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 40 }) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: wrongType },
  ];
  if (valid.length > 0) choices.push({ weight: 4, arbitrary: fc.constantFrom(...valid) });
  return fc.oneof(...choices);
}

/** Pagination cursors: random base64, and base64 of every tag the cursor decoder knows. */
const cursor: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 32 }).map(base64Of),
  fc
    .tuple(
      fc.constantFrom('DC:', 'DC', 'GPC:', 'arrayconnection:', ''),
      fc.constantFrom('N:', 'S:', 'I:', 'D:', 'B:', 'M:', 'O:', 'Z:', 'T:', 'J:', 'X:', ''),
      fc.oneof(
        fc.constantFrom('1', '0', '-1', '1.5', '1e400', 'NaN', 'abc', '{}', '[]', '[1]', '[1,2,3]', 'null', '"x"', '{"a":1}', '["N:1"]', '["O:{}"]', '["S:x","N:2"]', 'true', ''),
        hostileString,
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
      ),
    )
    .map(([prefix, tag, payload]) => Buffer.from(`${prefix}${tag}${payload}`).toString('base64')),
  hostileString,
  wrongType,
);

/** Sometimes the whole input is not an object at all, or an object of another shape. */
function inputOf(shaped: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  const withPollution = fc.tuple(shaped, pollutingObject).map(([input, extra]) => ({ ...JSON.parse(JSON.stringify(extra)), ...input }));
  return fc.oneof(
    { weight: 12, arbitrary: shaped },
    { weight: 1, arbitrary: withPollution.map((v) => JSON.parse(JSON.stringify(v).replace(/^\{/, '{"__proto__":{"polluted":1},'))) },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: hostileString },
  );
}

// ---------------------------------------------------------------------------------------------
// GraphQL

const KNOWN_ERRORS = ['ValidationError', 'ForbiddenError', 'NotFoundError', 'ConflictError'];
const TYPED = `__typename ... on Error { message } ... on ValidationError { fields { field message } }`;
const PORTAL_PAYLOAD = `... on PortalPayload { portal { id name subdomain status } }`;

const MUTATIONS = {
  requestPortal: { input: 'RequestPortalInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  renamePortal: { input: 'RenamePortalInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  acceptPortalTerms: { input: 'AcceptPortalTermsInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  updatePortalAndRestart: { input: 'UpdatePortalAndRestartInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  addCustomDomain: { input: 'AddCustomDomainInput', payloads: ['CustomDomainPayload'], select: '... on CustomDomainPayload { customDomain { id hostname status } }' },
  uploadCertificate: { input: 'NewCertificateInput', payloads: ['CertificatePayload'], select: '... on CertificatePayload { certificate { id name thumbprint } }' },
  grantPortalConsent: { input: 'PortalIdInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  declinePortalTerms: { input: 'PortalIdInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  restartProvisioning: { input: 'PortalIdInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  retryPackageInstall: { input: 'PortalIdInput', payloads: ['PortalPayload'], select: PORTAL_PAYLOAD },
  checkCustomDomain: { input: 'CustomDomainIdInput', payloads: ['CustomDomainPayload'], select: '... on CustomDomainPayload { customDomain { id status } }' },
  removeCustomDomain: { input: 'CustomDomainIdInput', payloads: ['RemovedCustomDomainPayload'], select: '... on RemovedCustomDomainPayload { hostname }' },
} as const;
type MutationName = keyof typeof MUTATIONS;

const mutationText = (name: MutationName) => {
  const m = MUTATIONS[name];
  return `mutation Fuzz($input: ${m.input}!) { result: ${name}(input: $input) { ${TYPED} ${m.select} } }`;
};

type Gql = Awaited<ReturnType<TestTenant['gql']>>;
type TokenName = 'ada' | 'readOnly' | 'service' | 'margaret' | 'admin' | 'none' | 'bogus';
const tokenName: fc.Arbitrary<TokenName> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('ada' as const) },
  { weight: 2, arbitrary: fc.constantFrom<TokenName>('readOnly', 'service', 'margaret', 'admin') },
  { weight: 1, arbitrary: fc.constantFrom<TokenName>('none', 'bogus') },
);

/** Status 200 or 4xx, and no error message that leaks. */
function assertHttpAndErrors(what: string, res: Gql): void {
  expect(res.status, `${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`).toBeLessThan(500);
  if (res.status >= 300) expect(res.status, `${what}: a redirect`).toBeGreaterThanOrEqual(400);
  for (const error of res.body?.errors ?? []) {
    expect(typeof error.message, `${what}: an error without a message`).toBe('string');
    expect(error.message.trim(), `${what}: an empty error message`).not.toBe('');
    assertNoLeak(`${what}: error`, error.message);
    const extensions = JSON.stringify(error.extensions ?? {});
    expect(extensions, `${what}: error extensions carry internals`).not.toMatch(/"stack"|"originalError"|"exception"/);
    assertNoLeak(`${what}: error extensions`, extensions);
  }
}

/** The mutation answered its payload or a typed error with a message, or refused the request whole. */
function assertMutationAnswer(name: MutationName, res: Gql): void {
  assertHttpAndErrors(name, res);
  const result = (res.body?.data as { result?: Record<string, any> } | null | undefined)?.result;
  if (res.status >= 400 || !result) {
    expect(res.body?.errors?.length ?? 0, `${name}: neither a result nor an error: ${JSON.stringify(res.body)}`).toBeGreaterThan(0);
    return;
  }
  const typename = result.__typename as string;
  expect([...KNOWN_ERRORS, ...MUTATIONS[name].payloads], `${name}: unknown result type`).toContain(typename);
  if (KNOWN_ERRORS.includes(typename)) {
    expect(typeof result.message === 'string' && result.message.trim().length > 0, `${name}: ${typename} without a message`).toBe(true);
    assertNoLeak(`${name}: ${typename}`, result.message);
    if (typename === 'ValidationError') {
      expect(result.fields.length, `${name}: ValidationError without fields`).toBeGreaterThan(0);
      for (const problem of result.fields) {
        expect(problem.field.length > 0 && problem.message.trim().length > 0, `${name}: an empty field problem`).toBe(true);
        assertNoLeak(`${name}: field problem ${problem.field}`, problem.message);
      }
    }
  }
}

describe('GraphQL inputs, fuzzed', () => {
  let tenant: TestTenant;
  const tokens = {} as Record<TokenName, string | undefined>;
  const certs = tempDir('portal-ops-fuzz-certs-');
  const ids = { live: '', broken: '', awaiting: '', certificate: '' };
  let pfx: { base64: string; plainNoMac: Buffer; bytes: Buffer };

  beforeAll(async () => {
    tenant = openTestTenant();
    tokens.ada = await tenant.token({ email: 'ada@contoso.com' });
    tokens.readOnly = await tenant.token({ email: 'ada@contoso.com', scopes: ['read'] });
    tokens.service = await tenant.token({ scopes: ['read', 'write'] });
    tokens.admin = await tenant.token({ scopes: ['admin'] });
    tokens.margaret = await tenant.token({ email: 'margaret@contoso.com' });
    tokens.none = undefined;
    tokens.bogus = 'pat_not-a-real-token';

    // A provisioned portal (custom domains go deep only there), one whose provisioning failed (change
    // values goes deep only there), and one awaiting its terms.
    const ada = new PortalDriver(tenant, tokens.ada);
    ids.live = await ada.request({ subdomain: 'fuzz-live' });
    await ada.accept(ids.live);
    ids.broken = await ada.request({ subdomain: 'broken-portal' });
    await ada.accept(ids.broken);
    ids.awaiting = await ada.request({ subdomain: 'fuzz-awaiting' });
    await ada.until(ids.live, 'PROVISIONED');
    await ada.until(ids.broken, 'PROVISIONING_FAILED');

    // A real certificate (for a name the fuzz never asks for), and the same key and certificate in a
    // .pfx without MAC or encryption, whose mutations reach deep into the PKCS#12 reader.
    const made = makeServerPfx(certs.path, 'fuzz', ['covered.fuzz-only.example']);
    execFileSync('openssl', [
      'pkcs12', '-export', '-inkey', join(certs.path, 'fuzz.key'), '-in', join(certs.path, 'fuzz.crt'),
      '-out', join(certs.path, 'plain.pfx'), '-passout', 'pass:', '-nomac', '-certpbe', 'NONE', '-keypbe', 'NONE',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    pfx = { base64: made.base64, bytes: made.pfx, plainNoMac: readFileSync(join(certs.path, 'plain.pfx')) };
    const { body } = await tenant.gql(mutationText('uploadCertificate'), { input: { name: 'fuzz', pfxBase64: pfx.base64, password: PFX_PASSWORD } }, tokens.ada);
    expect(body.data?.result.__typename, JSON.stringify(body)).toBe('CertificatePayload');
    ids.certificate = body.data.result.certificate.id;
  }, 60_000);

  afterAll(async () => {
    await tenant?.close();
    certs.remove();
  });

  const gql = (query: string, variables: unknown, token: TokenName) =>
    tenant.gql(query, variables as Record<string, unknown>, tokens[token]);

  const portalIds = () => [ids.live, ids.broken, ids.awaiting, encodeGlobalID('Portal', '999999')];
  const INSTANCES = ['contoso-sales', 'contoso-field', 'contoso-mea', 'fabrikam-dev'].map(instanceId);
  const USERS = ['ada', 'grace', 'margaret', 'barbara', 'alan', 'ken'].map(userId);
  const AUDIENCES = ['PARTNER', 'CUSTOMER', 'EMPLOYEE'];
  const PORTAL_TYPES = ['CUSTOMER_SELF_SERVICE', 'CUSTOM', 'PARTNER', 'COMMUNITY', 'EMPLOYEE_SELF_SERVICE'];
  const ADD_ONS = ['PARTNER_FIELD_SERVICE', 'PARTNER_PROJECT_SERVICE'];
  const enumValue = (valid: string[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...valid.map((v) => v.toLowerCase()), 'NOPE', '') }, { weight: 2, arbitrary: field([]) });
  const addOns = fc.oneof(fc.array(enumValue(ADD_ONS), { maxLength: 4 }), field([]));
  /** The portal IDs are known only once beforeAll ran: an arbitrary of indexes into them, resolved in the property. */
  const portalIdArb = globalId(['@live', '@broken', '@awaiting', '@missing']);
  const resolveIds = (value: unknown): unknown =>
    typeof value === 'string' && value.startsWith('@')
      ? ({ '@live': ids.live, '@broken': ids.broken, '@awaiting': ids.awaiting, '@missing': portalIds()[3], '@certificate': ids.certificate } as Record<string, string>)[value] ?? value
      : Array.isArray(value)
        ? value.map(resolveIds)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIds(v)]))
          : value;

  const settingsFields = {
    name: field(['Fuzz Portal', 'Contoso Partners']),
    subdomain: field(['fuzz-one', 'fuzz-two', 'fuzz-live', 'FUZZ-LIVE', 'contoso', 'flaky-portal']),
    instanceId: globalId(INSTANCES),
    language: field(['en-US', 'fr-FR', 'de-DE', 'nl-NL', 'ar-SA', 'he-IL', 'ja-JP']),
    administratorId: globalId(USERS),
    audience: enumValue(AUDIENCES),
    portalType: enumValue(PORTAL_TYPES),
    addOns,
  };

  async function drill(name: MutationName, input: fc.Arbitrary<unknown>, numRuns: number) {
    await fc.assert(
      fc.asyncProperty(input, tokenName, async (raw, token) => {
        const res = await gql(mutationText(name), { input: resolveIds(raw) }, token);
        assertMutationAnswer(name, res);
      }),
      { numRuns },
    );
  }

  it('requestPortal answers a payload or a typed error', async () => {
    const notifyChannel = field(['C0PORTALS', 'G0PRIVATE', 'D0DIRECT', 'c0lower']);
    await drill('requestPortal', inputOf(fc.record({ ...settingsFields, notifyChannel }, { requiredKeys: [] })), 120);
  }, 60_000);

  it('renamePortal answers a payload or a typed error', async () => {
    await drill('renamePortal', inputOf(fc.record({ portalId: portalIdArb, name: field(['Renamed', ' Renamed ', 'Fuzz Portal']) }, { requiredKeys: [] })), 100);
  }, 60_000);

  it('acceptPortalTerms answers a payload or a typed error', async () => {
    const input = fc.record(
      { portalId: portalIdArb, termsVersion: field([CURRENT_TERMS_VERSION, '2017-05-21', ` ${CURRENT_TERMS_VERSION}`]), consent: fc.oneof(fc.boolean(), field([])) },
      { requiredKeys: [] },
    );
    await drill('acceptPortalTerms', inputOf(input), 100);
  }, 60_000);

  it('updatePortalAndRestart answers a payload or a typed error', async () => {
    await drill('updatePortalAndRestart', inputOf(fc.record({ portalId: portalIdArb, ...settingsFields }, { requiredKeys: [] })), 100);
  }, 60_000);

  // Certificates: random bytes, the real .pfx with other passwords, and mutated (flipped, cut) .pfx files.
  const pfxBase64 = fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 3000 }).map(base64Of) },
    { weight: 2, arbitrary: fc.constantFrom('@pfx', '@plain') },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom('@pfx', '@plain'), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat()))
        .map(([which, flips, cut]) => ({ mutate: which, flips, cut })),
    },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 200 }) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom('A'.repeat(140_000), `${'QUFB'.repeat(10)}\n${'QUFB'.repeat(10)}`, 'bm90IGEgcGZ4', '====', 'QQ', 'Q===') },
    { weight: 1, arbitrary: wrongType },
  );
  const password = field([PFX_PASSWORD, '', 'wrong-password', PFX_PASSWORD.toUpperCase()]);
  const newCertificate = fc.record({ name: field(['fuzz', 'contoso']), pfxBase64, password }, { requiredKeys: [] });
  const resolvePfx = (value: unknown): unknown => {
    if (value === '@pfx') return pfx.base64;
    if (value === '@plain') return pfx.plainNoMac.toString('base64');
    if (value && typeof value === 'object' && 'mutate' in value) {
      const { mutate, flips, cut } = value as { mutate: string; flips: Array<[number, number]>; cut: number | null };
      const bytes = Buffer.from(mutate === '@pfx' ? pfx.bytes : pfx.plainNoMac);
      for (const [at, xor] of flips) bytes[at % bytes.length]! ^= xor;
      return (cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1))).toString('base64');
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePfx(v)]));
    return value;
  };

  it('uploadCertificate answers a payload or a typed error, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(inputOf(newCertificate), tokenName, async (raw, token) => {
        const res = await gql(mutationText('uploadCertificate'), { input: resolvePfx(raw) }, token);
        assertMutationAnswer('uploadCertificate', res);
      }),
      { numRuns: 120 },
    );
  }, 90_000);

  it('addCustomDomain answers a payload or a typed error', async () => {
    const hostname = fc.oneof(field(['portal.contoso.com', 'www.contoso.com', 'contoso.com', 'shop.contoso.co.uk']), fc.domain());
    const input = fc.record(
      {
        portalId: portalIdArb,
        hostname,
        hostnameId: globalId([encodeGlobalID('Hostname', '1')]),
        certificateId: globalId(['@certificate', encodeGlobalID('Certificate', 'nope')]),
        certificate: fc.oneof(newCertificate, field([])),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(inputOf(input), tokenName, async (raw, token) => {
        const res = await gql(mutationText('addCustomDomain'), { input: resolvePfx(resolveIds(raw)) }, token);
        assertMutationAnswer('addCustomDomain', res);
      }),
      { numRuns: 120 },
    );
  }, 90_000);

  it('the other lifecycle and domain mutations answer a payload or a typed error', async () => {
    const names: MutationName[] = ['grantPortalConsent', 'restartProvisioning', 'retryPackageInstall', 'declinePortalTerms', 'checkCustomDomain', 'removeCustomDomain'];
    const input = fc.record({ portalId: portalIdArb, domainId: globalId([encodeGlobalID('CustomDomain', '1')]) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), inputOf(input), tokenName, async (name, raw, token) => {
        const value = resolveIds(raw);
        // Each input type has one field; keep the one that belongs unless the fuzz sent another shape.
        const shaped =
          value && typeof value === 'object' && !Array.isArray(value) && ('portalId' in value || 'domainId' in value)
            ? Object.fromEntries(Object.entries(value).filter(([k]) => (MUTATIONS[name].input === 'PortalIdInput' ? k !== 'domainId' : k !== 'portalId')))
            : value;
        assertMutationAnswer(name, await gql(mutationText(name), { input: shaped }, token));
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('portal(id, subdomain) and node(id) answer a portal, null or a clean error', async () => {
    const query = `query Fuzz($id: ID, $subdomain: String, $node: ID!) { portal(id: $id, subdomain: $subdomain) { id name status } node(id: $node) { __typename id } }`;
    const vars = fc.record(
      { id: portalIdArb, subdomain: field(['fuzz-live', 'FUZZ-LIVE', ' fuzz-live ', 'broken-portal', 'nope']), node: portalIdArb },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(vars, tokenName, async (raw, token) => {
        const res = await gql(query, resolveIds(raw), token);
        assertHttpAndErrors('portal', res);
        if (res.status === 200 && !res.body.errors) expect(res.body.data).toHaveProperty('portal');
      }),
      { numRuns: 120 },
    );
  }, 60_000);

  it('portals(first, after, status, instanceId) answers a page or a clean error', async () => {
    const query = `query Fuzz($first: Int, $last: Int, $after: String, $before: String, $status: PortalStatus, $instanceId: ID, $mine: Boolean) {
      portals(first: $first, last: $last, after: $after, before: $before, status: $status, instanceId: $instanceId, mine: $mine) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { id name }
      } }`;
    const count = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, 2 ** 31 - 1, -(2 ** 31)), field([]));
    const vars = fc.record(
      {
        first: count,
        last: fc.oneof(count, fc.constant(undefined)),
        after: cursor,
        before: cursor,
        status: enumValue(['AWAITING_TERMS', 'CONFIGURING', 'PROVISIONED', 'PROVISIONING_FAILED', 'DECLINED']),
        instanceId: globalId(INSTANCES),
        mine: fc.oneof(fc.boolean(), field([])),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(vars, tokenName, async (raw, token) => {
        const res = await gql(query, raw, token);
        assertHttpAndErrors('portals', res);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('events(portalId, first, after) answers a page or a clean error', async () => {
    const query = `query Fuzz($portalId: ID, $first: Int, $last: Int, $after: String, $before: String) {
      events(portalId: $portalId, first: $first, last: $last, after: $after, before: $before) {
        pageInfo { hasNextPage endCursor } edges { cursor } nodes { sequence type message actor data }
      } }`;
    const count = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, 2 ** 31 - 1), field([]));
    const vars = fc.record({ portalId: portalIdArb, first: count, last: fc.oneof(count, fc.constant(undefined)), after: cursor, before: cursor }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(vars, tokenName, async (raw, token) => {
        const res = await gql(query, resolveIds(raw), token);
        assertHttpAndErrors('events', res);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('random query text, variables and bodies never get a 5xx', async () => {
    const FRAGMENTS = ['{', '}', '(', ')', ':', '$', '...', '@', 'query', 'mutation', 'subscription', 'fragment', 'on', 'viewer', 'kind', 'portals', 'portal',
      'first', 'nodes', 'id', '__typename', '__schema', 'types', 'name', 'requestPortal', 'input', '"x"', '1', 'true', 'null', '[', ']', '=', '!', 'ID', 'String', 'skip', 'include', 'if', '#', '\n'];
    const queryText = fc.oneof(
      hostileString,
      fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(' ')),
      fc.constantFrom('{ viewer { kind } }', '{ __schema { types { name } } }', 'subscription { portalEvents { sequence } }', '{ a: viewer { kind } b: viewer { kind } }'),
      fc.integer({ min: 1, max: 30 }).map((n) => `${'{ viewer '.repeat(n)}${'}'.repeat(n)}`),
    );
    const body = fc.oneof(
      { weight: 5, arbitrary: fc.record({ query: queryText, variables: fc.oneof(fc.jsonValue({ maxDepth: 3 }), wrongType), operationName: fc.oneof(hostileString, wrongType) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? '') },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constantFrom('', '{', '{"query":', 'null', '[]', '[{"query":"{ viewer { kind } }"}]', '{"query":"{ viewer { kind } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}') },
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/graphql', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/graphql-response+json');
    const accept = fc.constantFrom(undefined, 'application/json', 'application/graphql-response+json', 'text/event-stream', 'multipart/mixed', 'text/html', '*/*', 'nope/nope');
    const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');
    await fc.assert(
      fc.asyncProperty(body, contentType, accept, method, fc.option(fc.string({ maxLength: 60 })), async (text, type, acceptHeader, verb, search) => {
        const headers: Record<string, string> = { authorization: `Bearer ${tokens.ada}` };
        if (type) headers['content-type'] = type;
        if (acceptHeader) headers.accept = acceptHeader;
        const url = `http://localhost/graphql${search === null ? '' : `?query=${encodeURIComponent(search)}`}`;
        const controller = new AbortController();
        const response = await tenant.yoga.fetch(url, { method: verb, headers, body: verb === 'GET' ? undefined : text, signal: controller.signal });
        // A subscription over SSE would stream forever: its headers are what matter here.
        const answerType = response.headers.get('content-type') ?? '';
        const answer = /event-stream|multipart\/mixed/.test(answerType) ? '' : await response.text();
        controller.abort();
        expect(response.status, `HTTP ${response.status} for ${verb} ${JSON.stringify(text).slice(0, 300)}: ${answer.slice(0, 300)}`).toBeLessThan(500);
        // GraphiQL's page is code by nature; the JSON answers are what must not leak.
        if (!answerType.includes('text/html')) assertNoLeak('raw answer', answer.replace(/"data":\{[^]*$/, ''));
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('keeps answering afterwards', async () => {
    const { status, body } = await gql('{ viewer { kind } }', undefined, 'ada');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { viewer: { kind: 'USER' } } });
  });
});

// ---------------------------------------------------------------------------------------------
// Slack
