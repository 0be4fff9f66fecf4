// The terms message, App Home, the portal list and the help text.
import type { KnownBlock, View } from '@slack/types';
import { ACTION, button, context, escapeMrkdwn, LIMITS, sections, truncate } from './common.ts';
import { type PortalCard, portalCard, statusText } from './portal-card.ts';

/**
 * Carried by the terms buttons: which portal, who alone may press them, and the version of the terms
 * the message shows, so a click accepts that text and no other.
 */
export interface TermsButton {
  portalId: string;
  requester: string;
  /** Empty on buttons posted before buttons carried it: such a click is answered with the current text. */
  version: string;
}

export function termsButtonValue(portalId: string, requesterSlackId: string, version: string): string {
  return JSON.stringify({ portalId, requester: requesterSlackId, version });
}

export function readTermsButton(value: string | undefined): TermsButton | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as { portalId?: unknown; requester?: unknown; version?: unknown };
    return typeof parsed.portalId === 'string' && typeof parsed.requester === 'string'
      ? { portalId: parsed.portalId, requester: parsed.requester, version: typeof parsed.version === 'string' ? parsed.version : '' }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Accept and consent / Decline, for the requester, bound to this version of the terms. */
export function termsButtons(portalId: string, requesterSlackId: string, version: string): KnownBlock {
  const value = termsButtonValue(portalId, requesterSlackId, version);
  return {
    type: 'actions',
    block_id: 'terms',
    elements: [button('Accept and consent', ACTION.acceptTerms, value, 'primary'), button('Decline', ACTION.declineTerms, value, 'danger')],
  };
}

/** After submit: the summary, the terms, and Accept / Decline for the requester. */
export function termsMessage(portal: PortalCard, terms: { version: string; text: string }, requesterSlackId: string, options: { note?: string } = {}): KnownBlock[] {
  // The card, the terms (split in sections of 3000 characters), and the buttons stay within 50 blocks.
  const termBlocks = sections(terms.text).slice(0, LIMITS.blocksPerMessage - 11);
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `<@${requesterSlackId}> requested a portal. Read and accept the terms of service (version ${terms.version}) to start provisioning.` } },
    ...(options.note ? [context(options.note)] : []),
    ...portalCard(portal),
    { type: 'divider' },
    ...termBlocks,
    termsButtons(portal.id, requesterSlackId, terms.version),
  ];
}

/** What replaces the buttons once they are pressed, so they cannot be pressed again. */
export function termsAnswered(portal: PortalCard, by: string, accepted: boolean): KnownBlock[] {
  return [
    ...portalCard(portal),
    context(
      accepted
        ? `:white_check_mark: <@${by}> accepted the terms of service and consented. Provisioning has started.`
        : `:no_entry: <@${by}> declined the terms of service. The license is free again.`,
    ),
  ];
}

export function portalList(portals: PortalCard[], total: number): KnownBlock[] {
  if (portals.length === 0) return [{ type: 'section', text: { type: 'mrkdwn', text: 'No portals yet. Type `/portal provision` to request one.' } }];
  const lines = portals.map((p) => `• *${escapeMrkdwn(p.displayName)}* — ${statusText(p).split(': ')[1]} — \`${p.subdomain}\``);
  const blocks = sections(lines.join('\n')).slice(0, LIMITS.blocksPerMessage - 1);
  if (total > portals.length) blocks.push(context(`Showing ${portals.length} of ${total}.`));
  return blocks;
}

/** The requester's App Home; `terms` (the current version) adds Accept / Decline to portals awaiting them. */
export function homeView(portals: PortalCard[], terms?: { requester: string; version: string }): View {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your portals' } },
    context('Type `/portal provision` in any channel to request a portal; `/portal help` lists every command.'),
  ];
  // Each card takes up to 6 blocks, 8 with the terms buttons; a Home tab holds 100.
  for (const portal of portals.slice(0, 11)) {
    blocks.push({ type: 'divider' }, ...portalCard(portal, { withActions: true }));
    if (terms && portal.status === 'AWAITING_TERMS') {
      blocks.push(
        context(`Accept and consent accepts the terms of service, version ${terms.version}; \`/portal status ${portal.subdomain}\` shows them in full.`),
        termsButtons(portal.id, terms.requester, terms.version),
      );
    }
  }
  if (portals.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'You have not requested any portal yet.' } });
  if (portals.length > 11) blocks.push(context(`And ${portals.length - 11} more: \`/portal list\` shows them all.`));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.blocksPerView) };
}

// Escaped: Slack reads `<subdomain>` in mrkdwn as a link and would not show it as typed.
export const HELP_TEXT = truncate(
  escapeMrkdwn(
    [
      '*/portal provision* — request a new portal (opens a form; Global Administrators only)',
      '*/portal list* — every portal and its state',
      '*/portal status <subdomain>* — one portal, with what you can do now',
      '*/portal restart <subdomain>* — restart the provisioning of a failed portal',
      '*/portal domain <subdomain>* — add a custom domain with its SSL certificate',
      '*/portal help* — this list',
    ].join('\n'),
  ),
  LIMITS.sectionText,
);
