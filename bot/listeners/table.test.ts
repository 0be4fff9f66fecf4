import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ListenerTable } from './table.ts';

const receiver: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };

function app(): App {
  return new App({ authorize: async () => ({ botToken: 'xoxb-test' }), receiver, convoStore: false });
}

function blockAction(actionId: string) {
  return {
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U1' },
    trigger_id: 'trigger',
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: 'v', action_ts: '1' }],
  };
}

function submission(callbackId: string) {
  return { type: 'view_submission', team: { id: 'T1' }, user: { id: 'U1' }, view: { id: 'V1', callback_id: callbackId, state: { values: {} }, private_metadata: '' } };
}

describe('one listener for the buttons and one for the modals', () => {
  it('hands each action and submission to the handler of its ID, and only an exact ID', async () => {
    const seen: string[] = [];
    const table = new ListenerTable();
    table.action('portal.restart', async ({ ack, action }) => {
      await ack();
      seen.push(`action ${(action as { value?: string }).value}`);
    });
    table.action('portal_terms', async ({ ack }) => {
      await ack();
      seen.push('terms');
    });
    table.view('provision_portal', async ({ ack, view }) => {
      await ack();
      seen.push(`view ${view.id}`);
    });
    const bolt = app();
    table.mount(bolt);

    const acks: string[] = [];
    const deliver = (body: object, name: string) => bolt.processEvent({ body, ack: async () => void acks.push(name) });
    await deliver(blockAction('portal.restart'), 'restart');
    await deliver(blockAction('portal_terms'), 'terms');
    await deliver(submission('provision_portal'), 'provision');
    // Only an exact ID reaches a handler: not one that matches it as a pattern, nor a longer one.
    await deliver(blockAction('portalXrestart'), 'other').catch(() => undefined);
    await deliver(blockAction('portal_terms_2'), 'longer').catch(() => undefined);

    expect(seen).toEqual(['action v', 'terms', 'view V1']);
    expect(acks).toEqual(['restart', 'terms', 'provision']);
  });

  it('refuses a second handler for one ID', () => {
    const table = new ListenerTable();
    table.action('restart', async () => {});
    expect(() => table.action('restart', async () => {})).toThrow('Two handlers for the action restart');
    table.view('provision_portal', async () => {});
    expect(() => table.view('provision_portal', async () => {})).toThrow('Two handlers for the view provision_portal');
  });
});
