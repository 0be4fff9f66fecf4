import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';

/** The raw id inside a global ID of the given type, or undefined when it is malformed or of another type. */
export function decodeIdOf(typename: string, globalId: string): string | undefined {
  if (globalId.length > 300) return undefined;
  try {
    const decoded = decodeGlobalID(globalId);
    return decoded.typename === typename && decoded.id.length > 0 ? decoded.id : undefined;
  } catch {
    return undefined;
  }
}

/** Per-request memo: one platform call per request however many fields ask for the same thing. */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
export function memo<T>(ctx: object, key: string, load: () => Promise<T>): Promise<T> {
  let map = memos.get(ctx);
  if (!map) memos.set(ctx, (map = new Map()));
  let value = map.get(key) as Promise<T> | undefined;
  if (!value) map.set(key, (value = load()));
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
    // Only the cursor as it was handed out: base64 decoding skips stray characters, so it is encoded back.
    if (!/^DC:N:\d{1,15}$/.test(decoded) || Buffer.from(decoded).toString('base64') !== cursor) {
      throw new GraphQLError('Invalid cursor: pass the cursor of an edge or pageInfo from a previous page.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  }
}
