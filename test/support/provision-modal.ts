// Drives the provision modal as Slack does: from the views the bot itself sent, a menu change is sent
// only where Slack would send one (an input with dispatch_action, an option the menu offers), and a
// submission carries the state keyed by the view's own block and action ids.
import { expect } from 'vitest';
import { PROVISION_CALLBACK } from '../../bot/blocks/common.ts';
import { eventually, type SlackHarness } from './slack.ts';
import type { WireJson } from './wire-json.ts';

export type View = {
  id: string;
  hash: string;
  callback_id?: string;
  private_metadata: string;
  blocks: Array<{ block_id?: string; type: string; dispatch_action?: boolean; element?: WireJson; elements?: WireJson[]; text?: WireJson; hint?: WireJson }>;
};

/** The block whose id is `prefix`, or starts with `prefix_` (the bot versions some block ids). */
export function findBlock(view: View, prefix: string): View['blocks'][number] | undefined {
  return view.blocks.find((b) => b.block_id === prefix || b.block_id?.startsWith(`${prefix}_`));
}

export function blockOf(view: View, prefix: string): View['blocks'][number] {
  const block = findBlock(view, prefix);
  if (!block?.block_id) throw new Error(`no block ${prefix} in ${view.blocks.map((b) => b.block_id).join(',')}`);
  return block;
}

export const optionsOf = (view: View, prefix: string): string[] => (blockOf(view, prefix).element?.options ?? []).map((o: { value: string }) => o.value);

export function optionByText(view: View, prefix: string, text: string): string {
  const found = (blockOf(view, prefix).element?.options ?? []).find((o: { text: { text: string } }) => o.text.text === text);
  if (!found) throw new Error(`no option "${text}" in ${prefix}`);
  return found.value;
}

/** What the view shows as chosen in a menu (its initial option). */
export const chosen = (view: View, prefix: string): string | undefined => blockOf(view, prefix).element?.initial_option?.value;

/** The text of every context block, as sent (mrkdwn). */
export const contextTexts = (view: View): string[] => view.blocks.filter((b) => b.type === 'context').flatMap((b) => (b.elements ?? []).map((e: { text?: string }) => e.text ?? ''));

/** The latest view the bot sent for this modal (views.open, views.update or a response_action). */
export class ModalDriver {
  view: View;
  /** Every menu choice made so far, as the view's state carries it. */
  private readonly state: Record<string, Record<string, unknown>> = {};

  constructor(
    private readonly h: SlackHarness,
    readonly user: string,
    view: View,
  ) {
    this.view = view;
  }

  static async open(h: SlackHarness, user = 'U0ADA'): Promise<ModalDriver> {
    const before = h.slack.callsTo('views.open').length;
    const { response, triggerId } = await h.command(user, 'provision');
    expect(response.status).toBe(200);
    const call = await eventually(() => h.slack.callsTo('views.open')[before], 3_000, 'views.open');
    expect(call.body.trigger_id).toBe(triggerId);
    return new ModalDriver(h, user, { ...call.body.view, id: 'V0MODAL', hash: 'hash-0' });
  }

  /** Picks `value` in the menu of block `prefix`, as Slack sends it, and waits for the rebuilt view. */
  async choose(prefix: string, value: string): Promise<View> {
    const block = blockOf(this.view, prefix);
    if (!block.dispatch_action) throw new Error(`Slack sends nothing when ${block.block_id} changes: its input has no dispatch_action`);
    const element = block.element as { action_id: string; options: Array<{ value: string }> };
    if (!element.options.some((o) => o.value === value)) throw new Error(`${block.block_id} offers no ${value}`);
    this.state[block.block_id as string] = { [element.action_id]: { type: 'static_select', selected_option: { value } } };
    // The view as Slack keeps it, with the hash Slack gave it: the change is sent with that hash, as
    // Slack sends it, and the view that replaces it is the one that landed. (Waiting on the next
    // views.update call instead took a refused one, or a retry of the change before, under load.)
    const shown = this.h.slack.views.get(this.view.id);
    await this.h.interact({
      type: 'block_actions',
      user: { id: this.user },
      actions: [{ action_id: element.action_id, block_id: block.block_id, type: 'static_select', selected_option: { value } }],
      view: { ...this.view, hash: shown?.hash ?? this.view.hash, state: { values: this.state } },
      container: { type: 'view', view_id: this.view.id },
    });
    const landed = await eventually(() => this.h.slack.views.get(this.view.id) !== shown && this.h.slack.views.get(this.view.id), 3_000, 'views.update');
    this.view = { ...(landed.view as unknown as View), id: this.view.id, hash: landed.hash };
    return this.view;
  }

  /** The view_submission Slack sends for these values (menus left out keep what the view shows). */
  submission(values: { name?: string; subdomain?: string; administrator?: string; addOns?: string[] }) {
    const view = this.view;
    const state: Record<string, Record<string, unknown>> = {};
    const text = (prefix: string, value: string | undefined) => (state[blockOf(view, prefix).block_id as string] = { value: { type: 'plain_text_input', value } });
    text('name', values.name);
    text('subdomain', values.subdomain);
    for (const prefix of ['instance', 'language', 'administrator', 'audience', 'portal_type']) {
      const block = blockOf(view, prefix);
      const value = prefix === 'administrator' ? (values.administrator ?? optionsOf(view, prefix)[0]) : chosen(view, prefix);
      state[block.block_id as string] = { [block.element.action_id]: { type: 'static_select', selected_option: value ? { value } : null } };
    }
    if (values.addOns) state[blockOf(view, 'add_ons').block_id as string] = { value: { type: 'checkboxes', selected_options: values.addOns.map((value) => ({ value })) } };
    return {
      type: 'view_submission',
      user: { id: this.user, username: this.user.toLowerCase(), team_id: 'T0TEST' },
      view: { ...view, callback_id: PROVISION_CALLBACK, state: { values: state } },
    };
  }

  submit(values: Parameters<ModalDriver['submission']>[0]): Promise<Response> {
    return this.h.interact(this.submission(values));
  }
}
