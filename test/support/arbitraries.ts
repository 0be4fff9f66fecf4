// Hostile inputs for property-based tests (fast-check), shared by the fuzz drills and anything else
// that wants to throw garbage at the product: strings, wrong types, global IDs, cursors, and signed
// Slack bodies of every wrong shape.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { ACTION, PROVISION_CALLBACK } from '../../bot/blocks/common.ts';
import { DOMAIN_CALLBACK } from '../../bot/blocks/domain.ts';

// ---------------------------------------------------------------------------------------------
// Hostile values

export const NASTY_STRINGS = [
  '',
  ' ',
  '   \t\n',
  '\u0000',
  '\u0000abc',
  '\u200b',
  '\u202eevil',
  '\ufeff',
  '\uffff',
  'Ω≈ç√∫',
  '🙂',
  '👩‍👩‍👧‍👦',
  'ﷺ',
  '각',
  'İ',
  'ß',
  'ǅ',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '0',
  '-1',
  '1e400',
  '9007199254740993',
  '0x1f',
  'true',
  '[]',
  '{}',
  '{"a":1}',
  "x' OR '1'='1",
  '1; DROP TABLE portals',
  '"; --',
  '\\',
  '\\\\u0000',
  '%00',
  '%s%s%s%n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'contoso-partners',
  'CONTOSO-PARTNERS',
  '-lead',
  'trail-',
  'a--b',
  'a'.repeat(63),
  'a'.repeat(64),
  'en-US',
  'EN-us',
  ' en-US ',
  'ar-SA',
  'he-IL',
  'xx-XX',
  'www.contoso.com',
  'contoso.com',
  'a.b.c.d.e.f',
  '*.contoso.com',
  'fuzz.portals.test',
  'xn--bcher-kva.example',
  'bücher.example',
  '.',
  '..',
  'a..b',
  'C0PORTALS',
  'C0',
  'U0ADA',
  '<@U0ADA>',
  '<!channel>',
  '&amp;&lt;',
];

/** A long string of one character (up to ~10k), the size attacks stay within. */
export const hugeString = fc.tuple(fc.integer({ min: 200, max: 10_000 }), fc.constantFrom('a', '-', 'é', '🙂', ' ', '\u0000', '.', 'A1')).map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: hugeString },
);

/** An object nested `depth` times, or an array nested so. */
export const deeplyNested = fc.tuple(fc.integer({ min: 2, max: 400 }), fc.boolean()).map(([depth, asArray]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
  return value;
});

/** Objects with prototype-pollution keys, as own properties (JSON.parse makes them so). */
export const pollutingObject = fc
  .constantFrom(
    '{"__proto__":{"polluted":true,"isAdmin":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"__proto__":null}',
    '{"prototype":{"x":1},"toString":"x","valueOf":1}',
    '{"hasOwnProperty":"x","__defineGetter__":1}',
  )
  .map((json) => JSON.parse(json) as Record<string, unknown>);

export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  deeplyNested,
  pollutingObject,
);

/** A String field: a valid value often enough to go deep, otherwise a hostile string (still a string, so it reaches the resolver). */
export function text(valid: readonly string[] = []): fc.Arbitrary<string> {
  return valid.length === 0 ? hostileString : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 3, arbitrary: hostileString });
}

/** An enum field: its values, which pass coercion (wrong ones come from `corrupted`). */
export const enumOf = (values: readonly string[]) => fc.constantFrom(...values);

/** A nullable field: sometimes null, sometimes left out. */
export const nullable = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(undefined) });

export const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const TYPENAMES = ['Portal', 'Instance', 'DirectoryUser', 'Certificate', 'Hostname', 'CustomDomain', 'Event', 'Viewer', 'Nope', '', 'portal', 'PORTAL'];
export const RAW_IDS = ['1', '2', '3', '0', '-1', '1.5', '1e3', '1e400', '9007199254740993', '0x2', ' 1', '1 ', '', 'NaN', 'Infinity', 'contoso-field', 'margaret', ':', '1:2'];

