// Slack flows that go wrong only when Slack answers as Slack does: ephemeral cards, channels the bot
// is not in, terms that changed, taken subdomains and quick menu changes. Signed requests to the real
// Bolt receiver, the fake Slack Web API on loopback, the simulator at test speed, a test database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../bot/blocks/common.ts';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import type { SlackCall } from './support/fake-slack.ts';
import { type PlatformKind, platformsUnderTest } from './support/platforms.ts';
import { eventually, type SlackHarness, startSlackHarnessOn } from './support/slack.ts';
import { buttonIn, chosen, instanceIdByName, optionsOf, type SlackFlows, slackFlows, submission, type View } from './support/slack-flows.ts';

let h: SlackHarness;
let flows: SlackFlows;
/** Each test gets a product on `kind`, with a fake Slack. */
function harnessOn(kind: PlatformKind) {
  beforeEach(async () => {
    h = await startSlackHarnessOn(kind);
    flows = slackFlows(h);
  });
  afterEach(() => h.stop());
}

const responses = (name: string) => h.slack.calls.filter((c) => c.method === `response/${name}`);
const everythingSaid = () => JSON.stringify(h.slack.calls.filter((c) => c.method.startsWith('response/') || c.method.startsWith('chat.')).map((c) => c.body));

/** `/portal status <subdomain>` answers an ephemeral card through the command's response_url. */
async function statusCard(user: string, subdomain: string): Promise<{ card: SlackCall; responseUrl: string }> {
  const { responseUrl } = await h.command(user, `status ${subdomain}`);
  const name = responseUrl.split('/').at(-1) as string;
  const card = await eventually(() => responses(name)[0], 3_000, 'the status card');
  return { card, responseUrl };
}

/** Presses a button of an ephemeral message: Slack names the message, which no Web API call can find. */
function clickEphemeral(card: SlackCall, user: string, actionId: string, channel = 'C0PORTALS') {
  const button = buttonIn(card.body, actionId);
  return h.interact({
    type: 'block_actions',
    user: { id: user },
    actions: [{ action_id: actionId, block_id: 'portal_actions', type: 'button', value: button.value }],
    channel: { id: channel },
    container: { type: 'message', message_ts: '1800000999.000100', channel_id: channel, is_ephemeral: true },
    response_url: h.slack.responseUrl('ephemeral-card'),
  });
}

describe.each(platformsUnderTest())('buttons on an ephemeral /portal status card on the %s platform', (kind) => {
  harnessOn(kind);
  it('Restart Provisioning replaces the card through its response_url and never reports the success as a failure', async () => {
    const terms = await flows.requestThroughSlack('flaky-portal');
    await flows.click(terms, 'U0ADA', ACTION.acceptTerms);
    await eventually(() => h.slack.messages.find((m) => m.metadata?.event_payload.part === 'alert'), 10_000, 'the failure alert');

    const { card } = await statusCard('U0ADA', 'flaky-portal');
    expect(card.body.response_type).toBe('ephemeral');
    await clickEphemeral(card, 'U0ADA', ACTION.restart);

    const replaced = await eventually(() => responses('ephemeral-card')[0], 3_000, 'the card replaced');
    expect(replaced.body.replace_original).toBe(true);
    expect(replaced.body.text).toContain('Provisioning restarted');
    expect(JSON.stringify(replaced.body.blocks)).toContain('Configuring');
    expect(JSON.stringify(replaced.body.blocks)).not.toContain(ACTION.restart);
    const status = await eventually(flows.statusMessageOf('Portal flaky-portal'), 5_000, 'the status message');
    await eventually(() => JSON.stringify(status.blocks).includes('✓ Provisioned'), 10_000, 'provisioned after the restart');
    expect(h.slack.callsTo('chat.update').filter((c) => c.body.ts === '1800000999.000100')).toHaveLength(0);
    expect(everythingSaid()).not.toContain('Something went wrong');

    // The old card pressed again, in a private channel the bot is not in: the refusal comes beside it.
    h.slack.outsideChannels.add('G0PRIVATE');
    await clickEphemeral(card, 'U0ADA', ACTION.restart, 'G0PRIVATE');
    const refusal = await eventually(() => responses('ephemeral-card')[1], 3_000, 'the refusal beside the card');
    expect(refusal.body).toMatchObject({ replace_original: false, response_type: 'ephemeral' });
    expect(refusal.body.text).toMatch(/provisioned|being configured/);
  });

  it('Retry installation does the same for a failed package installation', async () => {
    const terms = await flows.requestThroughSlack('flaky-package');
    await flows.click(terms, 'U0ADA', ACTION.acceptTerms);
    await eventually(() => h.slack.messages.find((m) => m.metadata?.event_payload.part === 'alert'), 10_000, 'the failure alert');

    const { card } = await statusCard('U0ADA', 'flaky-package');
    await clickEphemeral(card, 'U0ADA', ACTION.retryInstall);

    const replaced = await eventually(() => responses('ephemeral-card')[0], 3_000, 'the card replaced');
    expect(replaced.body.replace_original).toBe(true);
    expect(replaced.body.text).toContain('Installation retried');
    const status = await eventually(flows.statusMessageOf('Portal flaky-package'), 5_000, 'the status message');
    await eventually(() => JSON.stringify(status.blocks).includes('✓ Provisioned'), 10_000, 'provisioned after the retry');
    expect(everythingSaid()).not.toContain('Something went wrong');
  });
});

