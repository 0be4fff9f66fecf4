// Block Kit's limits, checked on the biggest inputs the builders can get.
import type { Block, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { WireJson } from '../../test/support/wire-json.ts';
import type { ProvisionForm } from '../provision-form.ts';
import { LIMITS } from './common.ts';
import { homeView, portalList, termsMessage } from './messages.ts';
import { failureAlert, type PortalCard, portalCard } from './portal-card.ts';
import { provisionModal } from './provision-modal.ts';

/** Every limit of Slack's Block Kit reference that our builders could break. */
function problems(blocks: readonly (KnownBlock | Block)[], maxBlocks: number): string[] {
  const found: string[] = [];
  if (blocks.length > maxBlocks) found.push(`${blocks.length} blocks > ${maxBlocks}`);
  const visit = (node: WireJson, path: string): void => {
    if (!node || typeof node !== 'object') return;
    if (node.block_id && node.block_id.length > 255) found.push(`${path}: block_id too long`);
    if (node.action_id && node.action_id.length > 255) found.push(`${path}: action_id too long`);
    if (node.type === 'section' && node.text && node.text.text.length > LIMITS.sectionText) found.push(`${path}: section text ${node.text.text.length}`);
    if (node.type === 'section' && node.fields && (node.fields.length > 10 || node.fields.some((f: WireJson) => f.text.length > 2000))) found.push(`${path}: fields`);
    if (node.type === 'button' && (node.text.text.length > 75 || (node.value ?? '').length > 2000)) found.push(`${path}: button`);
    if (node.type === 'header' && node.text.text.length > 150) found.push(`${path}: header`);
    if (node.type === 'context' && node.elements.length > 10) found.push(`${path}: context`);
    if (Array.isArray(node.options)) {
      if (node.options.length > LIMITS.optionsPerMenu) found.push(`${path}: ${node.options.length} options`);
      for (const option of node.options) if (option.text.text.length > 75 || option.value.length > 150) found.push(`${path}: option ${option.text.text}`);
    }
    for (const [key, value] of Object.entries(node)) {
      if (Array.isArray(value)) {
        for (const [i, child] of value.entries()) visit(child, `${path}.${key}[${i}]`);
      } else if (typeof value === 'object') visit(value, `${path}.${key}`);
    }
  };
  for (const [i, block] of blocks.entries()) visit(block, `blocks[${i}]`);
  return found;
}

const long = (n: number) => 'x'.repeat(n);

const hugeForm: ProvisionForm = {
  viewer: { isGlobalAdministrator: true, user: { email: 'ada@contoso.com' } },
  instances: Array.from({ length: 150 }, (_, i) => ({
    id: `SW5zdGFuY2U6${long(60)}${i}`,
    name: `Instance ${i} ${long(120)}`,
    installedSolutions: ['Field Service'],
    baseLanguage: { code: 'l0' },
    languages: Array.from({ length: 120 }, (_, j) => ({ code: `l${j}`, name: `Language ${j} ${long(100)}` })),
    eligibleAdministrators: Array.from({ length: 130 }, (_, j) => ({ id: `u${j}`, displayName: `Admin ${j} ${long(80)}`, email: `a${j}@contoso.com` })),
  })),
  portalCatalog: {
    audiences: [
      {
        key: 'PARTNER',
        name: 'Partner',
        portalTypes: [
          {
            key: 'PARTNER',
            name: 'Partner Portal',
            features: Array.from({ length: 400 }, (_, i) => `Feature ${i} ${long(20)}`),
            addOns: [{ key: 'PARTNER_FIELD_SERVICE', name: 'Partner Field Service', requiredSolutions: ['Field Service'] }],
          },
        ],
      },
    ],
  },
};

const card: PortalCard = {
  id: 'UG9ydGFsOjE=',
  name: long(100),
  displayName: `${long(100)}-Provisioning Failed`,
  status: 'PROVISIONING_FAILED',
  subdomain: long(63),
  url: `https://${long(63)}.microsoftcrmportals.com`,
  language: 'en-US',
  audience: 'PARTNER',
  portalType: 'PARTNER',
  addOns: ['PARTNER_FIELD_SERVICE'],
  features: [],
  resourceStatus: 'CREATED',
  packageStatus: 'INSTALL_FAILED',
  statusMessage: null,
  urlServes: 'Getting set up.',
  lastError: long(5000),
  allowedActions: ['RESTART_PROVISIONING', 'UPDATE_AND_RESTART', 'RETRY_PACKAGE_INSTALL', 'RENAME'],
  attempt: 3,
  notifyChannel: 'C0PORTALS',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T01:00:00Z',
  provisionedAt: null,
  consentGrantedAt: '2026-01-01T00:00:10Z',
  instance: { id: 'i', name: long(300) },
  administrator: { id: 'u', email: `${long(200)}@contoso.com`, displayName: 'A' },
  requestedBy: { id: 'u', email: 'ada@contoso.com', displayName: 'Ada' },
};

describe('Block Kit limits', () => {
  it('keeps the provision modal within them with 150 instances and long names', () => {
    const view = provisionModal(hugeForm, { portalType: 'PARTNER' }, { channelId: 'C0PORTALS', portalId: long(40) });
    if (view.type !== 'modal') throw new Error(`The provision form is a ${view.type} view, not a modal.`);
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(view.private_metadata?.length ?? 0).toBeLessThanOrEqual(LIMITS.privateMetadata);
    expect(problems(view.blocks, LIMITS.blocksPerView)).toEqual([]);
  });

  it('keeps the terms message under 50 blocks with a very long text', () => {
    const blocks = termsMessage(card, { version: 'v', text: `${long(2000)}\n`.repeat(200) }, 'U0ADA');
    expect(problems(blocks, LIMITS.blocksPerMessage)).toEqual([]);
  });

  it('keeps cards, alerts, lists and App Home within them', () => {
    expect(problems(portalCard(card, { withActions: true }), LIMITS.blocksPerMessage)).toEqual([]);
    expect(problems(failureAlert(card, long(10_000)), LIMITS.blocksPerMessage)).toEqual([]);
    const many = Array.from({ length: 50 }, () => card);
    expect(problems(portalList(many, 500), LIMITS.blocksPerMessage)).toEqual([]);
    expect(problems(homeView(many).blocks, LIMITS.blocksPerView)).toEqual([]);
  });
});
