// The bot deployed apart from the API (GRAPHQL_URL): its operations go over HTTP with its service
// token, acting as the Slack user who clicked. Here the API is the real Yoga server on a loopback port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type BotApi, remoteApi } from '../bot/api.ts';
import { PortalListQuery, ProvisionFormQuery, RequestPortalMutation, ViewerQuery } from '../bot/operations.ts';
import { openTestTenant, portalInput, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let server: Server;
let url: string;
let connections: number;

beforeEach(async () => {
  tenant = await openTestTenant({ slackEmailOf: async (slackUserId) => (slackUserId === 'U0ADA' ? 'ada@contoso.com' : undefined) });
  connections = 0;
  server = createServer(tenant.yoga);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await tenant.close();
});

const ada = { slackUserId: 'U0ADA' };

async function refusal(api: BotApi, run: (api: BotApi) => Promise<unknown>): Promise<ApiError> {
  const error = await run(api).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('the bot over HTTP', () => {
  it('acts as the Slack user with its admin token: reads, and requests a portal', async () => {
    const api = remoteApi(url, await tenant.token({ name: 'slack-bot', scopes: ['admin'] }));
    const { viewer } = await api.run(ada, ViewerQuery);
    expect(viewer).toMatchObject({ kind: 'USER', isGlobalAdministrator: true, user: { email: 'ada@contoso.com' } });
    const form = await api.run(ada, ProvisionFormQuery);
    expect(form.instances.length).toBeGreaterThan(0);
    const { requestPortal } = await api.run(ada, RequestPortalMutation, { input: portalInput({ subdomain: 'over-http' }) as never });
    expect(requestPortal.__typename).toBe('PortalPayload');
    const list = await api.run({ service: 'slack-bot' }, PortalListQuery, {});
    expect(list.portals.nodes.map((p) => p.subdomain)).toEqual(['over-http']);
    // The calls share one kept-alive connection.
    expect(connections).toBe(1);
  });

  it('says why it is refused: a wrong token, a token that may not act as a Slack user, an unknown Slack user', async () => {
    const wrong = await refusal(remoteApi(url, 'pot_not-a-token'), (api) => api.run(ada, ViewerQuery));
    expect(wrong.status).toBe(401);
    const userToken = await tenant.token({ email: 'ada@contoso.com', scopes: ['read', 'write'] });
    const notAdmin = await refusal(remoteApi(url, userToken), (api) => api.run(ada, ViewerQuery));
    expect(notAdmin).toMatchObject({ status: 403, message: expect.stringContaining('admin scope') });
    const bot = remoteApi(url, await tenant.token({ name: 'slack-bot', scopes: ['admin'] }));
    const stranger = await refusal(bot, (api) => api.run({ slackUserId: 'U0STRANGER' }, ViewerQuery));
    expect(stranger.status).toBe(403);
  });

  it('does not follow a redirect with its token', async () => {
    let followed = 0;
    const elsewhere = createServer((_request, response) => {
      followed++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const moved = createServer((_request, response) => {
      response.writeHead(307, { location: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/graphql` }).end();
    });
    await new Promise<void>((resolve) => moved.listen(0, '127.0.0.1', resolve));
    try {
      const api = remoteApi(`http://127.0.0.1:${(moved.address() as AddressInfo).port}/graphql`, 'pot_secret');
      await expect(api.run(ada, ViewerQuery)).rejects.toThrow(/redirect/);
      expect(followed).toBe(0);
    } finally {
      moved.closeAllConnections();
      elsewhere.closeAllConnections();
      await Promise.all([new Promise((r) => moved.close(r)), new Promise((r) => elsewhere.close(r))]);
    }
  });

  it('says so when what answers is not the portal API, such as a proxy with an error page', async () => {
    const proxy = createServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const error = await refusal(remoteApi(`http://127.0.0.1:${port}/graphql`, 'pot_secret'), (api) => api.run(ada, ViewerQuery));
      expect(error).toMatchObject({ status: 502, message: `The portal API at http://127.0.0.1:${port} answered 502 without a GraphQL answer.` });
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
