// The Slack bot end to end: signed requests to the real Bolt receiver on our port, a fake Slack Web
// API on loopback, the simulator at test speed and a test database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../bot/blocks/common.ts';
import type { SlackMessage } from './support/fake-slack.ts';
import { type PlatformKind, platformsUnderTest } from './support/platforms.ts';
import { eventually, type SlackHarness, startSlackHarnessOn } from './support/slack.ts';
import { blockId, instanceIdByName, isStatusMessage, optionsOf, type SlackFlows, slackFlows, submission, type View } from './support/slack-flows.ts';

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

const openModal = (user?: string) => flows.openModal(user);
const requestThroughSlack = (subdomain: string, user?: string) => flows.requestThroughSlack(subdomain, user);
const click = (message: SlackMessage, user: string, actionId: string) => flows.click(message, user, actionId);
const statusMessageOf = (name: string) => flows.statusMessageOf(name);

describe('the /portal command', () => {
  harnessOn('local');
  it('opens the provision modal within the deadline, with only the instances the user may pick', async () => {
    const view = await openModal();
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const instances = view.blocks.find((b) => b.block_id === 'instance')?.element.options.map((o: { text: { text: string } }) => o.text.text);
    expect(instances).toEqual(['Contoso Field Operations', 'Contoso Middle East', 'Contoso Sales']);
  });

  it('rebuilds the portal types when the audience changes', async () => {
    const view = await openModal();
    await h.interact({
      type: 'block_actions',
      user: { id: 'U0ADA' },
      actions: [{ action_id: ACTION.audience, block_id: 'audience', type: 'static_select', selected_option: { value: 'EMPLOYEE' } }],
      view: { ...view, state: { values: { audience: { [ACTION.audience]: { type: 'static_select', selected_option: { value: 'EMPLOYEE' } } } } } },
      container: { type: 'view', view_id: view.id },
    });
    const update = await eventually(() => h.slack.callsTo('views.update')[0], 3_000, 'views.update');
    expect(update.body.hash).toBe(view.hash);
    expect(optionsOf(update.body.view, 'portal_type')).toEqual(['EMPLOYEE_SELF_SERVICE']);
    expect(JSON.stringify(update.body.view)).toContain('Azure AD Authentication');
  });

  it('shows the rule problems beside their fields', async () => {
    const view = await openModal();
    const mea = await instanceIdByName(view, 'Contoso Middle East');
    const response = await h.interact(submission(view, 'U0ADA', { name: 'X', subdomain: 'bad_name', instance: mea, audience: 'EMPLOYEE', portalType: 'PARTNER' }));
    const body = await response.json();
    expect(body.response_action).toBe('errors');
    expect(body.errors.subdomain).toContain('remove "_"');
    expect(Object.keys(body.errors)).toEqual(expect.arrayContaining(['subdomain', blockId(view, 'language'), blockId(view, 'administrator')]));
    expect(h.slack.messages).toHaveLength(0);
  });

  it('shows every problem of a field beside it, and refuses invisible characters in the name', async () => {
    const view = await openModal();
    const sales = await instanceIdByName(view, 'Contoso Sales');
    const response = await h.interact(
      submission(view, 'U0ADA', { name: 'Contoso\u0007 \u202Eexe', subdomain: '-Bad_', instance: sales, audience: 'CUSTOMER', portalType: 'CUSTOMER_SELF_SERVICE' }),
    );
    const body = await response.json();
    expect(body.response_action).toBe('errors');
    // A modal shows one string per block: the problems of a field are joined there.
    expect(body.errors[blockId(view, 'name')]).toBe(
      'Remove the control characters from the name: U+0007 (BEL). Remove the bidirectional formatting characters from the name, which change the order it reads in: U+202E (RIGHT-TO-LEFT OVERRIDE).',
    );
    expect(body.errors.subdomain).toBe('Use only letters, digits and hyphens in the subdomain; remove "_". The subdomain cannot start with a hyphen.');
    expect(h.slack.messages).toHaveLength(0);
  });

  it('explains instead of opening a modal to a user who is not Global Administrator or not linked', async () => {
    await h.command('U0MARGARET', 'provision');
    await h.command('U0STRANGER', 'provision');
    const answers = await eventually(() =>
      h.slack.calls.filter((c) => c.method.startsWith('response/')).length >= 2 ? h.slack.calls.filter((c) => c.method.startsWith('response/')) : undefined,
    );
    const texts = answers.map((c) => c.body.text);
    expect(texts).toContainEqual(expect.stringContaining('Only a Global Administrator can provision a portal, and margaret@contoso.com is not one'));
    expect(texts).toContainEqual(expect.stringContaining('not linked to a directory user'));
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('answers help, list, status and domain, and unknown words with help', async () => {
    for (const text of ['help', 'list', 'status nope', 'domain x', 'frobnicate']) await h.command('U0ADA', text);
    const answers = await eventually(() => {
      const calls = h.slack.calls.filter((c) => c.method.startsWith('response/'));
      return calls.length >= 5 ? calls : undefined;
    });
    const texts = answers.map((c) => c.body.text);
    expect(texts).toEqual(
      expect.arrayContaining(['Portal commands', '0 portal(s)', 'No portal has the subdomain nope.', 'No portal has the subdomain x.', 'I don\'t know "frobnicate". Here is what I can do:']),
    );
    expect(answers.every((c) => c.body.response_type === 'ephemeral')).toBe(true);
  });
});

describe("the bot's identity", () => {
  harnessOn('local');
  it('asks Slack who the bot is once, not before every event, and asks again after a failure', async () => {
    // The first event finds Slack failing (the call and its two retries): that event gets no answer
    // from the bot, and the next one asks again.
    h.slack.failNext('auth.test', 3, { status: 500, json: { ok: false, error: 'internal_error' } });
    await h.command('U0ADA', 'help');
    await eventually(() => (h.slack.callsTo('auth.test').length >= 1 ? true : undefined));
    for (const text of ['help', 'list', 'help']) await h.command('U0ADA', text);
    await eventually(() => (h.slack.calls.filter((c) => c.method.startsWith('response/')).length >= 3 ? true : undefined), 5_000, 'three answers');
    const asked = h.slack.callsTo('auth.test').length;
    for (let i = 0; i < 5; i++) await h.command('U0ADA', 'help');
    await eventually(() => (h.slack.calls.filter((c) => c.method.startsWith('response/')).length >= 8 ? true : undefined), 5_000, 'eight answers');
    expect(h.slack.callsTo('auth.test')).toHaveLength(asked);
    // The failure was logged, the token was not.
    expect(h.logs.join('')).toMatch(/internal_error|[Aa]uthoriz/);
    expect(h.logs.join('')).not.toContain('xoxb-test-bot-token');
  });
});

describe.each(platformsUnderTest())('terms, live status and alerts on the %s platform', (kind) => {
  harnessOn(kind);
  it('takes a portal from the modal through the terms to provisioned, updating one status message', async () => {
    const terms = await requestThroughSlack('slack-happy');
    expect(terms.channel).toBe('C0PORTALS');

    await click(terms, 'U0GRACE', ACTION.acceptTerms);
    const refusal = await eventually(() => h.slack.callsTo('chat.postEphemeral')[0], 3_000, 'the ephemeral refusal');
    expect(refusal.body).toMatchObject({ user: 'U0GRACE', text: 'Only <@U0ADA> can accept the terms of service of this portal.' });

    await click(terms, 'U0ADA', ACTION.acceptTerms);
    await click(terms, 'U0ADA', ACTION.acceptTerms); // a double click changes nothing more
    await eventually(() => JSON.stringify(terms.blocks).includes('accepted the terms of service'), 3_000, 'the buttons replaced');
    expect(JSON.stringify(terms.blocks)).not.toContain(ACTION.acceptTerms);

    const status = await eventually(statusMessageOf('Portal slack-happy'), 5_000, 'the status message');
    await eventually(() => JSON.stringify(status.blocks).includes('✓ Provisioned'), 10_000, 'the status message to say provisioned');
    const statusPosts = h.slack.messages.filter(isStatusMessage('Portal slack-happy'));
    expect(statusPosts).toHaveLength(1);
    const thread = await eventually(
      () => {
        const replies = h.slack.messages.filter((m) => m.thread_ts === status.ts);
        return replies.length >= 8 ? replies : undefined;
      },
      5_000,
      'every event in the thread',
    );
    expect(thread.map((m) => m.metadata?.event_payload.event_id)).toEqual([...new Set(thread.map((m) => m.metadata?.event_payload.event_id))]);
    expect(thread.at(-1)?.text).toContain('is provisioned');
    expect(h.slack.callsTo('chat.update').filter((c) => c.body.ts === status.ts).length).toBeGreaterThan(0);
  });

  it('posts an alert on failure whose Restart Provisioning button brings the portal to provisioned', async () => {
    const terms = await requestThroughSlack('flaky-portal');
    await click(terms, 'U0ADA', ACTION.acceptTerms);
    const alert = await eventually(() => h.slack.messages.find((m) => !m.thread_ts && m.metadata?.event_payload.part === 'alert'), 10_000, 'the alert');
    expect(JSON.stringify(alert.blocks)).toContain('Restart Provisioning');
    expect(JSON.stringify(alert.blocks)).toContain('Change Values and Restart Provisioning');
    await click(alert, 'U0ADA', ACTION.restart);
    const status = await eventually(statusMessageOf('Portal flaky-portal'), 5_000, 'the status message');
    await eventually(() => JSON.stringify(status.blocks).includes('✓ Provisioned'), 10_000, 'provisioned after the restart');
  });

  it('opens the modal filled with the current values from Change Values and Restart Provisioning', async () => {
    const terms = await requestThroughSlack('broken-portal');
    await click(terms, 'U0ADA', ACTION.acceptTerms);
    const alert = await eventually(() => h.slack.messages.find((m) => m.metadata?.event_payload.part === 'alert'), 10_000, 'the alert');
    await click(alert, 'U0ADA', ACTION.changeValues);
    const open = await eventually(() => h.slack.callsTo('views.open')[1], 3_000, 'the change-values modal');
    const view = { ...open.body.view, id: 'V0CHANGE', hash: 'h' } as View;
    expect(view.blocks.find((b) => b.block_id === 'subdomain')?.element.initial_value).toBe('broken-portal');
    const sales = await instanceIdByName(view, 'Contoso Sales');
    const response = await h.interact(
      submission(view, 'U0ADA', {
        name: 'Fixed portal',
        subdomain: 'fixed-portal',
        instance: sales,
        language: 'en-US',
        administrator: optionsOf(view, 'administrator')[0],
        audience: 'CUSTOMER',
        portalType: 'CUSTOMER_SELF_SERVICE',
      }),
    );
    expect(response.status).toBe(200);
    const status = await eventually(statusMessageOf('Fixed portal'), 10_000, 'the renamed status message');
    await eventually(() => JSON.stringify(status.blocks).includes('✓ Provisioned'), 10_000, 'provisioned with the new values');
  });

  it('shows the user their portals in App Home', async () => {
    await requestThroughSlack('home-portal');
    await h.event({ type: 'app_home_opened', user: 'U0ADA', channel: 'D0ADA', tab: 'home' });
    const publish = await eventually(() => h.slack.callsTo('views.publish')[0], 3_000, 'views.publish');
    expect(publish.body.user_id).toBe('U0ADA');
    expect(JSON.stringify(publish.body.view)).toContain('Portal home-portal');
  });
});

describe('requests Slack did not sign', () => {
  harnessOn('local');
  it('refuses a forged signature and a timestamp older than five minutes', async () => {
    const body = new URLSearchParams({ command: '/portal', text: 'help', user_id: 'U0ADA', channel_id: 'C1', trigger_id: 't', response_url: h.slack.responseUrl('x') }).toString();
    expect((await h.send(body, 'application/x-www-form-urlencoded', { secret: 'not-the-secret' })).status).toBe(401);
    expect((await h.send(body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect(h.slack.calls.filter((c) => c.method.startsWith('response/'))).toHaveLength(0);
  });
});

describe('delivery when Slack fails for a while', () => {
  harnessOn('local');
  it('delivers every event exactly once after 429s and 500s', async () => {
    h.slack.failNext('chat.postMessage', 3, { status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } });
    h.slack.failNext('chat.update', 2, { status: 500, json: { ok: false, error: 'internal_error' } });
    const terms = await requestThroughSlack('storm-portal');
    await click(terms, 'U0ADA', ACTION.acceptTerms);
    const status = await eventually(statusMessageOf('Portal storm-portal'), 15_000, 'the status message');
    const thread = await eventually(
      () => {
        const replies = h.slack.messages.filter((m) => m.thread_ts === status.ts);
        return replies.length >= 8 && JSON.stringify(status.blocks).includes('✓ Provisioned') ? replies : undefined;
      },
      20_000,
      'every event delivered',
    );
    const ids = thread.map((m) => m.metadata?.event_payload.event_id as number);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });
});
