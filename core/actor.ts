// Who is asking: a directory user (through a token bound to them, or through Slack), or a service
// token that belongs to no person. Rules that need a directory role apply to users only.
import type { DirectoryUser } from '../platform/platform.ts';

export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type Actor = { kind: 'user'; user: DirectoryUser; scopes: readonly Scope[]; via: string } | { kind: 'service'; name: string; scopes: readonly Scope[] };

/** write implies read, admin implies both: a token that may change things may also look at them. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  const granted = actor.scopes;
  if (granted.includes('admin')) return true;
  if (scope === 'read') return granted.includes('read') || granted.includes('write');
  return granted.includes(scope);
}

/** How an actor is written into the audit trail. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'user' ? `user:${actor.user.id}` : `service:${actor.name}`;
}
