// Puts the product together from a configuration: database, platform, GraphQL and the HTTP port.
// main.ts runs it as a process; tests start it in-process on a port the OS picks.
import type { Logger } from 'pino';
import { inProcessApi, remoteApi } from '../bot/api.ts';
import { type SlackBot, createSlackBot } from '../bot/app.ts';
import { deliveryClient, slackEmailLookup, slackWebClient } from '../bot/slack-directory.ts';
import { onEventsWritten } from '../db/portal-store.ts';
import { SlackDelivery } from '../jobs/slack-delivery.ts';
import { EventFeed } from '../core/event-feed.ts';
import { openDatabase } from '../db/client.ts';
import { DEMO_TIMING, FAST_TIMING, ProvisioningPoller } from '../jobs/provisioning-poller.ts';
import { createGraphQLServer } from '../graphql/yoga.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import type { Config } from './config.ts';
import { type HttpApp, startHttpApp } from './server.ts';

export interface Runtime {
  http: HttpApp;
  stop(): Promise<void>;
}

export async function startRuntime(config: Config, log: Logger): Promise<Runtime> {
  const db = openDatabase(config.DATABASE_PATH);
  const platform = LocalPlatform.open(db, config.PLATFORM_SEED, config.PLATFORM_SPEED);
  const feed = new EventFeed(db);
  const timing = config.PLATFORM_SPEED === 'fast' ? FAST_TIMING : DEMO_TIMING;
  const poller = new ProvisioningPoller({
    db,
    platform,
    log: log.child({ job: 'provisioning' }),
    timing: { ...timing, leaseMs: config.PROVISION_LEASE_SECONDS * 1000 },
  });
  const slackClient = config.SLACK_BOT_TOKEN ? slackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) : undefined;
  const graphql = createGraphQLServer({
    db,
    platform,
    portalDomain: config.PORTAL_DOMAIN,
    log,
    feed,
    wake: () => poller.wake(),
    slackEmailOf: slackClient ? slackEmailLookup(slackClient) : undefined,
  });

  const routes = new Map();
  let bot: SlackBot | undefined;
  let delivery: SlackDelivery | undefined;
  if (config.SLACK_BOT_TOKEN) {
    const api = config.GRAPHQL_URL ? remoteApi(config.GRAPHQL_URL, config.GRAPHQL_TOKEN ?? '') : inProcessApi(graphql);
    bot = createSlackBot({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
      apiUrl: config.SLACK_API_URL,
      api,
      log: log.child({ component: 'slack' }),
    });
    if (bot.requestListener) routes.set('/slack/events', bot.requestListener);
    delivery = new SlackDelivery({
      db,
      client: deliveryClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL),
      api,
      log: log.child({ job: 'slack-delivery' }),
      defaultChannel: config.SLACK_CHANNEL,
    });
    const outbox = delivery;
    onEventsWritten(db, () => outbox.wake());
  }

  const http = await startHttpApp({ db, graphql, log, routes }, config.PORT, config.HOST);
  poller.start(config.PROVISION_POLL);
  await bot?.start();
  delivery?.start();
  log.info(
    { url: http.url, database: config.DATABASE_PATH, slack: bot ? (config.SLACK_APP_TOKEN ? 'socket mode' : 'http') : 'off' },
    'portal-ops is ready',
  );
  return {
    http,
    stop: async () => {
      await http.close();
      await bot?.stop();
      await poller.stop();
      await delivery?.stop();
      db.$client.close();
    },
  };
}
