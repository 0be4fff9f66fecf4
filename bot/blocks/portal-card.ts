// A portal as Slack shows it: the live status message, the /portal status card, alerts and App Home.
import type { KnownBlock } from '@slack/types';
import type { PortalCardFieldsFragment } from '../gql/graphql.ts';
import { ACTION, button, context, escapeMrkdwn, truncate } from './common.ts';

export type PortalCard = PortalCardFieldsFragment;

const STATUS_WORDS: Record<PortalCard['status'], string> = {
  AWAITING_TERMS: 'Waiting for the terms of service',
  CONFIGURING: 'Configuring',
  PROVISIONED: 'Provisioned',
  PROVISIONING_FAILED: 'Provisioning failed',
  DECLINED: 'Terms declined',
  EXPIRED: 'Request expired (terms not answered in time)',
};

type Mark = '✓' | '⏳' | '✗' | '·';

/** The three steps of provisioning with their marks. */
export function steps(portal: Pick<PortalCard, 'status' | 'resourceStatus' | 'packageStatus'>): Array<{ step: string; mark: Mark }> {
  const resources: Mark =
    portal.resourceStatus === 'CREATED' ? '✓' : portal.resourceStatus === 'FAILED' ? '✗' : portal.resourceStatus === 'CREATING' && portal.status === 'CONFIGURING' ? '⏳' : '·';
  const pkg: Mark =
    portal.packageStatus === 'INSTALLED' ? '✓' : portal.packageStatus === 'INSTALL_FAILED' ? '✗' : portal.status === 'CONFIGURING' && portal.resourceStatus === 'CREATED' ? '⏳' : '·';
  const done: Mark = portal.status === 'PROVISIONED' ? '✓' : portal.status === 'PROVISIONING_FAILED' ? '✗' : '·';
  return [
    { step: 'Portal URL', mark: resources },
    { step: 'Package installation', mark: pkg },
    { step: 'Provisioned', mark: done },
  ];
}

export function elapsed(fromIso: string | null, toIso: string | null, now = Date.now()): string | undefined {
  if (!fromIso) return undefined;
  const seconds = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : now) - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

const ACTION_BUTTONS = {
  RESTART_PROVISIONING: { text: 'Restart Provisioning', actionId: ACTION.restart, style: 'primary' as const },
  UPDATE_AND_RESTART: { text: 'Change Values and Restart Provisioning', actionId: ACTION.changeValues, style: undefined },
  RETRY_PACKAGE_INSTALL: { text: 'Retry installation', actionId: ACTION.retryInstall, style: undefined },
};

/** Buttons for what may be done now (terms buttons live on the terms message only). */
export function actionButtons(portal: Pick<PortalCard, 'id' | 'allowedActions'>): KnownBlock[] {
  const buttons = portal.allowedActions
    .filter((a): a is keyof typeof ACTION_BUTTONS => a in ACTION_BUTTONS)
    .map((a) => button(ACTION_BUTTONS[a].text, ACTION_BUTTONS[a].actionId, portal.id, ACTION_BUTTONS[a].style));
  return buttons.length > 0 ? [{ type: 'actions', block_id: `portal_actions`, elements: buttons }] : [];
}

/** The portal's card: name as the admin center shows it, steps, facts, and the banner of its state. */
export function portalCard(portal: PortalCard, options: { withActions?: boolean; now?: number } = {}): KnownBlock[] {
  const time = elapsed(portal.consentGrantedAt ?? null, portal.provisionedAt ?? (portal.status === 'PROVISIONING_FAILED' ? portal.updatedAt : null), options.now);
  const stepLine = steps(portal)
    .map((s) => `${s.mark} ${s.step}`)
    .join('   ');
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${escapeMrkdwn(portal.displayName)}* · ${STATUS_WORDS[portal.status]}\n<${portal.url}|${portal.url.replace(/^https:\/\//, '')}>`, 3000),
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: `${stepLine}${time ? `   ·   ${time}` : ''}` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Instance*\n${escapeMrkdwn(portal.instance?.name ?? '—')}` },
        { type: 'mrkdwn', text: `*Administrator*\n${escapeMrkdwn(portal.administrator?.email ?? '—')}` },
        { type: 'mrkdwn', text: `*Audience / type*\n${portal.audience} · ${portal.portalType.replaceAll('_', ' ')}` },
        { type: 'mrkdwn', text: `*Language*\n${portal.language}` },
      ],
    },
  ];
  if (portal.statusMessage) blocks.push(context(escapeMrkdwn(portal.statusMessage)));
  if (portal.status === 'PROVISIONING_FAILED' && portal.lastError) blocks.push(context(`:warning: ${escapeMrkdwn(portal.lastError)}`));
  if (options.withActions) blocks.push(...actionButtons(portal));
  return blocks;
}

/** The alert posted in the channel when provisioning fails, with the ways out. */
export function failureAlert(portal: PortalCard, reason: string): KnownBlock[] {
  const pkg = portal.packageStatus === 'INSTALL_FAILED';
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `:rotating_light: *${escapeMrkdwn(portal.displayName)}*\n${pkg ? 'The package installation failed' : 'Creating the portal URL failed'}: ${escapeMrkdwn(reason)}`,
          3000,
        ),
      },
    },
    ...actionButtons(portal),
  ];
}

export function statusText(portal: Pick<PortalCard, 'displayName' | 'status'>): string {
  return `${portal.displayName}: ${STATUS_WORDS[portal.status]}`;
}