/** ID fields: real global IDs, IDs of another type or of nothing, malformed, random base64, raw strings and integers. */
export function globalId(valid: readonly string[]): fc.Arbitrary<string | number> {
  const foreign = fc.tuple(fc.constantFrom(...TYPENAMES), fc.oneof(fc.constantFrom(...RAW_IDS), hostileString, fc.nat().map(String))).map(([typename, id]) => encodeGlobalID(typename, id));
  const choices: Array<fc.WeightedArbitrary<string | number>> = [
    { weight: 4, arbitrary: foreign },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }).map(base64Of) },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 40 }) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.integer() },
  ];
  if (valid.length > 0) choices.push({ weight: 5, arbitrary: fc.constantFrom(...valid) });
  return fc.oneof(...choices);
}

/** Pagination cursors: the cursor grammar (`DC:` and a tagged chunk) with hostile payloads, random base64, garbage. */
export const cursor: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 6, arbitrary: fc.constant('DC:') }, { weight: 1, arbitrary: fc.constantFrom('DC', 'GPC:', 'arrayconnection:', '') }),
        fc.constantFrom('N:', 'S:', 'I:', 'D:', 'B:', 'M:', 'O:', 'Z:', 'T:', 'J:', 'X:', ''),
        fc.oneof(
          fc.constantFrom('1', '0', '-1', '1.5', '1e400', 'NaN', 'abc', '{}', '[]', '[1]', '[1,2,3]', 'null', '"x"', '{"a":1}', '["N:1"]', '["O:{}"]', '["S:x","N:2"]', 'true', ''),
          hostileString,
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
        ),
      )
      .map(([prefix, tag, payload]) => Buffer.from(`${prefix}${tag}${payload}`).toString('base64')),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }).map(base64Of) },
  { weight: 1, arbitrary: hostileString },
);

/** Page sizes: negative, zero, in range, huge. */
export const pageSize = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 31 - 1, -(2 ** 31)) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/**
 * Mostly well-typed values with hostile contents (they reach the resolvers); sometimes one field of the
 * wrong type, a wrong enum value, a required field left out, prototype-pollution keys, or not an object at all.
 */
export function corrupted(shaped: fc.Arbitrary<Record<string, unknown>>, keys: readonly string[]): fc.Arbitrary<unknown> {
  const badValue = fc.oneof(wrongType, fc.constantFrom('NOPE', 'partner', '', 'PARTNER ', '__proto__'), fc.constant(undefined));
  const oneFieldBroken = fc.tuple(shaped, fc.constantFrom(...keys), badValue).map(([input, key, bad]) => {
    const copy: Record<string, unknown> = { ...input };
    Object.defineProperty(copy, key, { value: bad, enumerable: true, configurable: true, writable: true });
    return copy;
  });
  const polluted = fc.tuple(shaped, pollutingObject).map(([input, extra]) => Object.assign(JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, input));
  return fc.oneof(
    { weight: 14, arbitrary: shaped },
    { weight: 3, arbitrary: oneFieldBroken },
    { weight: 1, arbitrary: polluted },
    { weight: 1, arbitrary: fc.oneof(wrongType, hostileString) },
  );
}

// ---------------------------------------------------------------------------------------------
// Slack bodies

