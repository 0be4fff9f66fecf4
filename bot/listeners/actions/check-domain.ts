// Check now, on a custom domain's CNAME instructions: the CNAME is looked up at once.
import type { KnownBlock } from '@slack/types';
import { type BotDeps, errorText } from '../../context.ts';
import type { BotCheckCustomDomainMutation } from '../../gql/graphql.ts';
import { CheckCustomDomainMutation } from '../../operations.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { ButtonArgs } from '../args.ts';

type Checked = Extract<BotCheckCustomDomainMutation['checkCustomDomain'], { __typename: 'CustomDomainPayload' }>['customDomain'];

export async function checkDomain(deps: BotDeps, { ack, body, action, client }: ButtonArgs): Promise<void> {
  await ackThenTakeTurn(ack);
  const channel = body.channel?.id ?? body.container?.channel_id;
  const tell = (text: string, blocks?: KnownBlock[]) =>
    channel ? client.chat.postEphemeral({ channel, user: body.user.id, text, ...(blocks ? { blocks } : {}) }) : client.chat.postMessage({ channel: body.user.id, text });
  try {
    const input = { domainId: action.value ?? '' };
    const outcome = (await deps.api.run({ slackUserId: body.user.id }, CheckCustomDomainMutation, { input })).checkCustomDomain;
    await tell(outcome.__typename === 'CustomDomainPayload' ? checkedText(outcome.customDomain) : outcome.message);
  } catch (error) {
    await tell(errorText(deps, error));
  }
}

function checkedText(d: Checked): string {
  if (d.status === 'PENDING_CNAME') return `${d.message} ${d.lastCheckReason ?? `No CNAME of ${d.hostname} was seen yet`}. Expected: ${d.cnameRecord}`;
  if (d.status === 'CONFIGURED') return d.message ?? 'Configured.';
  return `The CNAME of ${d.hostname} is there; the SSL binding is being made.`;
}