describe('the version of the terms on the Accept button', () => {
  harnessOn('local');
  it('accepts the version its message shows, and answers a click on older terms with the new text and fresh buttons', async () => {
    const terms = await flows.requestThroughSlack('versioned-terms');
    const shown = JSON.parse(buttonIn(terms, ACTION.acceptTerms).value);
    expect(shown.version).toBe(CURRENT_TERMS_VERSION);

    // The same message as if it had been posted under an earlier version of the terms.
    const older = { ...shown, version: '2016-01-01' };
    for (const block of terms.blocks ?? []) for (const element of block.elements ?? []) if (element.value) element.value = JSON.stringify(older);
    await flows.click(terms, 'U0ADA', ACTION.acceptTerms);
    await eventually(() => JSON.stringify(terms.blocks).includes('terms of service changed'), 3_000, 'the new terms in the message');
    expect(JSON.stringify(terms.blocks)).toContain(`version ${CURRENT_TERMS_VERSION}`);
    expect(JSON.parse(buttonIn(terms, ACTION.acceptTerms).value).version).toBe(CURRENT_TERMS_VERSION);
    expect(JSON.stringify(terms.blocks)).not.toContain('accepted the terms of service');
    const { card } = await statusCard('U0ADA', 'versioned-terms');
    expect(JSON.stringify(card.body.blocks)).toContain('Waiting for the terms of service');

    // The fresh button accepts the version it shows.
    await flows.click(terms, 'U0ADA', ACTION.acceptTerms);
    await eventually(() => JSON.stringify(terms.blocks).includes('accepted the terms of service'), 3_000, 'the terms accepted');
  });
});

