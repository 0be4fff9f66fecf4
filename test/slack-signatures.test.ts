// Requests signed as Slack signs them, bent the ways an attacker (or a clock) would bend them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack.ts';

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.stop());

const FORM = 'application/x-www-form-urlencoded';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function listCommand(responseName: string): string {
  return new URLSearchParams({
    command: '/portal',
    text: 'list',
    user_id: 'U0ADA',
    channel_id: 'C0PORTALS',
    team_id: 'T0TEST',
    trigger_id: `trigger-${responseName}`,
    response_url: h.slack.responseUrl(responseName),
  }).toString();
}

const answersTo = (name: string) => h.slack.calls.filter((c) => c.method === `response/${name}`);

/** Sends `/portal help` and waits for its answer: whatever was sent before has been taken or dropped. */
async function settle(): Promise<void> {
  const { responseUrl } = await h.command('U0ADA', 'help');
  const path = new URL(responseUrl).pathname.slice(1);
  await eventually(() => h.slack.calls.some((c) => c.method === path), 5_000, 'the help answer');
}

describe('requests Slack signed', () => {
  it('refuses a timestamp more than five minutes ahead of our clock, as one five minutes behind', async () => {
    const body = listCommand('future');
    expect((await h.send(body, FORM, { timestamp: nowSeconds() + 10 * 60 })).status).toBe(401);
    expect((await h.send(body, FORM, { timestamp: nowSeconds() - 10 * 60 })).status).toBe(401);
    await settle();
    expect(answersTo('future')).toHaveLength(0);
  });

  it('runs an identical signed request once, however often it is replayed within the window', async () => {
    const body = listCommand('replayed');
    const timestamp = nowSeconds();
    expect((await h.send(body, FORM, { timestamp })).status).toBe(200);
    await eventually(() => answersTo('replayed').length > 0, 5_000, 'the first answer');
    const replays = await Promise.all([1, 2, 3].map(() => h.send(body, FORM, { timestamp })));
    expect(replays.map((r) => r.status)).toEqual([200, 200, 200]);
    await settle();
    expect(answersTo('replayed')).toHaveLength(1);
    expect(h.logs.join('')).toContain('the same signed request was already received');
  });

  it('takes a retry that Slack signed anew, with its retry headers', async () => {
    const body = listCommand('retried');
    const timestamp = nowSeconds();
    expect((await h.send(body, FORM, { timestamp: timestamp - 3 })).status).toBe(200);
    expect((await h.send(body, FORM, { timestamp, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await eventually(() => answersTo('retried').length === 2, 5_000, 'both answers');
  });

  it('still answers an unsigned SSL check and refuses a forged signature', async () => {
    const check = await fetch(h.url, { method: 'POST', headers: { 'content-type': FORM }, body: 'ssl_check=1&token=x' });
    expect(check.status).toBe(200);
    expect((await h.send(listCommand('forged'), FORM, { secret: 'not-the-secret' })).status).toBe(401);
    // A command riding along an unsigned SSL check is answered as the check, never run.
    const smuggled = await fetch(h.url, { method: 'POST', headers: { 'content-type': FORM }, body: `ssl_check=1&${listCommand('smuggled')}` });
    expect(smuggled.status).toBe(200);
    await settle();
    expect(answersTo('forged')).toHaveLength(0);
    expect(answersTo('smuggled')).toHaveLength(0);
  });
});
