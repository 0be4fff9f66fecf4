// /portal domain <subdomain>: the custom domain modal for a provisioned portal.
import { viewArgument } from '../../blocks/common.ts';
import { domainModal } from '../../blocks/domain.ts';
import type { BotDeps } from '../../context.ts';
import { DomainFormQuery } from '../../operations.ts';
import type { Client } from '../args.ts';

/** Opens the modal for a provisioned portal, or says why not (or what its domain is doing). */
export async function openDomainModal(deps: BotDeps, client: Client, user: string, subdomain: string, triggerId: string, channelId: string | null): Promise<string | undefined> {
  const form = await deps.api.run({ slackUserId: user }, DomainFormQuery, { subdomain });
  const portal = form.portal;
  if (!portal) return `No portal has the subdomain ${subdomain}.`;
  if (portal.status !== 'PROVISIONED') return `Only a provisioned portal can have a custom domain; ${portal.displayName} is not provisioned yet.`;
  if (portal.customDomain) {
    const doing = portal.customDomain.status.toLowerCase().replace('_', ' ');
    return `${portal.name} already has its custom domain ${portal.customDomain.hostname} (${doing}). Only one custom domain can be added to a portal.`;
  }
  await client.views.open({ trigger_id: triggerId, view: viewArgument(domainModal(form, { portalId: portal.id, channelId: channelId ?? portal.notifyChannel ?? null })) });
  return undefined;
}