describe('two quick menu changes in the provision modal', () => {
  harnessOn('local');
  const select = (actionId: string, blockId: string, value: string, actionTs: number) => ({
    action_id: actionId,
    block_id: blockId,
    type: 'static_select',
    selected_option: { value },
    action_ts: actionTs.toFixed(6),
  });
  const change = (view: View, action: Record<string, unknown>, values: Record<string, Record<string, unknown>>) =>
    h.interact({ type: 'block_actions', user: { id: 'U0ADA' }, actions: [action], view: { ...view, state: { values } }, container: { type: 'view', view_id: view.id } });
  const held = (view: View) => h.slack.views.get(view.id)?.view as View;

  it('shows the newest choice when the second change reaches Slack after the first changed the view', async () => {
    const view = await flows.openModal();
    const sales = instanceIdByName(view, 'Contoso Sales');
    expect(chosen(view, 'instance')).not.toBe(sales);
    const t = Date.now() / 1000;
    const audience = { [ACTION.audience]: { type: 'static_select', selected_option: { value: 'EMPLOYEE' } } };

    // Audience Employee; its update lands and changes the view's hash.
    await change(view, select(ACTION.audience, 'audience', 'EMPLOYEE', t), { audience });
    await eventually(() => h.slack.views.get(view.id)?.hash !== view.hash, 3_000, 'the first update');
    // Then Contoso Sales, chosen in the form as it was before that update: the old hash.
    await change(view, select(ACTION.instance, 'instance', sales, t + 0.5), {
      audience,
      instance: { [ACTION.instance]: { type: 'static_select', selected_option: { value: sales } } },
    });

    await eventually(() => chosen(held(view), 'instance') === sales, 3_000, 'the newest choice shown');
    expect(h.slack.callsTo('views.update').some((c) => c.body.hash === view.hash)).toBe(true);
    expect(chosen(held(view), 'audience')).toBe('EMPLOYEE');
    expect(optionsOf(held(view), 'portal_type')).toEqual(['EMPLOYEE_SELF_SERVICE']);
  });

  it('never lets an older change overwrite a newer one that reached Slack first', async () => {
    const view = await flows.openModal();
    const sales = instanceIdByName(view, 'Contoso Sales');
    const t = Date.now() / 1000;
    const audience = { [ACTION.audience]: { type: 'static_select', selected_option: { value: 'EMPLOYEE' } } };
    const instance = { [ACTION.instance]: { type: 'static_select', selected_option: { value: sales } } };

    await change(view, select(ACTION.instance, 'instance', sales, t + 0.5), { audience, instance });
    await eventually(() => chosen(held(view), 'instance') === sales, 3_000, 'the newer change shown');
    // The older change (Employee alone, before Contoso Sales was chosen) arrives late.
    await change(view, select(ACTION.audience, 'audience', 'EMPLOYEE', t), { audience });
    await eventually(() => h.logs.some((line) => line.includes('a newer choice in the provision modal is shown instead')), 3_000, 'the older change set aside');
    expect(chosen(held(view), 'instance')).toBe(sales);
    expect(chosen(held(view), 'audience')).toBe('EMPLOYEE');
  });
});

describe('a subdomain taken on the portal platform', () => {
  harnessOn('local');
  it('is refused beside the subdomain field at submit, holding no license and posting nothing', async () => {
    const view = await flows.openModal();
    const sales = instanceIdByName(view, 'Contoso Sales');
    const response = await h.interact(
      submission(view, 'U0ADA', {
        name: 'Contoso',
        subdomain: 'contoso',
        instance: sales,
        language: 'en-US',
        administrator: optionsOf(view, 'administrator')[0],
        audience: 'CUSTOMER',
        portalType: 'CUSTOMER_SELF_SERVICE',
      }),
    );
    const body = await response.json();
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({ subdomain: 'The portal URL contoso is already taken on the portal platform; choose another subdomain.' });
    expect(h.slack.messages).toHaveLength(0);
  });
});

