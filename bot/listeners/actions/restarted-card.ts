// What Restart Provisioning and Retry installation share, from alerts, status cards and App Home: the
// user is told the outcome, and the card whose button was used shows the new state without buttons.
import { context } from '../../blocks/common.ts';
import { type PortalCard, portalCard } from '../../blocks/portal-card.ts';
import { type BotDeps, errorText } from '../../context.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { ButtonArgs } from '../args.ts';
import { publishHome } from '../events.ts';
import { isEphemeral, tell, where } from './reply.ts';

export type RestartOutcome = { __typename: 'PortalPayload'; portal: PortalCard } | { __typename: string; message: string };
export type RestartCall = (caller: { slackUserId: string }, portalId: string) => Promise<RestartOutcome>;

/** Runs the restart the button names and shows its outcome; `done` says what happened ("Provisioning restarted"). */
export async function restartFromButton(deps: BotDeps, args: ButtonArgs, done: string, run: RestartCall): Promise<void> {
  const { ack, body, action, client, respond } = args;
  await ackThenTakeTurn(ack);
  let outcome: RestartOutcome;
  try {
    outcome = await run({ slackUserId: body.user.id }, action.value ?? '');
  } catch (error) {
    return void (await tell(client, body, errorText(deps, error), respond));
  }
  if (!('portal' in outcome)) return void (await tell(client, body, outcome.message, respond));
  // Once the restart is done, a card that cannot be redrawn is only logged: the user is told of the success.
  try {
    await redrawCard(deps, args, outcome.portal, `${done}: ${outcome.portal.displayName}.`);
  } catch (error) {
    deps.log.warn({ err: error, portal: outcome.portal.id }, 'the card could not show the restarted portal');
  }
}

async function redrawCard(deps: BotDeps, { body, client, respond }: ButtonArgs, portal: PortalCard, text: string): Promise<void> {
  // Slack keeps no ephemeral message that chat.update could find: its response_url replaces it.
  if (isEphemeral(body)) return void (await respond({ replace_original: true, response_type: 'ephemeral', text, blocks: [...portalCard(portal), context(text)] }));
  await tell(client, body, text);
  if (body.view?.type === 'home') return void (await publishHome(deps, client, body.user.id));
  const { channel, ts } = where(body);
  if (channel && ts && body.container?.type === 'message') await client.chat.update({ channel, ts, text: portal.displayName, blocks: portalCard(portal) });
}
