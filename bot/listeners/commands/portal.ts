// /portal and its subcommands. Every request is acknowledged at once; the work follows the ack.
// No reply carries a link or mention: all of it is shown as written, the user's words included.
import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn, viewArgument } from '../../blocks/common.ts';
import { HELP_TEXT, portalList, termsMessage } from '../../blocks/messages.ts';
import { portalCard } from '../../blocks/portal-card.ts';
import { provisionModal } from '../../blocks/provision-modal.ts';
import { type BotDeps, errorText } from '../../context.ts';
import { PortalListQuery, PortalQuery, PortalStatusQuery, RestartMutation } from '../../operations.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { CommandArgs } from '../args.ts';
import { openDomainModal } from './open-domain-modal.ts';

type Reply = (text: string, blocks?: KnownBlock[]) => Promise<unknown>;
/** One subcommand: what it needs of the command, and how to answer the user. */
interface Turn {
  deps: BotDeps;
  args: CommandArgs;
  arg: string | undefined;
  caller: { slackUserId: string };
  reply: Reply;
}

const SUBCOMMANDS: Record<string, (turn: Turn) => Promise<unknown>> = { provision, list, status, restart, domain };

export async function portalCommand(deps: BotDeps, args: CommandArgs): Promise<void> {
  const { command, ack, respond } = args;
  await ackThenTakeTurn(ack);
  const [sub = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
  const reply: Reply = (text, blocks) => respond({ response_type: 'ephemeral', text: escapeMrkdwn(text), ...(blocks ? { blocks } : {}) });
  const run = Object.hasOwn(SUBCOMMANDS, sub.toLowerCase()) ? SUBCOMMANDS[sub.toLowerCase()] : undefined;
  try {
    if (run) await run({ deps, args, arg: rest[0], caller: { slackUserId: command.user_id }, reply });
    else await help(sub, reply);
  } catch (error) {
    await reply(errorText(deps, error));
  }
}

async function provision({ deps, args, caller, reply }: Turn): Promise<unknown> {
  const form = await deps.provisionForm(caller);
  if (!form.viewer.isGlobalAdministrator) {
    return reply(`Only a Global Administrator can provision a portal, and ${form.viewer.user?.email ?? 'you'} is not one. Ask a Global Administrator of your tenant.`);
  }
  if (form.instances.length === 0) {
    return reply('You need the System Administrator or System Customizer role in a Dynamics 365 instance to link a portal to it, and you have it in none.');
  }
  const view = provisionModal(form, {}, { channelId: args.command.channel_id });
  return args.client.views.open({ trigger_id: args.command.trigger_id, view: viewArgument(view) });
}

async function list({ deps, caller, reply }: Turn): Promise<unknown> {
  const data = await deps.api.run(caller, PortalListQuery, {});
  return reply(`${data.portals.totalCount} portal(s)`, portalList(data.portals.nodes, data.portals.totalCount));
}

async function status({ deps, args, arg, caller, reply }: Turn): Promise<unknown> {
  if (!arg) return reply('Which portal? `/portal status <subdomain>`');
  const data = await deps.api.run(caller, PortalStatusQuery, { subdomain: arg });
  if (!data.portal) return reply(`No portal has the subdomain ${arg}.`);
  // Its requester can answer the terms from here too, wherever the terms message went.
  if (data.portal.status === 'AWAITING_TERMS' && data.viewer.user && data.portal.requestedBy?.id === data.viewer.user.id) {
    return reply(`${data.portal.name}: accept the terms of service to start provisioning`, termsMessage(data.portal, data.termsOfService, args.command.user_id));
  }
  return reply(data.portal.displayName, portalCard(data.portal, { withActions: true }));
}

async function restart({ deps, arg, caller, reply }: Turn): Promise<unknown> {
  if (!arg) return reply('Which portal? `/portal restart <subdomain>`');
  const found = await deps.api.run(caller, PortalQuery, { subdomain: arg });
  if (!found.portal) return reply(`No portal has the subdomain ${arg}.`);
  const result = (await deps.api.run(caller, RestartMutation, { input: { portalId: found.portal.id } })).restartProvisioning;
  return reply(result.__typename === 'PortalPayload' ? `Provisioning restarted: ${result.portal.displayName}.` : result.message);
}

async function domain({ deps, args, arg, reply }: Turn): Promise<unknown> {
  if (!arg) return reply('Which portal? `/portal domain <subdomain>`');
  const { command, client } = args;
  const refusal = await openDomainModal(deps, client, command.user_id, arg, command.trigger_id, command.channel_id);
  return refusal ? reply(refusal) : undefined;
}

async function help(sub: string, reply: Reply): Promise<unknown> {
  return reply(sub === 'help' ? 'Portal commands' : `I don't know "${sub}". Here is what I can do:`, [{ type: 'section', text: { type: 'mrkdwn', text: HELP_TEXT } }]);
}
