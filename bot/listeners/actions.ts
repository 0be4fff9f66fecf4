// Buttons and menus: the terms of service, the ways out of a failure, and the modal's dependent menus.
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { ACTION, context, viewArgument } from '../blocks/common.ts';
import { readTermsButton, termsAnswered, termsMessage } from '../blocks/messages.ts';
import { type PortalCard, portalCard } from '../blocks/portal-card.ts';
import { provisionModal, readMeta, readModal } from '../blocks/provision-modal.ts';
import { type BotDeps, errorText } from '../context.ts';
import {
  AcceptTermsMutation,
  DeclineTermsMutation,
  PortalQuery,
  PortalSettingsQuery,
  RestartMutation,
  RetryInstallMutation,
  TermsQuery,
} from '../operations.ts';
import { ModalUpdates, isHashConflict } from '../modal-updates.ts';
import { ackThenTakeTurn } from '../turns.ts';
import { publishHome } from './events.ts';
import type { ListenerTable } from './table.ts';

type Body = BlockAction;
type Outcome = { __typename: 'PortalPayload'; portal: PortalCard } | { __typename: 'ValidationError' | 'ForbiddenError' | 'NotFoundError' | 'ConflictError'; message: string };

/** An ephemeral message (a /portal status card): only its response_url reaches it. */
function isEphemeral(body: Body): boolean {
  return (body.container as { is_ephemeral?: boolean } | undefined)?.is_ephemeral === true && typeof body.response_url === 'string';
}

/** Where the pressed button lives, to update that message or answer beside it. */
function where(body: Body): { channel?: string; ts?: string } {
  return { channel: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts };
}

