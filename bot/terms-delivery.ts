// After a request, the terms of service go where it was made; when the bot cannot post there (a
// private channel it was not invited to, a conversation between people), they go to the requester
// directly and the portal's updates follow them there, so no request is left waiting unseen.
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { termsMessage } from './blocks/messages.ts';
import type { PortalCard } from './blocks/portal-card.ts';
import type { BotDeps } from './context.ts';
import { SetNotifyChannelMutation, TermsQuery } from './operations.ts';

/** Where the terms went. */
export type TermsPlace = { channel: string; direct: boolean };

/** Slack refuses the channel itself: posting again there will not help, a direct message will. */
function cannotPostIn(error: unknown): boolean {
  const code = (error as { data?: { error?: string } } | undefined)?.data?.error;
  return ['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'cannot_dm_bot', 'messages_tab_disabled'].includes(code ?? '');
}

export async function deliverTerms(
  deps: BotDeps,
  client: WebClient,
  portal: PortalCard,
  requester: string,
  channelId: string | null,
  options: { extra?: KnownBlock[] } = {},
): Promise<TermsPlace> {
  const caller = { slackUserId: requester };
  const { termsOfService } = await deps.api.run(caller, TermsQuery);
  const text = `${portal.name}: accept the terms of service to start provisioning`;
  // Blocks that go with the terms (warnings about the request) come right after its first line.
  const message = (note?: string) => {
    const blocks = termsMessage(portal, termsOfService, requester, note ? { note } : {});
    blocks.splice(1, 0, ...(options.extra ?? []));
    return blocks;
  };
  if (channelId) {
    try {
      const posted = await client.chat.postMessage({ channel: channelId, text, blocks: message() });
      return { channel: posted.channel ?? channelId, direct: false };
    } catch (error) {
      if (!cannotPostIn(error)) throw error;
      deps.log.info({ portalId: portal.id, channel: channelId, reason: (error as { data?: { error?: string } }).data?.error }, 'terms sent to the requester directly');
    }
  }
  const opened = await client.conversations.open({ users: requester });
  const direct = opened.channel?.id;
  if (!direct) throw new Error('Slack opened no direct message with the requester');
  const note = channelId
    ? `I cannot post in <#${channelId}>, where you asked for this portal, so its terms and its progress come here. To follow a portal in a channel, invite me there (\`/invite @Portal Ops\`) before requesting it.`
    : undefined;
  await client.chat.postMessage({ channel: direct, text, blocks: message(note) });
  if (channelId !== direct) {
    const moved = (await deps.api.run(caller, SetNotifyChannelMutation, { input: { portalId: portal.id, notifyChannel: direct } })).setPortalNotifyChannel;
    if (moved.__typename !== 'PortalPayload') deps.log.warn({ portalId: portal.id, reason: moved.message }, "the portal's updates stay where they were");
  }
  return { channel: direct, direct: true };
}
