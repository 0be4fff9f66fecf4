// The baseline of the Slack benchmark: a bare Bolt app on the same fake Slack that only
// acknowledges /portal and opens a fixed modal. bench/run.ts starts it as a process of its own.
import { readFileSync } from 'node:fs';
import { App, HTTPReceiver } from '@slack/bolt';
import type { ModalView } from '@slack/types';

const port = Number(process.env.PORT);
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  customRoutes: [{ path: '/ready', method: ['GET'], handler: (_req, res) => res.writeHead(200).end('ready') }],
});
// As a bare Bolt app is written: the token verified once, at construction (the fake Slack is up first).
const app = new App({ token: 'xoxb-bench', receiver, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
// The fixed modal: a tiny one, or (BARE_VIEW_FILE) a copy of the product's own provision modal, to
// tell the cost of the modal's size from the cost of the product's work.
const view = process.env.BARE_VIEW_FILE
  ? (JSON.parse(readFileSync(process.env.BARE_VIEW_FILE, 'utf8')) as ModalView)
  : { type: 'modal' as const, callback_id: 'fixed', title: { type: 'plain_text' as const, text: 'Fixed' }, blocks: [] };
app.command('/portal', async ({ ack, client, command }) => {
  await ack();
  await client.views.open({ trigger_id: command.trigger_id, view });
});
await app.start({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
