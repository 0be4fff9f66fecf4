// /portal domain <subdomain>: the custom domain modal, its submission, and Check now.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { ACTION, viewArgument } from '../blocks/common.ts';
import { DOMAIN_BLOCK, DOMAIN_CALLBACK, cnameInstructions, domainBlockForField, domainModal } from '../blocks/domain.ts';
import { type BotDeps, errorText } from '../context.ts';
import { FileRefused } from '../files.ts';
import { AddCustomDomainMutation, CheckCustomDomainMutation, DomainFormQuery } from '../operations.ts';
import { ackThenTakeTurn } from '../turns.ts';
import type { ListenerTable } from './table.ts';

type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; files?: Array<{ name?: string; url_private_download?: string; url_private?: string; size?: number }> }>>;

const field = (values: Values, block: string) => {
  const state = Object.values(values?.[block] ?? {})[0];
  return state && typeof state === 'object' ? state : undefined;
};
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Opens the modal for a provisioned portal, or says why not (or what its domain is doing). */
export async function openDomainModal(deps: BotDeps, client: App['client'], user: string, subdomain: string, triggerId: string, channelId: string | null): Promise<string | undefined> {
  const form = await deps.api.run({ slackUserId: user }, DomainFormQuery, { subdomain });
  const portal = form.portal;
  if (!portal) return `No portal has the subdomain ${subdomain}.`;
  if (portal.status !== 'PROVISIONED') return `Only a provisioned portal can have a custom domain; ${portal.displayName} is not provisioned yet.`;
  if (portal.customDomain)
    return `${portal.name} already has its custom domain ${portal.customDomain.hostname} (${portal.customDomain.status.toLowerCase().replace('_', ' ')}). Only one custom domain can be added to a portal.`;
  await client.views.open({ trigger_id: triggerId, view: viewArgument(domainModal(form, { portalId: portal.id, channelId: channelId ?? portal.notifyChannel ?? null })) });
  return undefined;
}

export function registerDomainListeners(table: ListenerTable, deps: BotDeps): void {
  table.view(DOMAIN_CALLBACK, async ({ ack, view, body, client }) => {
    let meta: { portalId?: string; channelId?: string | null } = {};
    try {
      meta = JSON.parse(view.private_metadata || '{}') ?? {};
    } catch {
      meta = {};
    }
    const values = view.state.values as unknown as Values;
    const hostname = text(field(values, DOMAIN_BLOCK.hostname)?.value)?.trim() || undefined;
    const hostnameId = text(field(values, DOMAIN_BLOCK.existingHostname)?.selected_option?.value);
    const certificateId = text(field(values, DOMAIN_BLOCK.existingCertificate)?.selected_option?.value);
    const files = field(values, DOMAIN_BLOCK.file)?.files;
    const file = Array.isArray(files) && files[0] && typeof files[0] === 'object' ? files[0] : undefined;
    const password = text(field(values, DOMAIN_BLOCK.password)?.value) ?? '';
    let certificate: { name: string; pfxBase64: string; password: string } | undefined;
    if (file) {
      try {
        const bytes = await deps.fetchFile(file);
        const name = text(field(values, DOMAIN_BLOCK.certificateName)?.value)?.trim() || text(file.name)?.replace(/\.(pfx|p12)$/i, '') || 'certificate';
        certificate = { name, pfxBase64: bytes.toString('base64'), password };
      } catch (error) {
        const message = error instanceof FileRefused ? error.message : errorText(deps, error);
        await ack({ response_action: 'errors', errors: { [DOMAIN_BLOCK.file]: message } });
        return;
      }
    }
    let outcome;
    try {
      outcome = (
        await deps.api.run({ slackUserId: body.user.id }, AddCustomDomainMutation, {
          input: { portalId: meta.portalId ?? '', hostname, hostnameId, certificateId, certificate },
        })
      ).addCustomDomain;
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [DOMAIN_BLOCK.hostname]: errorText(deps, error) } });
      return;
    }
    if (outcome.__typename === 'ValidationError') {
      const present = new Set(view.blocks.map((b) => b.block_id));
      const errors: Record<string, string> = {};
      for (const problem of outcome.fields) {
        let block = domainBlockForField(problem.field);
        if (!present.has(block)) block = problem.field.startsWith('certificate') ? DOMAIN_BLOCK.file : DOMAIN_BLOCK.hostname;
        errors[block] = errors[block] ? `${errors[block]} ${problem.message}` : problem.message;
      }
      await ack({ response_action: 'errors', errors });
      return;
    }
    if (outcome.__typename !== 'CustomDomainPayload') {
      await ack({ response_action: 'errors', errors: { [DOMAIN_BLOCK.hostname]: outcome.message } });
      return;
    }
    await ackThenTakeTurn(ack);
    try {
      await client.chat.postMessage({
        channel: meta.channelId ?? body.user.id,
        text: [outcome.notice, `${outcome.customDomain.message} ${outcome.customDomain.cnameRecord}`].filter(Boolean).join(' '),
        blocks: cnameInstructions(outcome.customDomain, outcome.notice),
      });
    } catch (error) {
      deps.log.error({ err: error }, 'could not post the CNAME instructions');
    }
  });

  table.action<BlockAction<ButtonAction>>(ACTION.checkDomain, async ({ ack, body, action, client }) => {
    await ackThenTakeTurn(ack);
    const channel = body.channel?.id ?? body.container?.channel_id;
    const tell = (text: string, blocks?: KnownBlock[]) =>
      channel ? client.chat.postEphemeral({ channel, user: body.user.id, text, ...(blocks ? { blocks } : {}) }) : client.chat.postMessage({ channel: body.user.id, text });
    try {
      const outcome = (await deps.api.run({ slackUserId: body.user.id }, CheckCustomDomainMutation, { input: { domainId: action.value ?? '' } })).checkCustomDomain;
      if (outcome.__typename !== 'CustomDomainPayload') return void (await tell(outcome.message));
      const d = outcome.customDomain;
      await tell(
        d.status === 'PENDING_CNAME'
          ? `${d.message} ${d.lastCheckReason ?? `No CNAME of ${d.hostname} was seen yet`}. Expected: ${d.cnameRecord}`
          : d.status === 'CONFIGURED'
            ? (d.message ?? 'Configured.')
            : `The CNAME of ${d.hostname} is there; the SSL binding is being made.`,
      );
    } catch (error) {
      await tell(errorText(deps, error));
    }
  });
}
