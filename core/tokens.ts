// API tokens: shown once, stored only as a SHA-256 hash, each with scopes and optionally bound to a
// directory user whose roles it then carries.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { findApiTokenByHash, insertApiToken, touchApiToken } from '../db/token-store.ts';
import type { Platform } from '../platform/platform.ts';
import { type Actor, SCOPES, type Scope } from './actor.ts';
import { Problems } from './errors.ts';

const TOKEN_PREFIX = 'pop_';
/** last_used_at is written at most this often per token, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewToken {
  name: string;
  scopes: readonly string[];
  userEmail?: string | undefined;
}

export async function createApiToken(
  deps: { db: Db; platform: Platform },
  input: NewToken,
): Promise<{ token: string; id: number; scopes: Scope[]; userId: string | null }> {
  const problems = new Problems();
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) problems.add('name', 'Give the token a name of 1 to 100 characters.');
  const scopes = [...new Set(input.scopes.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0) problems.add('scopes', `Give at least one scope among ${SCOPES.join(', ')}.`);
  if (unknown.length > 0) problems.add('scopes', `Unknown scope ${unknown.join(', ')}; use ${SCOPES.join(', ')}.`);
  let userId: string | null = null;
  if (input.userEmail !== undefined) {
    const user = await deps.platform.findUserByEmail(input.userEmail);
    if (!user) problems.add('user', `No directory user has the e-mail ${input.userEmail}.`);
    else userId = user.id;
  }
  problems.throwIfAny();
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await insertApiToken(deps.db, { name, tokenHash: hashToken(token), scopes, userId });
  return { token, id: row.id, scopes: scopes as Scope[], userId };
}

export type TokenCheck =
  | { ok: true; actor: Actor }
  | { ok: false; reason: string };

/**
 * Resolves a bearer token to the actor it stands for. The last-use stamp is best-effort: when the
 * database cannot be written (a full disk, a read-only file) the token still works for reading, and
 * the failure goes to `onStampFailed`.
 */
export async function authenticateToken(
  deps: { db: Db; platform: Platform; onStampFailed?: ((error: unknown) => void) | undefined },
  token: string,
  now = new Date(),
): Promise<TokenCheck> {
  const row = await findApiTokenByHash(deps.db, hashToken(token));
  if (!row || row.revokedAt) return { ok: false, reason: 'The API token is not valid.' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    try {
      touchApiToken(deps.db, row.id, now);
    } catch (error) {
      deps.onStampFailed?.(error);
    }
  }
  const scopes = row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  if (row.userId === null) return { ok: true, actor: { kind: 'service', name: row.name, scopes } };
  const [user] = await deps.platform.getUsers([row.userId]);
  if (!user) return { ok: false, reason: 'The API token belongs to a user who is no longer in the directory.' };
  return { ok: true, actor: { kind: 'user', user, scopes, via: `token:${row.name}` } };
}
