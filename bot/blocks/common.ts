// Block Kit helpers and Slack's limits, kept in one place so every builder respects them.
import type { KnownBlock, PlainTextOption, View } from '@slack/types';

export const LIMITS = {
  modalTitle: 24,
  buttonText: 75,
  optionText: 75,
  optionsPerMenu: 100,
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  contextElements: 10,
  privateMetadata: 3000,
  headerText: 150,
} as const;

/** The ids of every interactive element, so listeners and builders agree. */
export const ACTION = {
  acceptTerms: 'terms_accept',
  declineTerms: 'terms_decline',
  restart: 'portal_restart',
  changeValues: 'portal_change_values',
  retryInstall: 'portal_retry_install',
  instance: 'instance_select',
  language: 'language_select',
  audience: 'audience_select',
  portalType: 'portal_type_select',
  checkDomain: 'domain_check_now',
} as const;

export const PROVISION_CALLBACK = 'provision_portal';

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Text as Slack mrkdwn must carry it: &, < and > escaped, or Slack reads `<word>` as a link or a
 * mention (`<!channel>` would notify everyone) and drops what it cannot read. Every piece of text
 * sent as mrkdwn that is not itself a link or mention goes through here: what users typed, what the
 * API said, and our own sentences that show angle brackets.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain text. Slack renders :emoji: codes in it by default, so `emoji: true` is left out: it weighed 10 % of a modal. */
export function plain(text: string, max: number = LIMITS.optionText) {
  return { type: 'plain_text' as const, text: truncate(text, max) };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value };
}

/** A section, split over several blocks when the text is longer than one may hold. */
export function sections(markdown: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let rest = markdown;
  while (rest.length > 0) {
    let cut = rest.length <= LIMITS.sectionText ? rest.length : rest.lastIndexOf('\n', LIMITS.sectionText);
    if (cut <= 0) cut = LIMITS.sectionText;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  return blocks;
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }] };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger') {
  return { type: 'button' as const, text: plain(text, LIMITS.buttonText), action_id: actionId, value, ...(style ? { style } : {}) };
}

/**
 * A view as the Web API client sends it: already JSON. @slack/web-api walks an object argument twice
 * per call to redact it for a debug line it builds whatever the log level (a 5 KB modal costs about
 * half a millisecond of the event loop); a string it sends as it is. On the wire the two are the same
 * form field, the view's JSON.
 */
export function viewArgument(view: View): View {
  return JSON.stringify(view) as unknown as View;
}
