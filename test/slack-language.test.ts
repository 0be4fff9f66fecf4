// A portal's package installs only in its instance's default language. The modal says so beside the
// language before submit, the terms message repeats it, and the API's answer carries it.
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../bot/blocks/common.ts';
import type { SlackMessage } from './support/fake-slack.ts';
import { blockOf, chosen, contextTexts, ModalDriver, optionByText } from './support/provision-modal.ts';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack.ts';
import { shownBySlack, shownTexts } from './support/slack-text.ts';
import { instanceId, openTestTenant, portalInput } from './support/tenant.ts';

const SALES_IN_FRENCH =
  'The package installs only in the default language of Contoso Sales, which is English: installation will fail in French. Choose English, or have an administrator set the default language of Contoso Sales to French before the installation starts.';

let h: SlackHarness;

describe('the language of a portal in Slack', () => {
  afterEach(() => h.stop());

  it('chooses the default language, warns beside any other before submit, and repeats it with the terms', async () => {
    h = await startSlackHarness();
    const modal = await ModalDriver.open(h);
    await modal.choose('instance', optionByText(modal.view, 'instance', 'Contoso Sales'));
    expect(chosen(modal.view, 'language')).toBe('en-US');
    expect(blockOf(modal.view, 'language').hint.text).toContain('installs only in English, the default language of this instance');
    expect(contextTexts(modal.view).join('\n')).not.toContain('installation will fail');

    await modal.choose('language', 'fr-FR');
    expect(chosen(modal.view, 'language')).toBe('fr-FR');
    const warnings = contextTexts(modal.view)
      .map(shownBySlack)
      .filter((t) => t.includes('installation will fail'));
    expect(warnings).toEqual([`:warning: ${SALES_IN_FRENCH}`]);
    // The warning sits right under the language it is about.
    const at = modal.view.blocks.indexOf(blockOf(modal.view, 'language'));
    expect(modal.view.blocks[at + 1]?.block_id).toBe('warning_language');

    await modal.choose('language', 'en-US');
    expect(contextTexts(modal.view).join('\n')).not.toContain('installation will fail');

    // The user may still go ahead: the request is taken, and the warning comes with the terms.
    await modal.choose('language', 'fr-FR');
    const response = await modal.submit({ name: 'Ventes', subdomain: 'ventes-fr' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const terms = await eventually(() => h.slack.messages.find((m) => m.blocks?.some((b) => b.block_id === 'terms')), 5_000, 'the terms message');
    expect(shownTexts(terms)).toContain(`:warning: ${SALES_IN_FRENCH}`);
  });

  it('follows the instance: a language that is the default of the newly chosen instance warns no more', async () => {
    h = await startSlackHarness();
    const modal = await ModalDriver.open(h);
    await modal.choose('instance', optionByText(modal.view, 'instance', 'Contoso Sales'));
    await modal.choose('language', 'de-DE');
    expect(contextTexts(modal.view).join('\n')).toContain('which is English: installation will fail in German');
    await modal.choose('instance', optionByText(modal.view, 'instance', 'Contoso Middle East'));
    // German is not installed there: the default language is chosen again, with no warning.
    expect(chosen(modal.view, 'language')).toBe('en-US');
    expect(contextTexts(modal.view).join('\n')).not.toContain('installation will fail');
  });
});

function pressButton(message: SlackMessage, actionId: string) {
  const button = (message.blocks ?? []).flatMap((b) => b.elements ?? []).find((e: { action_id?: string }) => e.action_id === actionId);
  if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(message.blocks)}`);
  return h.interact({
    type: 'block_actions',
    user: { id: 'U0ADA' },
    actions: [{ action_id: actionId, block_id: 'x', type: 'button', value: button.value }],
    channel: { id: message.channel },
    message: { ts: message.ts, blocks: message.blocks },
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel },
    response_url: h.slack.responseUrl('button'),
  });
}

describe('changing the values of a portal that failed on its language', () => {
  afterEach(() => h.stop());

  it('says the kept language will fail again before the modal closes', async () => {
    h = await startSlackHarness();
    const modal = await ModalDriver.open(h);
    await modal.choose('instance', optionByText(modal.view, 'instance', 'Contoso Sales'));
    await modal.choose('language', 'fr-FR');
    await modal.submit({ name: 'Ventes', subdomain: 'ventes-change' });
    const terms = await eventually(() => h.slack.messages.find((m) => m.blocks?.some((b) => b.block_id === 'terms')), 5_000, 'the terms message');
    await pressButton(terms, ACTION.acceptTerms);
    const alert = await eventually(() => h.slack.messages.find((m) => m.metadata?.event_payload.part === 'alert'), 15_000, 'the failure alert');
    expect(alert.text).toContain('default language of Contoso Sales');

    await pressButton(alert, ACTION.changeValues);
    const open = await eventually(() => h.slack.callsTo('views.open')[1], 5_000, 'the change-values modal');
    const change = new ModalDriver(h, 'U0ADA', { ...open.body.view, id: 'V0CHANGE', hash: 'h' });
    expect(chosen(change.view, 'language')).toBe('fr-FR');
    expect(contextTexts(change.view).map(shownBySlack)).toContain(`:warning: ${SALES_IN_FRENCH}`);
    const answer = await (await change.submit({ name: 'Ventes', subdomain: 'ventes-change' })).json();
    expect(answer.response_action).toBe('update');
    expect(shownTexts({ blocks: answer.view.blocks })).toEqual(
      expect.arrayContaining([':white_check_mark: Provisioning of *Ventes* restarts with the new values.', `:warning: ${SALES_IN_FRENCH}`]),
    );
  });
});

describe('the language of a portal in the API', () => {
  it('answers requestPortal with the same warning, and none for the default language', async () => {
    const tenant = await openTestTenant();
    try {
      const token = await tenant.token({ email: 'ada@contoso.com' });
      const request = `mutation ($input: RequestPortalInput!) {
        requestPortal(input: $input) { __typename ... on PortalPayload { portal { subdomain } warnings { field message } } }
      }`;
      const input = (subdomain: string, language: string) =>
        portalInput({ subdomain, language, instanceId: instanceId('contoso-sales'), audience: 'CUSTOMER', portalType: 'CUSTOMER_SELF_SERVICE', addOns: [] });
      const french = await tenant.gql(request, { input: input('api-fr', 'fr-FR') }, token);
      expect(french.body.data.requestPortal).toEqual({
        __typename: 'PortalPayload',
        portal: { subdomain: 'api-fr' },
        warnings: [{ field: 'language', message: SALES_IN_FRENCH }],
      });
      const english = await tenant.gql(request, { input: input('api-en', 'en-US') }, token);
      expect(english.body.data.requestPortal.warnings).toEqual([]);
    } finally {
      await tenant.close();
    }
  });
});
