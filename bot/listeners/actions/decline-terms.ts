// Decline: only the requester; the license is freed and the message shows who declined.
import { type BotDeps, errorText } from '../../context.ts';
import { DeclineTermsMutation } from '../../operations.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { ButtonArgs } from '../args.ts';
import { tell } from './reply.ts';
import { requesterTarget, showAnswer } from './terms-answer.ts';

export async function declineTerms(deps: BotDeps, args: ButtonArgs): Promise<void> {
  await ackThenTakeTurn(args.ack);
  const target = await requesterTarget(args, 'decline');
  if (!target) return;
  try {
    const caller = { slackUserId: args.body.user.id };
    const outcome = (await deps.api.run(caller, DeclineTermsMutation, { input: { portalId: target.portalId } })).declinePortalTerms;
    await showAnswer(deps, args, outcome, false);
  } catch (error) {
    await tell(args.client, args.body, errorText(deps, error), args.respond);
  }
}
