// Slack gives a modal submission 3 seconds. With the API deployed apart and slow, the bot answers in
// time with a "working on it" view and shows the outcome in the same modal when the API answers.
import { afterEach, describe, expect, it } from 'vitest';
import { blockOf, contextTexts, ModalDriver, optionByText } from './support/provision-modal.ts';
import type { SlackHarness } from './support/slack.ts';
import { eventually } from './support/slack.ts';
import { type SlowApi, startSlackHarnessWithSlowApi } from './support/slow-api.ts';

// Longer than Slack waits: only an answer that does not wait for the API arrives in time.
const SLOWER_THAN_SLACK_MS = 4_000;
let slowRequests = true;
const isRequest = (query: string) => query.includes('requestPortal');

let h: SlackHarness;
let api: SlowApi;
afterEach(() => h.stop());

async function submitWhileSlow(subdomain: string) {
  ({ h, api } = await startSlackHarnessWithSlowApi((query) => (slowRequests && isRequest(query) ? SLOWER_THAN_SLACK_MS : 0)));
  const modal = await ModalDriver.open(h);
  await modal.choose('instance', optionByText(modal.view, 'instance', 'Contoso Sales'));
  const updatesBefore = h.slack.callsTo('views.update').length;
  const response = await modal.submit({ name: 'Slow portal', subdomain });
  const acknowledgedAt = Date.now();
  expect(response.status).toBe(200);
  return { modal, ack: await response.json(), acknowledgedAt, updatesBefore };
}

describe('a submission the API is slow to answer', () => {
  it('answers Slack with a working view before the API answers, then shows the request taken and posts the terms', async () => {
    slowRequests = true;
    const { modal, ack, acknowledgedAt, updatesBefore } = await submitWhileSlow('slow-portal');
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view)).toContain('taking longer than usual');
    // Slack had its answer before the API had answered the bot.
    const request = await eventually(() => api.answered.find((a) => isRequest(a.query)), 10_000, 'the API to answer');
    expect(request.at).toBeGreaterThanOrEqual(acknowledgedAt);

    const update = await eventually(() => h.slack.callsTo('views.update')[updatesBefore], 10_000, 'the outcome in the modal');
    expect(update.body.view_id).toBe(modal.view.id);
    expect(JSON.stringify(update.body.view)).toContain('*Slow portal* is requested');
    await eventually(() => h.slack.messages.find((m) => m.blocks?.some((b) => b.block_id === 'terms')), 5_000, 'the terms message');
  });

  it('shows late problems under their fields in the form, which can then be submitted again', async () => {
    slowRequests = true;
    const { modal, ack, updatesBefore } = await submitWhileSlow('bad_name');
    expect(ack.response_action).toBe('update');
    const update = await eventually(() => h.slack.callsTo('views.update')[updatesBefore], 10_000, 'the form again');
    modal.view = { ...update.body.view, id: modal.view.id, hash: 'hash-late' };
    const subdomainAt = modal.view.blocks.indexOf(blockOf(modal.view, 'subdomain'));
    expect(modal.view.blocks[subdomainAt + 1]?.type).toBe('context');
    expect(JSON.stringify(modal.view.blocks[subdomainAt + 1])).toContain('remove \\"_\\"');
    expect(contextTexts(modal.view)[0]).toContain('Nothing was requested');
    expect(blockOf(modal.view, 'name').element.initial_value).toBe('Slow portal');
    expect(h.slack.messages).toHaveLength(0);

    slowRequests = false;
    const again = await modal.submit({ name: 'Slow portal', subdomain: 'good-name' });
    expect(await again.text()).toBe('');
    await eventually(() => h.slack.messages.find((m) => m.blocks?.some((b) => b.block_id === 'terms')), 5_000, 'the terms message');
  });
});
