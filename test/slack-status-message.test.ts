// A portal's status message is posted once even when Slack's answer to the post never arrives: the
// post went out, the delivery client timed out (or its process died) before recording it, and the
// retry finds the message in the channel instead of posting a second one. The replica drill
// (test/replicas.test.ts) found it: a replica killed between the post and its record left a portal
// with two status messages, its thread split between them.
import { afterEach, describe, expect, it } from 'vitest';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { createApiToken } from '../core/tokens.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { createTestDatabase, databasesUnderTest } from './support/databases.ts';
import { MUTATIONS } from './support/lifecycle.ts';
import { type SlackHarness, startSlackHarness } from './support/slack.ts';
import { type SlackProxy, startSlackProxy } from './support/slack-proxy.ts';
import { portalInput, REQUEST_PORTAL } from './support/tenant.ts';
import { eventually } from './support/wait.ts';

const CHANNEL = 'C0STATUS';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(databasesUnderTest())('the status message on %s', (kind) => {
  it('is posted once when Slack took the post but its answer was lost', async () => {
    const database = await createTestDatabase(kind);
    cleanups.push(() => database.drop());
    // The first top-level post (the status message) reaches Slack; its answer never comes back.
    let statusPosts = 0;
    const proxy: SlackProxy = await startSlackProxy((method, body) => (method === 'chat.postMessage' && !body.includes('thread_ts') && ++statusPosts === 1 ? 'lose-answer' : 'pass'));
    cleanups.push(() => proxy.close());
    const h: SlackHarness = await startSlackHarness({ ...database.env, SLACK_API_URL: proxy.url, SLACK_CHANNEL: CHANNEL }, (slack) => {
      proxy.target = slack.url;
    });
    cleanups.push(() => h.stop());
    const db = await database.open();
    const { token } = await createApiToken({ db, platform: new LocalPlatform(db) }, { name: 'status', scopes: ['read', 'write'], userEmail: 'ada@contoso.com' });
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${h.runtime.http.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: Record<string, { __typename: string; portal: { id: string; status: string } }> };
    };
    const requested = await gql(REQUEST_PORTAL, { input: portalInput({ subdomain: 'answer-lost', name: 'Answer lost' }) });
    const portalId = requested.data.requestPortal?.portal.id;
    const accepted = await gql(MUTATIONS.accept, { input: { portalId, termsVersion: CURRENT_TERMS_VERSION, consent: true } });
    expect(accepted.data.result?.portal.status).toBe('CONFIGURING');

    // Provisioned and every event in the thread: the delivery client gave up on the lost answer after
    // its timeout, and the retry went on from there.
    const replies = await eventually(
      () => {
        const status = h.slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts);
        const thread = h.slack.messages.filter((m) => m.channel === CHANNEL && m.thread_ts);
        return thread.length === 8 && JSON.stringify(status.at(-1)?.blocks).includes('✓ Provisioned') ? thread : undefined;
      },
      30_000,
      'the eight events in the thread and the status message saying provisioned',
    );
    expect(proxy.lost).toEqual([{ method: 'chat.postMessage', verdict: 'lose-answer' }]);
    const status = h.slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts);
    expect(status.map((m) => m.text)).toEqual(['Answer lost: Provisioned']);
    expect(new Set(replies.map((m) => m.thread_ts))).toEqual(new Set([status[0]?.ts]));
    expect(new Set(replies.map((m) => m.metadata?.event_payload.event_id)).size).toBe(8);
  }, 60_000);
});
