// What `npm start` runs: the bundle scripts/build.mjs makes. Built here into a folder of its own and
// started as a process, with Slack over HTTP against the fake Slack: the packages bundled into it
// (Yoga, Pothos, Drizzle, Bolt, the web client) must work there as they do from the sources.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.ts';
import { type Child, freePort, ROOT, runScript, waitForReady } from './support/process.ts';
import { signature } from './support/slack.ts';

const SECRET = 'bundle-signing-secret';

describe('the bundled server', () => {
  const outdir = join(ROOT, '.test-dist', randomUUID());
  let database: TestDatabase;
  let slack: FakeSlack;
  let server: Child;
  let url: string;

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', outdir], { cwd: ROOT });
    database = await createTestDatabase();
    slack = await startFakeSlack();
    slack.users.set('U0ADA', 'ada@contoso.com');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = runScript(join(outdir, 'main.js'), [], {
      ...database.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-bundle',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
    });
    await waitForReady(url, server);
  }, 60_000);

  afterAll(async () => {
    server?.process.kill('SIGTERM');
    await server?.exited;
    await slack?.close();
    rmSync(outdir, { recursive: true, force: true });
    await database?.drop();
  });

  it('answers GraphQL, refusing a caller without a token in words one can act on', async () => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { kind } }' }) });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].message).toContain('npm run token:create');
  });

  it('opens the provision modal for /portal provision, built from the simulated tenant', async () => {
    const body = new URLSearchParams({
      command: '/portal',
      text: 'provision',
      user_id: 'U0ADA',
      channel_id: 'C0OPS',
      team_id: 'T0',
      trigger_id: 'bundle-trigger',
      response_url: slack.responseUrl('bundle'),
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(body, timestamp, SECRET) },
      body,
    });
    expect(response.status).toBe(200);
    const call = await slack.waitForCall((c) => c.method === 'views.open' && c.body.trigger_id === 'bundle-trigger');
    expect(JSON.stringify(call.body.view)).toContain('Contoso Sales');
  });
});
