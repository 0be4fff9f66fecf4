// The one place global IDs are decoded: as the raw id, as a row number, or as an input field whose
// malformed ID becomes a field problem (code MALFORMED_ID) listed with the input's other problems.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { Problems } from '../core/errors.ts';
import { isRowNumber } from '../core/row-ids.ts';

/** What each type's ID is called in a problem: "This is not the ID of a portal." */
const ID_NOUNS = {
  Portal: 'a portal',
  CustomDomain: 'a custom domain',
  Hostname: 'a host name',
  Certificate: 'a certificate',
  ApiToken: 'an API token',
  Instance: 'a Dynamics 365 instance',
  DirectoryUser: 'a directory user',
} as const;
export type IdType = keyof typeof ID_NOUNS;

/** The node types whose raw id is a row number (the others are names: certificates, directory entries). */
const ROW_ID_NODES: ReadonlySet<string> = new Set(['Portal', 'Hostname', 'CustomDomain', 'Event']);

/**
 * Whether node(id) or nodes(ids) would look up a row by something that cannot be a row number ("1\n2",
 * a number past the range): nothing has such an ID, and it must not reach SQL, where PostgreSQL
 * refuses it as a bad integer. The number is read as the Drizzle plugin reads it (Number, an empty id
 * as it is).
 */
export function isRowIdOfNothing(globalId: { typename: string; id: string }): boolean {
  return ROW_ID_NODES.has(globalId.typename) && (globalId.id === '' || !isRowNumber(Number(globalId.id)));
}

/** The answer to node(id) and nodes(ids) for an ID of nothing. */
export function nothingHasThisId(): GraphQLError {
  return new GraphQLError('Nothing has this ID.', { extensions: { code: 'NOT_FOUND' } });
}

/** The raw id inside a global ID of the given type, or undefined when it is malformed or of another type. */
export function decodeIdOf(typename: IdType, globalId: string | number): string | undefined {
  const text = String(globalId);
  if (text.length > 300) return undefined;
  try {
    const decoded = decodeGlobalID(text);
    return decoded.typename === typename && decoded.id.length > 0 ? decoded.id : undefined;
  } catch {
    return undefined;
  }
}

/** The row number inside a global ID of the given type, or undefined when it is not one (core/row-ids.ts). */
export function decodeRowId(typename: IdType, globalId: string | number): number | undefined {
  const id = Number(decodeIdOf(typename, globalId));
  return isRowNumber(id) ? id : undefined;
}

/** An input field's global ID as its raw id; a malformed one is recorded against the field. */
export function idFrom(typename: IdType, raw: string | number, field: string, problems: Problems): string {
  const id = decodeIdOf(typename, raw);
  if (id === undefined) problems.add(field, `This is not the ID of ${ID_NOUNS[typename]}.`, 'MALFORMED_ID');
  return id ?? '';
}

/** An input field's global ID as a row number; a malformed one is recorded against the field (NaN until thrown). */
export function rowIdFrom(typename: IdType, raw: string | number, field: string, problems: Problems): number {
  const id = decodeRowId(typename, raw);
  if (id === undefined) problems.add(field, `This is not the ID of ${ID_NOUNS[typename]}.`, 'MALFORMED_ID');
  return id ?? Number.NaN;
}

/** A row number from the single ID field of an input, or the ValidationError that names the field. */
export function requireRowId(typename: IdType, raw: string | number, field: string): number {
  const problems = new Problems();
  const id = rowIdFrom(typename, raw, field, problems);
  problems.throwIfAny();
  return id;
}

/** Per-request memo: one platform call per request however many fields ask for the same thing. */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
export function memo<T>(ctx: object, key: string, load: () => Promise<T>): Promise<T> {
  let map = memos.get(ctx);
  if (!map) {
    map = new Map();
    memos.set(ctx, map);
  }
  let value = map.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    map.set(key, value);
  }
  return value;
}

/** The cursor of a row in a connection ordered by id: the form the Drizzle plugin's connections use. */
export function idCursor(id: number): string {
  return Buffer.from(`DC:N:${id}`).toString('base64');
}

/** The id inside a cursor that assertCursors let through. */
export function cursorId(cursor: string | null | undefined): number | undefined {
  return cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').slice(5)) : undefined;
}

/**
 * Our connections are ordered by a numeric id, so their cursors are base64 of "DC:N:<id>". Anything
 * else is refused before it reaches SQL, with a message the client can act on.
 */
export function assertCursors(args: { after?: string | null; before?: string | null }): void {
  for (const cursor of [args.after, args.before]) {
    if (cursor === null || cursor === undefined) continue;
    const decoded = cursor.length <= 100 ? Buffer.from(cursor, 'base64').toString('utf8') : '';
    // Only the cursor as it was handed out: base64 decoding skips stray characters, so it is encoded back;
    // and only a row's id, which no cursor handed out exceeds.
    if (!/^DC:N:\d{1,10}$/.test(decoded) || !isRowNumber(Number(decoded.slice(5))) || Buffer.from(decoded).toString('base64') !== cursor) {
      throw new GraphQLError('Invalid cursor: pass the cursor of an edge or pageInfo from a previous page.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  }
}

/** Every connection pages alike: this many items unless asked, and never more than the maximum. */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

function badPage(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * The one rule of every connection's arguments, checked before anything is read: valid cursors, first
 * or last but not both (together they select a window no client means), and a size within the maximum
 * (a larger one is refused rather than quietly cut, so the client does not take a short page for the end).
 */
export function assertPage(args: { after?: string | null; before?: string | null; first?: number | null; last?: number | null }): void {
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  if (first !== undefined && last !== undefined) throw badPage('Give "first" or "last", not both: "first" pages forward from "after", "last" backward from "before".');
  for (const [name, size] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (size === undefined) continue;
    if (size < 0) throw badPage(`"${name}" must be 0 or more; it is ${size}.`);
    if (size > PAGE_SIZE.max) {
      const more = name === 'first' ? 'the next page with "after" set to its end cursor' : 'the page before with "before" set to its start cursor';
      throw badPage(`"${name}" may be at most ${PAGE_SIZE.max}; it is ${size}. Ask for ${PAGE_SIZE.max}, then for ${more}.`);
    }
  }
  assertCursors(args);
}