describe('a request from a channel the bot cannot post in', () => {
  harnessOn('local');
  it('sends the terms to the requester directly, says why, and the portal follows them there', async () => {
    h.slack.outsideChannels.add('G0PRIVATE');
    const terms = await flows.requestThroughSlack('private-portal', 'U0ADA', 'G0PRIVATE');
    expect(terms.channel).toBe('D0ADA');
    expect(h.slack.callsTo('conversations.open')[0]?.body.users).toBe('U0ADA');
    expect(JSON.stringify(terms.blocks)).toContain('I cannot post in <#G0PRIVATE>');

    await flows.click(terms, 'U0ADA', ACTION.acceptTerms);
    await eventually(() => JSON.stringify(terms.blocks).includes('accepted the terms of service'), 3_000, 'the terms accepted');
    const status = await eventually(flows.statusMessageOf('Portal private-portal'), 5_000, 'the status message');
    expect(status.channel).toBe('D0ADA');
    await eventually(() => JSON.stringify(status.blocks).includes('✓ Provisioned'), 10_000, 'provisioned, shown in the direct message');
    expect(h.slack.messages.filter((m) => m.channel === 'G0PRIVATE')).toHaveLength(0);
  });

  it('shows Accept and Decline to the requester, and to nobody else, on the status card and in App Home', async () => {
    h.slack.outsideChannels.add('G0PRIVATE');
    await flows.requestThroughSlack('waiting-portal', 'U0ADA', 'G0PRIVATE');

    const other = await statusCard('U0GRACE', 'waiting-portal');
    expect(JSON.stringify(other.card.body.blocks)).not.toContain(ACTION.acceptTerms);
    await h.event({ type: 'app_home_opened', user: 'U0ADA', channel: 'D0ADA', tab: 'home' });
    const home = await eventually(() => h.slack.callsTo('views.publish')[0], 3_000, 'App Home');
    expect(JSON.parse(buttonIn({ blocks: home.body.view.blocks }, ACTION.acceptTerms).value)).toMatchObject({ requester: 'U0ADA', version: CURRENT_TERMS_VERSION });

    const { card } = await statusCard('U0ADA', 'waiting-portal');
    expect(JSON.stringify(card.body.blocks)).toContain(`version ${CURRENT_TERMS_VERSION}`);
    await clickEphemeral(card, 'U0ADA', ACTION.acceptTerms, 'G0PRIVATE');
    const replaced = await eventually(() => responses('ephemeral-card')[0], 3_000, 'the card replaced');
    expect(replaced.body.replace_original).toBe(true);
    expect(JSON.stringify(replaced.body.blocks)).toContain('accepted the terms of service');
    expect(everythingSaid()).not.toContain('Something went wrong');
  });

  it('declines from App Home, which is drawn again without the buttons', async () => {
    await flows.requestThroughSlack('home-decline');
    await h.event({ type: 'app_home_opened', user: 'U0ADA', channel: 'D0ADA', tab: 'home' });
    const home = await eventually(() => h.slack.callsTo('views.publish')[0], 3_000, 'App Home');
    const decline = buttonIn({ blocks: home.body.view.blocks }, ACTION.declineTerms);
    await h.interact({
      type: 'block_actions',
      user: { id: 'U0ADA' },
      actions: [{ action_id: ACTION.declineTerms, block_id: 'terms', type: 'button', value: decline.value }],
      view: { id: 'V0HOME', type: 'home', hash: 'h', blocks: home.body.view.blocks },
      container: { type: 'view', view_id: 'V0HOME' },
    });
    const again = await eventually(() => h.slack.callsTo('views.publish')[1], 3_000, 'App Home drawn again');
    expect(JSON.stringify(again.body.view)).toContain('Terms declined');
    expect(JSON.stringify(again.body.view)).not.toContain(ACTION.acceptTerms);
  });
});

describe('terms nobody answers, in Slack', () => {
  harnessOn('local');
  it('reminds in the portal thread before the request expires, then says it expired', async () => {
    await h.stop();
    h = await startSlackHarnessOn('local', { TERMS_EXPIRY: '3s', TERMS_REMINDER: '2s', TERMS_EXPIRY_POLL: '* * * * * *' });
    flows = slackFlows(h);
    const terms = await flows.requestThroughSlack('unanswered');
    // The status message says the portal waits for its terms: the message without the terms buttons.
    const status = await eventually(
      () => h.slack.messages.find((m) => !m.thread_ts && m.text?.startsWith('Portal unanswered:') && !m.blocks?.some((b) => b.block_id === 'terms')),
      5_000,
      'the status message',
    );
    const thread = () => h.slack.messages.filter((m) => m.thread_ts === status.ts).map((m) => m.text ?? '');
    await eventually(() => thread().some((t) => t.includes('still wait for an answer')), 10_000, 'the reminder in the thread');
    await eventually(() => thread().some((t) => t.includes('the request expired and its portal license is free again')), 10_000, 'the expiry in the thread');
    await eventually(() => JSON.stringify(status.blocks).includes('Request expired'), 5_000, 'the status message to say expired');

    // A click on the old buttons changes nothing and says why.
    await flows.click(terms, 'U0ADA', ACTION.acceptTerms);
    const refusal = await eventually(() => h.slack.callsTo('chat.postEphemeral').find((c) => c.body.user === 'U0ADA'), 3_000, 'the refusal');
    expect(refusal.body.text).toContain('no longer be accepted');
  });
});
