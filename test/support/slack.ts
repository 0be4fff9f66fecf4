// Talks to the real Bolt receiver the way Slack does: signed HTTP requests to /slack/events.

import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import { type Runtime, startRuntime } from '../../app/runtime.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { openPowerPlatform, type PlatformKind, type TestPlatform } from './platforms.ts';

export const SIGNING_SECRET = 'test-signing-secret';

export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackHarness {
  slack: FakeSlack;
  /** The product's database (createTestDatabase's kind); tests open their own clients on it. */
  database: TestDatabase;
  /** Every log line the product wrote (JSON), at debug level. */
  logs: string[];
  runtime: Runtime;
  url: string;
  /** The platform with its test controls, when the harness runs on one it was given. */
  platform: TestPlatform | undefined;
  /** Posts a signed request as Slack would; `timestamp` and `secret` can be bent to test refusals. */
  send(body: string, contentType: string, options?: { timestamp?: number; secret?: string; headers?: Record<string, string> }): Promise<Response>;
  command(user: string, text: string, channel?: string): Promise<{ response: Response; triggerId: string; responseUrl: string }>;
  interact(payload: Record<string, unknown>): Promise<Response>;
  event(event: Record<string, unknown>): Promise<Response>;
  stop(): Promise<void>;
}

let triggers = 0;

/** A harness whose product runs on the platform named (the simulator, or the driver against the fake Microsoft). */
export async function startSlackHarnessOn(kind: PlatformKind, env: Record<string, string> = {}): Promise<SlackHarness> {
  if (kind === 'local') return startSlackHarness(env);
  const opened = await openPowerPlatform();
  try {
    return await startSlackHarness(env, undefined, { platform: opened.platform, close: opened.close });
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/**
 * The product in process with Slack on, against a fake Slack, on `database` (a new test database
 * unless given; the harness drops it when it stops either way).
 */
export async function startSlackHarness(
  env: Record<string, string> = {},
  prepare?: (slack: FakeSlack) => void,
  on?: { platform: TestPlatform; close(): Promise<void> },
  database?: TestDatabase,
): Promise<SlackHarness> {
  const db = database ?? (await createTestDatabase());
  try {
    return await startOn(db, env, prepare, on);
  } catch (error) {
    await db.drop();
    throw error;
  }
}

async function startOn(
  database: TestDatabase,
  env: Record<string, string>,
  prepare: ((slack: FakeSlack) => void) | undefined,
  on: { platform: TestPlatform; close(): Promise<void> } | undefined,
): Promise<SlackHarness> {
  const slack = await startFakeSlack();
  prepare?.(slack);
  slack.users.set('U0ADA', 'ada@contoso.com');
  slack.users.set('U0GRACE', 'grace@contoso.com');
  slack.users.set('U0MARGARET', 'margaret@contoso.com');
  slack.users.set('U0STRANGER', 'stranger@example.com');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ...database.env,
    SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PLATFORM_SPEED: 'fast',
    PROVISION_POLL: '* * * * * *',
    PORTAL_DOMAIN: 'portals.test',
    // Tests about other things are not made to wait a second per message; pacing has its own test.
    SLACK_CHANNEL_INTERVAL_MS: '0',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const runtime = await startRuntime(config, createLogger(process.env.TEST_LOG ?? 'debug', sink), on ? { platform: on.platform } : {});
  const url = `${runtime.http.url}/slack/events`;
  const send: SlackHarness['send'] = (body, contentType, options = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(body, timestamp, options.secret),
        ...options.headers,
      },
      body,
    });
  };
  return {
    slack,
    database,
    logs,
    runtime,
    url,
    send,
    async command(user, text, channel = 'C0PORTALS') {
      const triggerId = `trigger-${++triggers}`;
      const responseUrl = slack.responseUrl(`command-${triggers}`);
      const body = new URLSearchParams({
        command: '/portal',
        text,
        user_id: user,
        user_name: user.toLowerCase(),
        channel_id: channel,
        team_id: 'T0TEST',
        api_app_id: 'A0TEST',
        trigger_id: triggerId,
        response_url: responseUrl,
        token: 'legacy',
      }).toString();
      return { response: await send(body, 'application/x-www-form-urlencoded'), triggerId, responseUrl };
    },
    interact(payload) {
      const body = new URLSearchParams({
        payload: JSON.stringify({ team: { id: 'T0TEST' }, api_app_id: 'A0TEST', token: 'legacy', trigger_id: `trigger-${++triggers}`, ...payload }),
      }).toString();
      return send(body, 'application/x-www-form-urlencoded');
    },
    event(event) {
      const body = JSON.stringify({ type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0TEST', event_id: `Ev${++triggers}`, event_time: Math.floor(Date.now() / 1000), event });
      return send(body, 'application/json');
    },
    platform: on?.platform,
    async stop() {
      await runtime.stop();
      await on?.close();
      await slack.close();
      await database.drop();
    },
  };
}

/** Kept here for the Slack tests that import it from this file; the one copy is test/support/wait.ts. */
export { eventually } from './wait.ts';
