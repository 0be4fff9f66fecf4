// Accept and consent: accepts the version of the terms its message shows. When the terms have changed
// since, the click accepts nothing and the message shows the new text with fresh buttons.
import { termsMessage } from '../../blocks/messages.ts';
import { type BotDeps, errorText } from '../../context.ts';
import { AcceptTermsMutation, PortalQuery, TermsQuery } from '../../operations.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { ButtonArgs } from '../args.ts';
import { replaceMessage, tell } from './reply.ts';
import { requesterTarget, showAnswer } from './terms-answer.ts';

export async function acceptTerms(deps: BotDeps, args: ButtonArgs): Promise<void> {
  await ackThenTakeTurn(args.ack);
  const target = await requesterTarget(args, 'accept');
  if (!target) return;
  try {
    const caller = { slackUserId: args.body.user.id };
    const input = { portalId: target.portalId, termsVersion: target.version, consent: true };
    const outcome = (await deps.api.run(caller, AcceptTermsMutation, { input })).acceptPortalTerms;
    if (outcome.__typename === 'ValidationError' && outcome.fields.some((f) => f.code === 'TERMS_VERSION_STALE')) {
      return void (await showNewTerms(deps, args, target.portalId));
    }
    await showAnswer(deps, args, outcome, true);
  } catch (error) {
    await tell(args.client, args.body, errorText(deps, error), args.respond);
  }
}

/** The terms changed after the message was posted: the message shows the new version to answer. */
async function showNewTerms(deps: BotDeps, args: ButtonArgs, portalId: string): Promise<void> {
  const caller = { slackUserId: args.body.user.id };
  const [{ termsOfService }, { portal }] = await Promise.all([deps.api.run(caller, TermsQuery), deps.api.run(caller, PortalQuery, { id: portalId })]);
  if (!portal) return void (await tell(args.client, args.body, 'This portal no longer exists.', args.respond));
  const { version } = termsOfService;
  const note = `:information_source: The terms of service changed since this message was posted. Nothing was accepted: read version ${version} below and answer again.`;
  const text = `${portal.name}: the terms of service changed; read version ${version}`;
  await replaceMessage(deps, args, text, termsMessage(portal, termsOfService, args.body.user.id, { note }));
}
