// What Accept and consent and Decline share: only the requester answers, and the terms message then
// shows the answer in place of its buttons.
import { readTermsButton, type TermsButton, termsAnswered } from '../../blocks/messages.ts';
import type { PortalCard } from '../../blocks/portal-card.ts';
import type { BotDeps } from '../../context.ts';
import type { ButtonArgs } from '../args.ts';
import { replaceMessage, tell } from './reply.ts';

export type TermsOutcome = { __typename: 'PortalPayload'; portal: PortalCard } | { __typename: string; message: string };

/** The portal and terms version of the button when its presser requested the portal; else says who may answer. */
export async function requesterTarget(args: ButtonArgs, verb: 'accept' | 'decline'): Promise<TermsButton | undefined> {
  const target = readTermsButton(args.action.value);
  if (!target) return undefined;
  if (args.body.user.id === target.requester) return target;
  await tell(args.client, args.body, `Only <@${target.requester}> can ${verb} the terms of service of this portal.`, args.respond);
  return undefined;
}

/** The terms message shows the answer; a refusal is told to the presser alone. */
export async function showAnswer(deps: BotDeps, args: ButtonArgs, outcome: TermsOutcome, accepted: boolean): Promise<void> {
  if (!('portal' in outcome)) return void (await tell(args.client, args.body, outcome.message, args.respond));
  const text = `${outcome.portal.displayName}: terms ${accepted ? 'accepted' : 'declined'}`;
  await replaceMessage(deps, args, text, termsAnswered(outcome.portal, args.body.user.id, accepted));
}
