// Socket Mode: the bot opens a connection through apps.connections.open, receives a slash command
// envelope over a WebSocket (a fake socket server on loopback), acknowledges it and opens the modal.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack.ts';

let harness: SlackHarness | undefined;
let sockets: WebSocketServer | undefined;
afterEach(async () => {
  await harness?.stop();
  await new Promise((resolve) => (sockets ? sockets.close(resolve) : resolve(undefined)));
});

describe('Socket Mode', () => {
  it('connects to the socket server and handles a slash command', async () => {
    sockets = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => sockets?.once('listening', resolve));
    const acks: unknown[] = [];
    const connected = new Promise<WebSocket>((resolve) => {
      sockets?.on('connection', (socket) => {
        socket.on('message', (data) => acks.push(JSON.parse(String(data))));
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0TEST' }, debug_info: { host: 'fake' } }));
        resolve(socket);
      });
    });
    const { port } = sockets.address() as AddressInfo;
    harness = await startSlackHarness({ SLACK_APP_TOKEN: 'xapp-test-app-token', SLACK_SIGNING_SECRET: '' }, (slack) =>
      slack.on('apps.connections.open', () => ({ json: { ok: true, url: `ws://127.0.0.1:${port}/link` } })),
    );
    const socket = await connected;
    expect(harness.slack.callsTo('apps.connections.open')[0]?.headers.authorization).toBe('Bearer xapp-test-app-token');

    socket.send(
      JSON.stringify({
        envelope_id: 'envelope-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          command: '/portal',
          text: 'provision',
          user_id: 'U0ADA',
          channel_id: 'C0PORTALS',
          team_id: 'T0TEST',
          api_app_id: 'A0TEST',
          trigger_id: 'trigger-socket',
          response_url: harness.slack.responseUrl('socket'),
        },
      }),
    );
    await eventually(() => acks.find((a) => (a as { envelope_id?: string }).envelope_id === 'envelope-1'), 3_000, 'the ack');
    const open = await eventually(() => harness?.slack.callsTo('views.open')[0], 3_000, 'views.open');
    expect(open.body.trigger_id).toBe('trigger-socket');
    expect(open.body.view.title.text).toBe('Provision a portal');
  });
});
