// API tokens: shown once, stored only as a SHA-256 hash, each with scopes and optionally bound to a
// directory user whose roles it then carries.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { ApiTokenRow } from '../db/schema.ts';
import { findApiTokenByHash, findApiTokenById, findApiTokensByName, insertApiToken, listApiTokenRows, setApiTokenRevoked, touchApiToken } from '../db/token-store.ts';
import type { Platform } from '../platform/platform.ts';
import { type Actor, SCOPES, type Scope } from './actor.ts';
import { ConflictError, NotFoundError, Problems } from './errors.ts';
import { isRowNumber } from './row-ids.ts';

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
  /** How long the token works: a number of days or hours, such as 90d or 12h. Absent: no expiry. */
  expires?: string | undefined;
}

const EXPIRY_UNITS = { d: 86_400_000, h: 3_600_000 } as const;
const MAX_EXPIRY_DAYS = 3_650;

/** The instant a token made at `now` expires, from "90d" or "12h"; a problem for `field` otherwise. */
export function expiryFrom(text: string, now: Date, field: string, problems: Problems): Date | null {
  const match = /^\s*(\d{1,5})\s*([dh])\s*$/i.exec(text);
  const amount = Number(match?.[1]);
  const unit = match?.[2]?.toLowerCase() as keyof typeof EXPIRY_UNITS | undefined;
  const ms = unit ? amount * EXPIRY_UNITS[unit] : Number.NaN;
  if (!(ms > 0) || ms > MAX_EXPIRY_DAYS * EXPIRY_UNITS.d) {
    problems.add(field, `Give the expiry as a number of days or hours up to ${MAX_EXPIRY_DAYS} days, such as 90d or 12h (got "${text.slice(0, 40)}").`);
    return null;
  }
  return new Date(now.getTime() + ms);
}

export async function createApiToken(
  deps: { db: Db; platform: Platform },
  input: NewToken,
  now = new Date(),
): Promise<{ token: string; id: number; scopes: Scope[]; userId: string | null; expiresAt: Date | null }> {
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
    if (!user) problems.add('user', `No directory user has the e-mail ${input.userEmail}.`, 'UNKNOWN_REFERENCE');
    else userId = user.id;
  }
  const expiresAt = input.expires === undefined ? null : expiryFrom(input.expires, now, 'expires', problems);
  problems.throwIfAny();
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await insertApiToken(deps.db, { name, tokenHash: hashToken(token), scopes, userId, expiresAt });
  return { token, id: row.id, scopes: scopes as Scope[], userId, expiresAt };
}

export type TokenCheck = { ok: true; actor: Actor } | { ok: false; reason: string };

/**
 * Resolves a bearer token to the actor it stands for. The last-use stamp is best-effort: when the
 * database cannot be written (a full disk, a read-only file) the token still works for reading, and
 * the failure goes to `onStampFailed`.
 */
export async function authenticateToken(deps: { db: Db; platform: Platform; onStampFailed?: ((error: unknown) => void) | undefined }, token: string, now = new Date()): Promise<TokenCheck> {
  const row = await findApiTokenByHash(deps.db, hashToken(token));
  if (!row) return { ok: false, reason: 'The API token is not valid.' };
  if (row.revokedAt) return { ok: false, reason: 'The API token has been revoked; ask an administrator for a new one.' };
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return { ok: false, reason: `The API token expired at ${row.expiresAt.toISOString()}; ask an administrator for a new one.` };
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    // Not awaited: the stamp never holds up the request.
    touchApiToken(deps.db, row.id, now).catch((error: unknown) => deps.onStampFailed?.(error));
  }
  const scopes = row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  if (row.userId === null) return { ok: true, actor: { kind: 'service', name: row.name, scopes } };
  const [user] = await deps.platform.getUsers([row.userId]);
  if (!user) return { ok: false, reason: 'The API token belongs to a user who is no longer in the directory.' };
  return { ok: true, actor: { kind: 'user', user, scopes, via: `token:${row.name}` } };
}

export type TokenState = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** What is shown of a token: everything but its hash (the token itself is never stored). */
export type TokenInfo = Omit<ApiTokenRow, 'tokenHash'> & { state: TokenState };

function infoOf(row: ApiTokenRow, now: Date): TokenInfo {
  const { tokenHash: _hash, ...shown } = row;
  const state: TokenState = row.revokedAt ? 'REVOKED' : row.expiresAt && row.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
  return { ...shown, state };
}

export async function listApiTokens(db: Db, now = new Date()): Promise<TokenInfo[]> {
  return (await listApiTokenRows(db)).map((row) => infoOf(row, now));
}

/**
 * Revokes a token named by its number or its name; from then on it authenticates nothing. A name that
 * several tokens still in use share is refused with their numbers. Revoking a revoked token says so.
 */
export async function revokeApiToken(db: Db, idOrName: string | number, now = new Date()): Promise<TokenInfo> {
  const key = String(idOrName).trim();
  let row: ApiTokenRow | undefined;
  if (/^\d{1,10}$/.test(key) && isRowNumber(Number(key))) row = await findApiTokenById(db, Number(key));
  else {
    const named = await findApiTokensByName(db, key);
    const live = named.filter((candidate) => !candidate.revokedAt);
    if (live.length > 1)
      throw new ConflictError(`${live.length} tokens are named "${key}" (numbers ${live.map((t) => t.id).join(', ')}); give the number of the one to revoke.`, 'TOKEN_NAME_AMBIGUOUS');
    row = live[0] ?? named[0];
  }
  if (!row) throw new NotFoundError(`No API token has the number or name "${key.slice(0, 100)}".`);
  if (row.revokedAt) throw new ConflictError(`Token ${row.id} ("${row.name}") was already revoked at ${row.revokedAt.toISOString()}.`, 'TOKEN_ALREADY_REVOKED');
  return infoOf(await setApiTokenRevoked(db, row.id, now), now);
}
