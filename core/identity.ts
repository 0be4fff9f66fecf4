// Slack users act with the roles of the directory user whose e-mail their Slack profile shows.
import type { Platform } from '../platform/platform.ts';
import type { Actor, Scope } from './actor.ts';
import { ForbiddenError } from './errors.ts';

/** The e-mail on a Slack user's profile, or undefined when Slack shows none. */
export type SlackEmailLookup = (slackUserId: string) => Promise<string | undefined>;

export class NotLinkedError extends ForbiddenError {
  override name = 'NotLinkedError';
  constructor(message: string) {
    super(message, 'SLACK_USER_NOT_LINKED');
  }
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

export async function actorForSlackUser(platform: Platform, emailOf: SlackEmailLookup, slackUserId: string, scopes: readonly Scope[] = ['read', 'write']): Promise<Actor> {
  if (!SLACK_USER_ID.test(slackUserId)) throw new NotLinkedError(`"${slackUserId.slice(0, 40)}" is not a Slack user ID.`);
  let email: string | undefined;
  try {
    email = await emailOf(slackUserId);
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new NotLinkedError(`Slack could not say who ${slackUserId} is (${reason}), so your account cannot be matched to a directory user.`);
  }
  if (!email)
    throw new NotLinkedError(
      'Your Slack account is not linked to a directory user: your Slack profile shows no e-mail address. Ask a Slack admin to let apps read e-mail addresses (users:read.email).',
    );
  const user = await platform.findUserByEmail(email);
  if (!user) throw new NotLinkedError(`Your Slack account is not linked to a directory user: no user of the tenant directory has the e-mail ${email}.`);
  return { kind: 'user', user, scopes, via: `slack:${slackUserId}` };
}
