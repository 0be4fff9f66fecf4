// Text the bot sends as mrkdwn shows in Slack as it was written: angle brackets and ampersands,
// ours and the user's, are escaped, so Slack neither reads them as links nor as mentions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack.ts';
import { shownTexts } from './support/slack-text.ts';

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.stop());

async function answerTo(text: string): Promise<string[]> {
  const { responseUrl } = await h.command('U0ADA', text);
  const path = new URL(responseUrl).pathname.slice(1);
  const call = await eventually(() => h.slack.calls.find((c) => c.method === path), 5_000, `the answer to "${text}"`);
  return shownTexts(call.body as { text?: string; blocks?: unknown[] });
}

describe('text shown in Slack', () => {
  it('shows the help as typed, placeholders in angle brackets included', async () => {
    const shown = (await answerTo('help')).join('\n');
    expect(shown).toContain('/portal status <subdomain>* — one portal');
    expect(shown).toContain('/portal domain <subdomain>* — add a custom domain');
  });

  it('shows the usage line of a command given no portal as typed', async () => {
    expect(await answerTo('status')).toEqual(['Which portal? `/portal status <subdomain>`']);
  });

  it("shows a user's own words back as typed, never as a mention of everyone", async () => {
    expect(await answerTo('status <!channel>&co')).toEqual(['No portal has the subdomain <!channel>&co.']);
    expect(await answerTo('<http://x.test|y>')).toContain('I don\'t know "<http://x.test|y>". Here is what I can do:');
  });
});
