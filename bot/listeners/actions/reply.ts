// How a button's handler answers: to the presser alone, or by redrawing the message the button is in.
import type { BlockAction, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { BotDeps } from '../../context.ts';
import type { Client } from '../args.ts';
import { publishHome } from '../events.ts';

/** An ephemeral message (a /portal status card): only its response_url reaches it. */
export function isEphemeral(body: BlockAction): boolean {
  return (body.container as { is_ephemeral?: boolean } | undefined)?.is_ephemeral === true && typeof body.response_url === 'string';
}

/** Where the pressed button lives, to update that message or answer beside it. */
export function where(body: BlockAction): { channel?: string; ts?: string } {
  return { channel: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts };
}

/** Answers the user alone: beside an ephemeral card through its response_url, which needs no channel membership. */
export async function tell(client: Client, body: BlockAction, text: string, respond?: RespondFn): Promise<void> {
  if (respond && isEphemeral(body)) return void (await respond({ response_type: 'ephemeral', replace_original: false, text }));
  const { channel } = where(body);
  if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text });
  else await client.chat.postMessage({ channel: body.user.id, text });
}

/** Replaces the message whose button was pressed: ephemeral ones through their response_url, App Home drawn again. */
export async function replaceMessage(deps: BotDeps, args: { client: Client; body: BlockAction; respond: RespondFn }, text: string, blocks: KnownBlock[]): Promise<void> {
  const { client, body, respond } = args;
  if (isEphemeral(body)) return void (await respond({ replace_original: true, response_type: 'ephemeral', text, blocks }));
  // A button in App Home: the whole tab is drawn again with the portal's new state.
  if (body.view?.type === 'home') return void (await publishHome(deps, client, body.user.id));
  const { channel, ts } = where(body);
  if (channel && ts && body.container?.type === 'message') await client.chat.update({ channel, ts, text, blocks });
}
