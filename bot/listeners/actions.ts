// Buttons and menus: the terms of service, the ways out of a failure, and the modal's dependent menus.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION, viewArgument } from '../blocks/common.ts';
import { readTermsButton, termsAnswered } from '../blocks/messages.ts';
import { type PortalCard, portalCard } from '../blocks/portal-card.ts';
import { provisionModal, readMeta, readModal } from '../blocks/provision-modal.ts';
import { type BotDeps, errorText } from '../context.ts';
import {
  AcceptTermsMutation,
  DeclineTermsMutation,
  PortalSettingsQuery,
  RestartMutation,
  RetryInstallMutation,
  TermsQuery,
} from '../operations.ts';
import { ackThenTakeTurn } from '../turns.ts';
import type { ListenerTable } from './table.ts';

type Body = BlockAction;
type Outcome = { __typename: 'PortalPayload'; portal: PortalCard } | { __typename: 'ValidationError' | 'ForbiddenError' | 'NotFoundError' | 'ConflictError'; message: string };

/** Where the pressed button lives, to update that message or answer beside it. */
function where(body: Body): { channel?: string; ts?: string } {
  return { channel: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts };
}

export function registerActions(table: ListenerTable, deps: BotDeps): void {
  const tell = async (client: App['client'], body: Body, text: string) => {
    const { channel } = where(body);
    if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text });
    else await client.chat.postMessage({ channel: body.user.id, text });
  };

  // Accept and consent / Decline: only the requester; the buttons are replaced once answered.
  for (const [actionId, accept] of [
    [ACTION.acceptTerms, true],
    [ACTION.declineTerms, false],
  ] as const) {
    table.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ackThenTakeTurn(ack);
      const target = readTermsButton(action.value);
      if (!target) return;
      if (body.user.id !== target.requester) {
        await tell(client, body, `Only <@${target.requester}> can ${accept ? 'accept' : 'decline'} the terms of service of this portal.`);
        return;
      }
      try {
        const caller = { slackUserId: body.user.id };
        const input = { portalId: target.portalId };
        let outcome;
        if (accept) {
          const { termsOfService } = await deps.api.run(caller, TermsQuery);
          outcome = (await deps.api.run(caller, AcceptTermsMutation, { input: { ...input, termsVersion: termsOfService.version, consent: true } })).acceptPortalTerms;
        } else {
          outcome = (await deps.api.run(caller, DeclineTermsMutation, { input })).declinePortalTerms;
        }
        if (outcome.__typename !== 'PortalPayload') return void (await tell(client, body, outcome.message));
        const { channel, ts } = where(body);
        if (channel && ts) {
          await client.chat.update({
            channel,
            ts,
            text: `${outcome.portal.displayName}: terms ${accept ? 'accepted' : 'declined'}`,
            blocks: termsAnswered(outcome.portal, body.user.id, accept),
          });
        }
      } catch (error) {
        await tell(client, body, errorText(deps, error));
      }
    });
  }

  // Restart Provisioning and Retry installation, from alerts, status cards and App Home.
  const restartLike = (actionId: string, done: string, run: (caller: { slackUserId: string }, portalId: string) => Promise<Outcome>) =>
    table.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ackThenTakeTurn(ack);
      try {
        const outcome = await run({ slackUserId: body.user.id }, action.value ?? '');
        if (outcome.__typename !== 'PortalPayload') return void (await tell(client, body, outcome.message));
        await tell(client, body, `${done}: ${outcome.portal.displayName}.`);
        // The alert or card whose button was used shows the new state, without the buttons.
        const { channel, ts } = where(body);
        if (channel && ts && body.container?.type === 'message') {
          await client.chat.update({ channel, ts, text: outcome.portal.displayName, blocks: portalCard(outcome.portal) });
        }
      } catch (error) {
        await tell(client, body, errorText(deps, error));
      }
    });
  restartLike(ACTION.restart, 'Provisioning restarted', async (caller, portalId) =>
    (await deps.api.run(caller, RestartMutation, { input: { portalId } })).restartProvisioning,
  );
  restartLike(ACTION.retryInstall, 'Installation retried', async (caller, portalId) =>
    (await deps.api.run(caller, RetryInstallMutation, { input: { portalId } })).retryPackageInstall,
  );

  // Change Values and Restart Provisioning: the modal, filled with the portal's current values.
  table.action<BlockAction<ButtonAction>>(ACTION.changeValues, async ({ ack, body, action, client }) => {
    await ackThenTakeTurn(ack);
    try {
      const caller = { slackUserId: body.user.id };
      const [form, settings] = await Promise.all([
        deps.provisionForm(caller),
        deps.api.run(caller, PortalSettingsQuery, { id: action.value ?? '' }),
      ]);
      const portal = settings.portal;
      if (!portal) return void (await tell(client, body, 'This portal no longer exists.'));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: viewArgument(provisionModal(
          form,
          {
            name: portal.name,
            subdomain: portal.subdomain,
            instanceId: portal.instance?.id,
            language: portal.language,
            administratorId: portal.administrator?.id,
            audience: portal.audience,
            portalType: portal.portalType,
            addOns: portal.addOns,
          },
          { channelId: where(body).channel ?? null, portalId: portal.id },
        )),
      });
    } catch (error) {
      await tell(client, body, errorText(deps, error));
    }
  });

  // The modal's menus that other menus depend on: rebuild the view, guarded by its hash.
  for (const actionId of [ACTION.instance, ACTION.language, ACTION.audience, ACTION.portalType]) {
    table.action<BlockAction>(actionId, async ({ ack, body, client }) => {
      await ackThenTakeTurn(ack);
      const view = body.view;
      if (!view) return;
      try {
        const form = await deps.provisionForm({ slackUserId: body.user.id });
        const meta = readMeta(view.private_metadata);
        const values = readModal(view.state.values as never);
        await client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: viewArgument(provisionModal(form, values, { channelId: meta.channelId, ...(meta.portalId ? { portalId: meta.portalId } : {}) })),
        });
      } catch (error) {
        // A newer update won the race (hash_conflict): that one shows the latest choice.
        deps.log.warn({ err: error }, 'could not update the provision modal');
      }
    });
  }
}