export function registerActions(table: ListenerTable, deps: BotDeps): void {
  /** Answers the user alone: beside an ephemeral card through its response_url, which needs no channel membership. */
  const tell = async (client: App['client'], body: Body, text: string, respond?: RespondFn) => {
    if (respond && isEphemeral(body)) return void (await respond({ response_type: 'ephemeral', replace_original: false, text }));
    const { channel } = where(body);
    if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text });
    else await client.chat.postMessage({ channel: body.user.id, text });
  };

  /** Replaces the message whose button was pressed: ephemeral ones through their response_url. */
  const replaceMessage = async (client: App['client'], body: Body, respond: RespondFn, text: string, blocks: KnownBlock[]) => {
    if (isEphemeral(body)) return void (await respond({ replace_original: true, response_type: 'ephemeral', text, blocks }));
    // A button in App Home: the whole tab is drawn again with the portal's new state.
    if (body.view?.type === 'home') return void (await publishHome(deps, client, body.user.id));
    const { channel, ts } = where(body);
    if (channel && ts && body.container?.type === 'message') await client.chat.update({ channel, ts, text, blocks });
  };

  // Accept and consent / Decline: only the requester; the buttons are replaced once answered. Accept
  // accepts the version of the terms its message shows; when the terms have changed since, the click
  // accepts nothing and the message shows the new text with fresh buttons.
  for (const [actionId, accept] of [
    [ACTION.acceptTerms, true],
    [ACTION.declineTerms, false],
  ] as const) {
    table.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ackThenTakeTurn(ack);
      const target = readTermsButton(action.value);
      if (!target) return;
      if (body.user.id !== target.requester) {
        await tell(client, body, `Only <@${target.requester}> can ${accept ? 'accept' : 'decline'} the terms of service of this portal.`, respond);
        return;
      }
      try {
        const caller = { slackUserId: body.user.id };
        const input = { portalId: target.portalId };
        let outcome;
        if (accept) {
          outcome = (await deps.api.run(caller, AcceptTermsMutation, { input: { ...input, termsVersion: target.version, consent: true } })).acceptPortalTerms;
          if (outcome.__typename === 'ValidationError' && outcome.fields.some((f) => f.field === 'termsVersion')) {
            await showNewTerms(client, body, respond, caller, target.portalId);
            return;
          }
        } else {
          outcome = (await deps.api.run(caller, DeclineTermsMutation, { input })).declinePortalTerms;
        }
        if (outcome.__typename !== 'PortalPayload') return void (await tell(client, body, outcome.message, respond));
        await replaceMessage(client, body, respond, `${outcome.portal.displayName}: terms ${accept ? 'accepted' : 'declined'}`, termsAnswered(outcome.portal, body.user.id, accept));
      } catch (error) {
        await tell(client, body, errorText(deps, error), respond);
      }
    });
  }

  /** The terms changed after the message was posted: the message shows the new version to answer. */
  const showNewTerms = async (client: App['client'], body: Body, respond: RespondFn, caller: { slackUserId: string }, portalId: string) => {
    const [{ termsOfService }, { portal }] = await Promise.all([deps.api.run(caller, TermsQuery), deps.api.run(caller, PortalQuery, { id: portalId })]);
    if (!portal) return void (await tell(client, body, 'This portal no longer exists.', respond));
    const note = `:information_source: The terms of service changed since this message was posted. Nothing was accepted: read version ${termsOfService.version} below and answer again.`;
    await replaceMessage(client, body, respond, `${portal.name}: the terms of service changed; read version ${termsOfService.version}`, termsMessage(portal, termsOfService, body.user.id, { note }));
  };

  // Restart Provisioning and Retry installation, from alerts, status cards and App Home.
  const restartLike = (actionId: string, done: string, run: (caller: { slackUserId: string }, portalId: string) => Promise<Outcome>) =>
    table.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ackThenTakeTurn(ack);
      let outcome: Outcome;
      try {
        outcome = await run({ slackUserId: body.user.id }, action.value ?? '');
      } catch (error) {
        await tell(client, body, errorText(deps, error), respond);
        return;
      }
      if (outcome.__typename !== 'PortalPayload') return void (await tell(client, body, outcome.message, respond));
      const text = `${done}: ${outcome.portal.displayName}.`;
      // The card whose button was used shows the new state, without the buttons. Once the restart
      // is done, a card that cannot be redrawn is only logged: the user is told of the success.
      try {
        if (isEphemeral(body)) {
          // Slack keeps no ephemeral message that chat.update could find: its response_url replaces it.
          await respond({ replace_original: true, response_type: 'ephemeral', text, blocks: [...portalCard(outcome.portal), context(text)] });
          return;
        }
        await tell(client, body, text);
        if (body.view?.type === 'home') return void (await publishHome(deps, client, body.user.id));
        const { channel, ts } = where(body);
        if (channel && ts && body.container?.type === 'message') {
          await client.chat.update({ channel, ts, text: outcome.portal.displayName, blocks: portalCard(outcome.portal) });
        }
      } catch (error) {
        deps.log.warn({ err: error, portal: outcome.portal.id }, 'the card could not show the restarted portal');
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

  // The modal's menus that other menus depend on: rebuild the view, guarded by its hash; when two
  // changes race, the newest one is shown (see modal-updates.ts).
  const updates = new ModalUpdates();
  for (const actionId of [ACTION.instance, ACTION.language, ACTION.audience, ACTION.portalType]) {
    table.action<BlockAction>(actionId, async ({ ack, body, client }) => {
      await ackThenTakeTurn(ack);
      const view = body.view;
      if (!view) return;
      const actionTs = Number(body.actions[0]?.action_ts) || Date.now() / 1000;
      const newerShown = () => deps.log.debug({ viewId: view.id }, 'a newer choice in the provision modal is shown instead');
      if (!updates.arrive(view.id, actionTs)) return void newerShown();
      try {
        const form = await deps.provisionForm({ slackUserId: body.user.id });
        const meta = readMeta(view.private_metadata);
        const values = readModal(view.state.values as never);
        const rebuilt = viewArgument(provisionModal(form, values, { channelId: meta.channelId, ...(meta.portalId ? { portalId: meta.portalId } : {}) }));
        let hash: string | undefined = view.hash;
        for (let attempt = 0; attempt < 3; attempt++) {
          if (!updates.isNewest(view.id, actionTs)) break;
          try {
            const answer = await client.views.update({ view_id: view.id, ...(hash ? { hash } : {}), view: rebuilt });
            updates.landed(view.id, answer.view?.hash);
            return;
          } catch (error) {
            if (!isHashConflict(error)) throw error;
            hash = updates.retryHash(view.id, hash);
          }
        }
        newerShown();
      } catch (error) {
        deps.log.warn({ err: error }, 'could not update the provision modal');
      }
    });
  }
}
