import { decodeGlobalID } from '@pothos/plugin-relay';

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
