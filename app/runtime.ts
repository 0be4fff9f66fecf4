// Puts the product together from a configuration: database, platform, GraphQL and the HTTP port.
// main.ts runs it as a process; tests start it in-process on a port the OS picks.
import type { Logger } from 'pino';
import { slackEmailLookup, slackWebClient } from '../bot/slack-directory.ts';
import { openDatabase } from '../db/client.ts';
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
  const platform = LocalPlatform.open(db, config.PLATFORM_SEED);
  const slackClient = config.SLACK_BOT_TOKEN ? slackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) : undefined;
  const graphql = createGraphQLServer({
    db,
    platform,
    portalDomain: config.PORTAL_DOMAIN,
    log,
    slackEmailOf: slackClient ? slackEmailLookup(slackClient) : undefined,
  });
  const http = await startHttpApp({ db, graphql, log }, config.PORT, config.HOST);
  log.info({ url: http.url, database: config.DATABASE_PATH, slack: Boolean(slackClient) }, 'portal-ops is ready');
  return {
    http,
    stop: async () => {
      await http.close();
      db.$client.close();
    },
  };
}
