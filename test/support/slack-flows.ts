// Drives the bot as a Slack user does, through a harness: opens the provision modal, fills it by the
// view's own block ids, submits it, and presses the buttons of the messages the bot posted.
import { expect } from 'vitest';
import { ACTION, PROVISION_CALLBACK } from '../../bot/blocks/common.ts';
import type { SlackMessage } from './fake-slack.ts';
import { findBlock, type View } from './provision-modal.ts';
import { eventually, type SlackHarness } from './slack.ts';
import type { WireJson } from './wire-json.ts';

export type { View };

export function blockId(view: View, prefix: string): string {
  const block = findBlock(view, prefix);
  if (!block?.block_id) throw new Error(`no block ${prefix} in ${view.blocks.map((b) => b.block_id).join(',')}`);
  return block.block_id;
}

export function optionsOf(view: View, prefix: string): string[] {
  return (findBlock(view, prefix)?.element?.options ?? []).map((o: { value: string }) => o.value);
}

/** The option chosen in a menu of the view, as the view shows it. */
export function chosen(view: View, prefix: string): string | undefined {
  return findBlock(view, prefix)?.element?.initial_option?.value;
}

export function instanceIdByName(view: View, name: string): string {
  const block = view.blocks.find((b) => b.block_id === 'instance');
  const option = block?.element.options.find((o: { text: { text: string } }) => o.text.text === name);
  return option.value;
}

/** The view_submission Slack sends for these values, keyed by the view's own block ids. */
export function submission(view: View, user: string, values: Record<string, string | string[] | undefined>) {
  const state: Record<string, Record<string, unknown>> = {};
  const put = (prefix: string, actionId: string, value: unknown) => (state[blockId(view, prefix)] = { [actionId]: value });
  put('name', 'value', { type: 'plain_text_input', value: values.name });
  put('subdomain', 'value', { type: 'plain_text_input', value: values.subdomain });
  put('instance', ACTION.instance, { type: 'static_select', selected_option: values.instance ? { value: values.instance } : null });
  put('language', 'value', { type: 'static_select', selected_option: values.language ? { value: values.language } : null });
  put('administrator', 'value', { type: 'static_select', selected_option: values.administrator ? { value: values.administrator } : null });
  put('audience', ACTION.audience, { type: 'static_select', selected_option: { value: values.audience } });
  put('portal_type', ACTION.portalType, { type: 'static_select', selected_option: { value: values.portalType } });
  if (values.addOns) put('add_ons', 'value', { type: 'checkboxes', selected_options: (values.addOns as string[]).map((value) => ({ value })) });
  return {
    type: 'view_submission',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0TEST' },
    view: { ...view, callback_id: PROVISION_CALLBACK, state: { values: state } },
  };
}

export function buttonIn(message: { blocks?: WireJson[] }, actionId: string): { value: string } {
  for (const block of message.blocks ?? []) for (const element of block.elements ?? []) if (element.action_id === actionId) return element;
  throw new Error(`no ${actionId} button in ${JSON.stringify(message.blocks)}`);
}

export const isStatusMessage = (name: string) => (m: SlackMessage) => !m.thread_ts && !m.metadata && m.text?.startsWith(name) === true && !m.text.includes('terms');

export interface SlackFlows {
  /** `/portal provision`: the modal as Slack holds it (its ID and hash are the fake Slack's). */
  openModal(user?: string, channel?: string): Promise<View>;
  /** Opens the modal and submits a valid request for a Customer Self-Service portal in Contoso Sales. */
  requestThroughSlack(subdomain: string, user?: string, channel?: string): Promise<SlackMessage>;
  /** Presses a button of a message in a channel. */
  click(message: SlackMessage, user: string, actionId: string): Promise<Response>;
  statusMessageOf(name: string): () => SlackMessage | undefined;
}

export function slackFlows(h: SlackHarness): SlackFlows {
  const openModal = async (user = 'U0ADA', channel?: string): Promise<View> => {
    const before = h.slack.callsTo('views.open').length;
    const started = Date.now();
    const { response, triggerId } = await h.command(user, 'provision', channel);
    expect(response.status).toBe(200);
    const call = await eventually(() => h.slack.callsTo('views.open')[before], 3_000, 'views.open');
    expect(call.body.trigger_id).toBe(triggerId);
    expect(call.at - started).toBeLessThan(3_000);
    const [id, held] = await eventually(() => [...h.slack.views].find(([, v]) => v.triggerId === triggerId), 3_000, 'the opened view');
    return { ...call.body.view, id, hash: held.hash } as View;
  };

  return {
    openModal,
    async requestThroughSlack(subdomain, user = 'U0ADA', channel) {
      const view = await openModal(user, channel);
      const sales = instanceIdByName(view, 'Contoso Sales');
      const updates = h.slack.callsTo('views.update').length;
      // Choosing the instance rebuilds the language and administrator menus for it.
      await h.interact({
        type: 'block_actions',
        user: { id: user },
        actions: [{ action_id: ACTION.instance, block_id: 'instance', type: 'static_select', selected_option: { value: sales }, action_ts: `${Date.now() / 1000}` }],
        view: { ...view, state: { values: { instance: { [ACTION.instance]: { type: 'static_select', selected_option: { value: sales } } } } } },
        container: { type: 'view', view_id: view.id },
      });
      const update = await eventually(() => h.slack.callsTo('views.update')[updates], 3_000, 'views.update');
      const salesView = { ...update.body.view, id: view.id, hash: h.slack.views.get(view.id)?.hash } as View;
      const admins = optionsOf(salesView, 'administrator');
      const before = h.slack.messages.length;
      const response = await h.interact(
        submission(salesView, user, {
          name: `Portal ${subdomain}`,
          subdomain,
          instance: sales,
          language: 'en-US',
          administrator: admins[0],
          audience: 'CUSTOMER',
          portalType: 'CUSTOMER_SELF_SERVICE',
        }),
      );
      expect(response.status).toBe(200);
      return eventually(() => h.slack.messages.slice(before).find((m) => m.blocks?.some((b) => b.block_id === 'terms')), 3_000, 'the terms message');
    },
    click(message, user, actionId) {
      const button = buttonIn(message, actionId);
      return h.interact({
        type: 'block_actions',
        user: { id: user },
        actions: [{ action_id: actionId, block_id: 'x', type: 'button', value: button.value }],
        channel: { id: message.channel },
        message: { ts: message.ts, blocks: message.blocks },
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel },
        response_url: h.slack.responseUrl('button'),
      });
    },
    statusMessageOf: (name) => () => h.slack.messages.find(isStatusMessage(name)),
  };
}