/** Hostile strings without the huge ones: garbage bodies stay readable in a failure report. */
export const shortHostile = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...NASTY_STRINGS));
export const garbageUser = fc.oneof(fc.constantFrom('U0ADA', 'U0GRACE', 'U0STRANGER', ''), shortHostile);
export const garbageMeta = fc.oneof(fc.constantFrom('', '{}', 'null', '5', '"x"', '[]', '{', '{"portalId":5}'), shortHostile);
export const FORM = 'application/x-www-form-urlencoded';
export const formOf = (payload: unknown) => new URLSearchParams({ payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }).toString();
export const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Interaction envelopes with their parts missing, mistyped or unknown. */
export const interactionEnvelope = fc
  .record(
    {
      type: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'interactive_message', 'dialog_submission'),
      user: sometimes(fc.oneof(fc.record({ id: garbageUser }), wrongType)),
      actions: sometimes(
        fc.oneof(
          fc.array(fc.record({ action_id: fc.oneof(fc.constantFrom(...Object.values(ACTION)), shortHostile), value: shortHostile }, { requiredKeys: [] }), { maxLength: 2 }),
          wrongType,
        ),
      ),
      view: sometimes(
        fc.oneof(
          fc.record(
            {
              id: fc.constant('V0'),
              callback_id: fc.oneof(fc.constantFrom(PROVISION_CALLBACK, DOMAIN_CALLBACK), shortHostile),
              private_metadata: garbageMeta,
              state: fc.record({ values: fc.constant({}) }),
              blocks: fc.constant([]),
            },
            { requiredKeys: [] },
          ),
          wrongType,
        ),
      ),
      callback_id: sometimes(shortHostile),
    },
    { requiredKeys: ['type'] },
  )
  .map((payload) => ({ body: formOf({ team: { id: 'T0TEST' }, api_app_id: 'A0TEST', token: 'legacy', ...payload }), type: FORM }));

/** Events API envelopes of other shapes. */
export const eventEnvelope = fc
  .record(
    {
      type: fc.constantFrom('event_callback', 'url_verification', 'app_rate_limited', 'nope'),
      event: sometimes(
        fc.oneof(fc.record({ type: fc.oneof(fc.constantFrom('app_home_opened', 'message', 'app_mention'), shortHostile), user: garbageUser, tab: fc.constant('home') }), wrongType),
      ),
      challenge: sometimes(shortHostile),
    },
    { requiredKeys: ['type'] },
  )
  .map((payload) => ({ body: JSON.stringify({ team_id: 'T0TEST', api_app_id: 'A0TEST', ...payload }), type: 'application/json' }));

/** Slash commands with fields missing. */
export const commandEnvelope = fc
  .record(
    { command: fc.constantFrom('/portal', '/other', ''), text: sometimes(shortHostile), user_id: sometimes(garbageUser), ssl_check: sometimes(fc.constantFrom('1', '0')) },
    { requiredKeys: ['command'] },
  )
  .map((fields) => ({ body: new URLSearchParams(Object.entries({ team_id: 'T0TEST', ...fields }).filter(([, v]) => v !== undefined) as Array<[string, string]>).toString(), type: FORM }));

/** Signed bodies Slack would never send: random bytes and JSON under every content type, and envelopes of the wrong shape. */
export const slackGarbage: fc.Arbitrary<{ body: string; type: string }> = fc.oneof(
  fc.record({
    body: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    ),
    type: fc.constantFrom(FORM, 'application/json', 'text/plain', '', 'multipart/form-data', `${FORM}; charset=utf-8`),
  }),
  fc.record({ body: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'), type: fc.constantFrom('application/json', 'application/json; charset=utf-8') }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ body: formOf(JSON.stringify(v) ?? 'null'), type: FORM })),
  shortHostile.map((v) => ({ body: formOf(v), type: FORM })),
  // The envelopes reach furthest into Bolt and the listeners: drawn more often.
  { weight: 3, arbitrary: interactionEnvelope },
  { weight: 2, arbitrary: eventEnvelope },
  commandEnvelope,
);

/** Whether Bolt reads this body as JSON null (raw, or as the form's payload). */
export function isJsonNull(body: string): boolean {
  try {
    return JSON.parse(new URLSearchParams(body).get('payload') ?? body) === null;
  } catch {
    return false;
  }
}

/**
 * Requests no listener takes are never acknowledged, and Bolt answers them 404 after its own 3 s timer:
 * a run sends its batch at once so that wait is paid once per run. Shrinking is kept short for the same reason.
 */
export const garbageBatch = (arb: fc.Arbitrary<{ body: string; type: string }>) => fc.limitShrink(fc.array(arb, { minLength: 1, maxLength: 10 }), 6);
