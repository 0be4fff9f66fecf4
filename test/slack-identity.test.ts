// The bot's trusted path: a service token with the admin scope acts as a Slack user, matched to a
// directory user by the e-mail Slack's users.info shows (served here by a fake Slack on loopback).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackEmailLookup, slackWebClient } from '../bot/slack-directory.ts';
import { SLACK_USER_HEADER } from '../graphql/yoga.ts';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.ts';
import { openTestTenant, portalInput, REQUEST_PORTAL, type TestTenant } from './support/tenant.ts';

let slack: FakeSlack;
let tenant: TestTenant;
let bot: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  slack.users.set('U0ADA', 'Ada@Contoso.com');
  slack.users.set('U0MARGARET', 'margaret@contoso.com');
  slack.users.set('U0STRANGER', 'stranger@example.com');
  slack.users.set('U0NOEMAIL', undefined);
});
afterAll(() => slack.close());
beforeEach(async () => {
  tenant = await openTestTenant({ slackEmailOf: slackEmailLookup(slackWebClient('xoxb-test-token', slack.url)) });
  bot = await tenant.token({ name: 'slack-bot', scopes: ['admin'] });
});
afterEach(() => tenant.close());

async function asSlackUser(slackUserId: string, query: string, variables?: Record<string, unknown>, token = bot) {
  const response = await tenant.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [SLACK_USER_HEADER]: slackUserId },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

describe('acting as a Slack user', () => {
  it('carries the directory roles of the user with the same e-mail', async () => {
    const viewer = await asSlackUser('U0ADA', '{ viewer { kind user { email } isGlobalAdministrator scopes } }');
    expect(viewer.body.data.viewer).toEqual({ kind: 'USER', user: { email: 'ada@contoso.com' }, isGlobalAdministrator: true, scopes: ['read', 'write'] });
    const request = await asSlackUser('U0ADA', REQUEST_PORTAL, { input: portalInput() });
    expect(request.body.data.requestPortal.__typename).toBe('PortalPayload');
    const call = slack.calls.find((c) => c.method === 'users.info' && c.body.user === 'U0ADA');
    expect(call?.headers.authorization).toBe('Bearer xoxb-test-token');
  });

  it('applies the role checks to Slack users too', async () => {
    const result = await asSlackUser('U0MARGARET', REQUEST_PORTAL, { input: portalInput() });
    expect(result.body.data.requestPortal.__typename).toBe('ForbiddenError');
  });

  it('answers a Slack user with no directory match clearly, never with a crash', async () => {
    const stranger = await asSlackUser('U0STRANGER', '{ viewer { kind } }');
    expect(stranger.status).toBe(403);
    expect(stranger.body.errors[0].message).toBe('Your Slack account is not linked to a directory user: no user of the tenant directory has the e-mail stranger@example.com.');
    const noEmail = await asSlackUser('U0NOEMAIL', '{ viewer { kind } }');
    expect(noEmail.status).toBe(403);
    expect(noEmail.body.errors[0].message).toContain('shows no e-mail address');
    const malformed = await asSlackUser('not-a-slack-id', '{ viewer { kind } }');
    expect(malformed.status).toBe(403);
  });

  it('is open only to service tokens with the admin scope', async () => {
    const writer = await tenant.token({ scopes: ['read', 'write'] });
    expect((await asSlackUser('U0ADA', '{ viewer { kind } }', undefined, writer)).status).toBe(403);
    const adaAdmin = await tenant.token({ email: 'ada@contoso.com', scopes: ['admin'] });
    expect((await asSlackUser('U0MARGARET', '{ viewer { kind } }', undefined, adaAdmin)).status).toBe(403);
  });
});
