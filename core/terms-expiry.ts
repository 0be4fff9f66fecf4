// A portal waiting for its terms of service holds a license. When nobody answers, the request expires
// after a while (TERMS_EXPIRY, a week unless configured) and frees its license; a reminder goes out
// before then (TERMS_REMINDER before the end, a day unless configured). Both are events, so they reach
// the portal's Slack channel through the outbox like every other change.
import type { NewEvent } from '../db/outbox.ts';
import type { PortalChanges, PortalExpectation } from '../db/portal-store.ts';
import type { PortalRow } from '../db/schema.ts';
import { transition } from './lifecycle.ts';

export interface TermsExpiryPolicy {
  /** How long after the request a portal may wait for its terms. */
  expiryMs: number;
  /** How long before the expiry the reminder goes out. */
  reminderMs: number;
}

const DAY = 24 * 60 * 60_000;

export const DEFAULT_TERMS_EXPIRY: TermsExpiryPolicy = { expiryMs: 7 * DAY, reminderMs: DAY };

export const TERMS_EXPIRY_ACTOR = 'system:terms-expiry';

type Waiting = Pick<PortalRow, 'status' | 'resourceStatus' | 'packageStatus' | 'name' | 'subdomain' | 'createdAt' | 'termsRemindedAt'>;

export function expiresAt(portal: Pick<PortalRow, 'createdAt'>, policy: TermsExpiryPolicy): Date {
  return new Date(portal.createdAt.getTime() + policy.expiryMs);
}

/** When the reminder is due; a reminder longer than the whole wait goes out at once. */
export function remindAt(portal: Pick<PortalRow, 'createdAt'>, policy: TermsExpiryPolicy): Date {
  return new Date(portal.createdAt.getTime() + Math.max(0, policy.expiryMs - policy.reminderMs));
}

/** "in 23 hours", "in 2 days": how far off the expiry is, as a person reads it. */
function inWords(ms: number): string {
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  if (hours < 48) return `in about ${hours} hour${hours === 1 ? '' : 's'}`;
  return `in ${Math.round(hours / 24)} days`;
}

/** The write that is due for a portal at `now` (its reminder or its expiry), if any. */
export function termsExpiryStep(portal: Waiting, policy: TermsExpiryPolicy, now: Date): { expected: PortalExpectation; changes: PortalChanges; events: NewEvent[] } | undefined {
  if (portal.status !== 'AWAITING_TERMS') return undefined;
  const end = expiresAt(portal, policy);
  const expected: PortalExpectation = { status: 'AWAITING_TERMS' };
  if (now >= end) {
    const next = transition(portal, 'EXPIRE_TERMS');
    return {
      expected,
      changes: { ...next, updatedAt: now },
      events: [
        {
          type: 'TERMS_EXPIRED',
          message: `Nobody answered the terms of service of ${portal.name} (${portal.subdomain}) by ${end.toISOString().slice(0, 16).replace('T', ' ')} UTC: the request expired and its portal license is free again. Request the portal again to go on.`,
          actor: TERMS_EXPIRY_ACTOR,
          data: { expiredAt: end.toISOString() },
        },
      ],
    };
  }
  if (portal.termsRemindedAt === null && now >= remindAt(portal, policy)) {
    return {
      expected: { ...expected, termsRemindedAt: null },
      changes: { termsRemindedAt: now, updatedAt: now },
      events: [
        {
          type: 'TERMS_REMINDER',
          message: `The terms of service of ${portal.name} (${portal.subdomain}) still wait for an answer. The request expires ${inWords(end.getTime() - now.getTime())} (${end.toISOString().slice(0, 16).replace('T', ' ')} UTC) and then frees its license: accept or decline the terms before then.`,
          actor: TERMS_EXPIRY_ACTOR,
          data: { expiresAt: end.toISOString() },
        },
      ],
    };
  }
  return undefined;
}
