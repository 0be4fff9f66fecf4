// A menu change in the provision modal, called as Bolt calls the handler, with plain objects for Slack's side.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Answers, fakeClient, type HandlerHarness, handlerHarness, parsedView, recorder } from '../../../test/support/bolt-fakes.ts';
import type { WireJson } from '../../../test/support/wire-json.ts';
import { BLOCK, provisionModal } from '../../blocks/provision-modal.ts';
import { ModalUpdates } from '../../modal-updates.ts';
import type { MenuArgs } from '../args.ts';
import { modalChoice } from './modal-choice.ts';

let h: HandlerHarness;
beforeEach(async () => {
  h = await handlerHarness();
});
afterEach(() => h.close());

/** The menu change as Slack sends it: the view with its state, the audience chosen. */
async function change(audience: string, actionTs: string, answers: Answers = {}) {
  const form = await h.deps.provisionForm({ slackUserId: 'U0ADA' });
  const shown = provisionModal(form, {}, { channelId: 'C0PORTALS' });
  const ack = recorder();
  const { client, calls } = fakeClient(answers);
  const body = {
    type: 'block_actions',
    user: { id: 'U0ADA' },
    actions: [{ type: 'static_select', action_id: 'audience_select', action_ts: actionTs }],
    view: { id: 'V0MODAL', hash: 'hash-1', private_metadata: shown.private_metadata, state: { values: { [BLOCK.audience]: { audience_select: { selected_option: { value: audience } } } } } },
  };
  return { args: { ack: ack.fn, client, body } as unknown as MenuArgs, acks: ack.calls, calls };
}

async function audiences(): Promise<string[]> {
  return (await h.deps.provisionForm({ slackUserId: 'U0ADA' })).portalCatalog.audiences.map((a) => a.key);
}

describe('modalChoice', () => {
  it('rebuilds the modal for the new choice, guarded by the view’s hash', async () => {
    const other = (await audiences())[1] ?? '';
    const changed = await change(other, '1700000001.000001');
    await modalChoice({ ...h.deps, updates: new ModalUpdates() }, changed.args);
    expect(changed.acks).toHaveLength(1);
    expect(changed.calls.map((c) => c.method)).toEqual(['views.update']);
    expect(changed.calls[0]?.args).toMatchObject({ view_id: 'V0MODAL', hash: 'hash-1' });
    const view = parsedView(changed.calls[0]?.args);
    expect(view.blocks.map((b: WireJson) => b.block_id)).toContain(BLOCK.portalType(other));
  });

  it('sends the rebuild again without the hash when Slack answers hash_conflict', async () => {
    let refused = false;
    const changed = await change((await audiences())[0] ?? '', '1700000001.000001', {
      'views.update': () => {
        if (refused) return { ok: true, view: { hash: 'hash-3' } };
        refused = true;
        throw Object.assign(new Error('hash_conflict'), { data: { ok: false, error: 'hash_conflict' } });
      },
    });
    await modalChoice({ ...h.deps, updates: new ModalUpdates() }, changed.args);
    expect(changed.calls.map((c) => c.method)).toEqual(['views.update', 'views.update']);
    expect(changed.calls[1]?.args.hash).toBeUndefined();
  });

  it('sends nothing for a change older than one already shown', async () => {
    const updates = new ModalUpdates();
    const [first = '', second = ''] = await audiences();
    const newer = await change(second, '1700000002.000001');
    await modalChoice({ ...h.deps, updates }, newer.args);
    const older = await change(first, '1700000001.000001');
    await modalChoice({ ...h.deps, updates }, older.args);
    expect(newer.calls).toHaveLength(1);
    expect(older.acks).toHaveLength(1);
    expect(older.calls).toEqual([]);
  });
});
