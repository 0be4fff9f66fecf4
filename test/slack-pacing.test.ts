// The outbox keeps Slack's pace in a channel: one message per interval (posts and edits alike), a
// status message edited once for a run of events, and a Retry-After honoured by the whole channel.
// Spacing is read from the fake Slack's own record of when each call arrived.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { createApiToken } from '../core/tokens.ts';
import { closeDatabase } from '../db/database.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import type { SlackCall } from './support/fake-slack.ts';
import { MUTATIONS } from './support/lifecycle.ts';
import { sqlRow } from './support/rows.ts';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack.ts';
import { portalInput, REQUEST_PORTAL } from './support/tenant.ts';
import type { WireJson } from './support/wire-json.ts';

const CHANNEL = 'C0PACE';
const INTERVAL_MS = 200;
// Calls leave at their slot; the loopback may deliver one a little later than the next.
const LEEWAY_MS = 40;

let h: SlackHarness;
afterEach(() => h.stop());

async function api(): Promise<(query: string, variables: Record<string, unknown>) => Promise<WireJson>> {
  const db = await h.database.open();
  const { token } = await createApiToken({ db, platform: new LocalPlatform(db) }, { name: 'pacing', scopes: ['read', 'write'], userEmail: 'ada@contoso.com' });
  await closeDatabase(db);
  return async (query, variables) => {
    const response = await fetch(`${h.runtime.http.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: WireJson; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };
}

const messagesTo = (channel: string): SlackCall[] =>
  h.slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === channel).sort((a, b) => a.at - b.at);

async function eventCount(): Promise<number> {
  const db = await h.database.open();
  try {
    return (await sqlRow<{ n: number }>(db, sql`select count(*) as n from events`))?.n ?? 0;
  } finally {
    await closeDatabase(db);
  }
}

describe('delivery at the pace Slack allows', () => {
  it('spaces a failure walk in one channel, edits each status message once per run, and waits out a Retry-After', async () => {
    h = await startSlackHarness({ SLACK_CHANNEL: CHANNEL, SLACK_CHANNEL_INTERVAL_MS: String(INTERVAL_MS) });
    h.slack.failNext('chat.postMessage', 1, { status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } });
    const gql = await api();
    // Two portals whose package fails (Dutch is not the instance's default language), each retried
    // once and failing again, and one that provisions: about forty messages in one channel.
    const portals: string[] = [];
    for (const [subdomain, language] of [
      ['walk-nl-1', 'nl-NL'],
      ['walk-nl-2', 'nl-NL'],
      ['walk-en', 'en-US'],
    ] as const) {
      const { requestPortal } = await gql(REQUEST_PORTAL, { input: portalInput({ subdomain, name: `Walk ${subdomain}`, language }) });
      portals.push(requestPortal.portal.id);
      await gql(MUTATIONS.accept, { input: { portalId: requestPortal.portal.id, termsVersion: CURRENT_TERMS_VERSION, consent: true } });
    }
    const state = `query($id: ID!) { portal(id: $id) { status } }`;
    for (const id of portals.slice(0, 2)) {
      await eventually(async () => (await gql(state, { id })).portal.status === 'PROVISIONING_FAILED', 15_000, 'the package to fail');
      await gql(MUTATIONS.retry, { input: { portalId: id } });
    }

    // Every event reaches its thread, and every status message ends showing its portal's state.
    const statusOf = (name: string) => h.slack.messages.find((m) => m.channel === CHANNEL && !m.thread_ts && m.text?.startsWith(name));
    await eventually(
      async () => {
        const replies = h.slack.messages.filter((m) => m.thread_ts && m.metadata?.event_payload.part === 'thread').length;
        const shown =
          ['Walk walk-nl-1', 'Walk walk-nl-2'].every((n) => JSON.stringify(statusOf(n)?.blocks ?? '').includes('✗ Provisioned')) &&
          JSON.stringify(statusOf('Walk walk-en')?.blocks ?? '').includes('✓ Provisioned');
        return replies === (await eventCount()) && replies > 0 && shown;
      },
      60_000,
      'every event delivered and every status message up to date',
    );

    const calls = messagesTo(CHANNEL);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    const edits = calls.filter((c) => c.method === 'chat.update');
    expect(posts.length).toBeGreaterThan(30);
    const gaps = calls.slice(1).map((call, i) => call.at - (calls[i] as SlackCall).at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS - LEEWAY_MS);
    // One edit per run of a portal's events, not one per event.
    expect(edits.length).toBeLessThan(posts.length / 2);

    // Slack said "retry after 1 s": nothing went to the channel before that second was out.
    const limited = calls.indexOf(h.slack.callsTo('chat.postMessage')[0]!);
    const next = calls[limited + 1] as SlackCall;
    expect(next.at - (calls[limited] as SlackCall).at).toBeGreaterThanOrEqual(1_000 - LEEWAY_MS);
  });
});
