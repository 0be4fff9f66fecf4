// The provision modal's menus that other menus depend on (instance, language, audience, portal type):
// the view is rebuilt, guarded by its hash; when two changes race, the newest one is shown
// (see modal-updates.ts).
import type { BlockAction } from '@slack/bolt';
import type { View } from '@slack/types';
import { viewArgument } from '../../blocks/common.ts';
import { provisionModal, readMeta, readModal } from '../../blocks/provision-modal.ts';
import type { BotDeps } from '../../context.ts';
import { isHashConflict, type ModalUpdates } from '../../modal-updates.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { Client, MenuArgs } from '../args.ts';

type ModalView = NonNullable<BlockAction['view']>;

export async function modalChoice(deps: BotDeps & { updates: ModalUpdates }, { ack, body, client }: MenuArgs): Promise<void> {
  await ackThenTakeTurn(ack);
  const view = body.view;
  if (!view) return;
  const actionTs = Number(body.actions[0]?.action_ts) || Date.now() / 1000;
  const newerShown = () => deps.log.debug({ viewId: view.id }, 'a newer choice in the provision modal is shown instead');
  if (!deps.updates.arrive(view.id, actionTs)) return void newerShown();
  try {
    const rebuilt = await rebuild(deps, body.user.id, view);
    if (!(await sendNewest(deps.updates, client, view, actionTs, rebuilt))) newerShown();
  } catch (error) {
    deps.log.warn({ err: error }, 'could not update the provision modal');
  }
}

/** The modal again from what the user has chosen so far. */
async function rebuild(deps: BotDeps, user: string, view: ModalView): Promise<View> {
  const form = await deps.provisionForm({ slackUserId: user });
  const meta = readMeta(view.private_metadata);
  const values = readModal(view.state.values as never);
  return viewArgument(provisionModal(form, values, { channelId: meta.channelId, ...(meta.portalId ? { portalId: meta.portalId } : {}) }));
}

/** Sends the rebuilt view unless a newer change came meanwhile; false when a newer one is shown instead. */
async function sendNewest(updates: ModalUpdates, client: Client, view: ModalView, actionTs: number, rebuilt: View): Promise<boolean> {
  let hash: string | undefined = view.hash;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!updates.isNewest(view.id, actionTs)) return false;
    try {
      const answer = await client.views.update({ view_id: view.id, ...(hash ? { hash } : {}), view: rebuilt });
      updates.landed(view.id, answer.view?.hash);
      return true;
    } catch (error) {
      if (!isHashConflict(error)) throw error;
      hash = updates.retryHash(view.id, hash);
    }
  }
  return false;
}
