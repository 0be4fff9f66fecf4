// /portal and its subcommands. Every request is acknowledged at once; the work follows the ack.
import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type BotDeps, errorText } from '../context.ts';
import { HELP_TEXT, portalList, termsMessage } from '../blocks/messages.ts';
import { portalCard } from '../blocks/portal-card.ts';
import { escape, viewArgument } from '../blocks/common.ts';
import { provisionModal } from '../blocks/provision-modal.ts';
import { openDomainModal } from './domains.ts';
import { PortalListQuery, PortalQuery, PortalStatusQuery, RestartMutation } from '../operations.ts';
import { ackThenTakeTurn } from '../turns.ts';

export function registerCommands(app: App, deps: BotDeps): void {
  app.command('/portal', async ({ command, ack, respond, client }) => {
    await ackThenTakeTurn(ack);
    const [sub = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const arg = rest[0];
    const caller = { slackUserId: command.user_id };
    // No reply carries a link or mention: all of it is shown as written, the user's words included.
    const reply = (text: string, blocks?: KnownBlock[]) => respond({ response_type: 'ephemeral', text: escape(text), ...(blocks ? { blocks } : {}) });
    try {
      switch (sub.toLowerCase()) {
        case 'provision': {
          const form = await deps.provisionForm(caller);
          if (!form.viewer.isGlobalAdministrator) {
            await reply(`Only a Global Administrator can provision a portal, and ${form.viewer.user?.email ?? 'you'} is not one. Ask a Global Administrator of your tenant.`);
            return;
          }
          if (form.instances.length === 0) {
            await reply('You need the System Administrator or System Customizer role in a Dynamics 365 instance to link a portal to it, and you have it in none.');
            return;
          }
          await client.views.open({
            trigger_id: command.trigger_id,
            view: viewArgument(provisionModal(form, {}, { channelId: command.channel_id })),
          });
          return;
        }
        case 'list': {
          const data = await deps.api.run(caller, PortalListQuery, {});
          await reply(`${data.portals.totalCount} portal(s)`, portalList(data.portals.nodes, data.portals.totalCount));
          return;
        }
        case 'status': {
          if (!arg) return void (await reply('Which portal? `/portal status <subdomain>`'));
          const data = await deps.api.run(caller, PortalStatusQuery, { subdomain: arg });
          if (!data.portal) return void (await reply(`No portal has the subdomain ${arg}.`));
          // Its requester can answer the terms from here too, wherever the terms message went.
          if (data.portal.status === 'AWAITING_TERMS' && data.viewer.user && data.portal.requestedBy?.id === data.viewer.user.id) {
            await reply(`${data.portal.name}: accept the terms of service to start provisioning`, termsMessage(data.portal, data.termsOfService, command.user_id));
            return;
          }
          await reply(data.portal.displayName, portalCard(data.portal, { withActions: true }));
          return;
        }
        case 'restart': {
          if (!arg) return void (await reply('Which portal? `/portal restart <subdomain>`'));
          const found = await deps.api.run(caller, PortalQuery, { subdomain: arg });
          if (!found.portal) return void (await reply(`No portal has the subdomain ${arg}.`));
          const result = (await deps.api.run(caller, RestartMutation, { input: { portalId: found.portal.id } })).restartProvisioning;
          await reply(result.__typename === 'PortalPayload' ? `Provisioning restarted: ${result.portal.displayName}.` : result.message);
          return;
        }
        case 'domain': {
          if (!arg) return void (await reply('Which portal? `/portal domain <subdomain>`'));
          const refusal = await openDomainModal(deps, client, command.user_id, arg, command.trigger_id, command.channel_id);
          if (refusal) await reply(refusal);
          return;
        }
        default:
          await reply(sub === 'help' ? 'Portal commands' : `I don't know "${sub}". Here is what I can do:`, [
            { type: 'section', text: { type: 'mrkdwn', text: HELP_TEXT } },
          ]);
      }
    } catch (error) {
      await reply(errorText(deps, error));
    }
  });
}
