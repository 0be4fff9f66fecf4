// Puts the product together from a configuration: database, platform, GraphQL and the HTTP port.
// main.ts runs it as a process; tests start it in-process on a port the OS picks.
import type { Logger } from 'pino';
import { slackEmailLookup, slackWebClient } from '../bot/slack-directory.ts';
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
    onChange: () => feed.notify(),
  });
  const slackClient = config.SLACK_BOT_TOKEN ? slackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) : undefined;
  const graphql = createGraphQLServer({
    db,
    platform,
    portalDomain: config.PORTAL_DOMAIN,
    log,
    feed,
    wake: () => {
      poller.wake();
      feed.notify();
    },
    slackEmailOf: slackClient ? slackEmailLookup(slackClient) : undefined,
  });
  const http = await startHttpApp({ db, graphql, log }, config.PORT, config.HOST);
  poller.start(config.PROVISION_POLL);
  log.info({ url: http.url, database: config.DATABASE_PATH, slack: Boolean(slackClient) }, 'portal-ops is ready');
  return {
    http,
    stop: async () => {
      await http.close();
      await poller.stop();
      db.$client.close();
    },
  };
}
