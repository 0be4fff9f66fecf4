// Puts the product together from a configuration: database, platform, GraphQL and the HTTP port.
// main.ts runs it as a process; tests start it in-process on a port the OS picks.
import type { Logger } from 'pino';
import type { SlackBot } from '../bot/app.ts';
import { onEventsWritten } from '../db/outbox.ts';
import type { SlackDelivery } from '../bot/delivery/slack-delivery.ts';
import { WakeLoop } from '../jobs/wake-loop.ts';
import { CertificateReminders } from '../jobs/certificate-reminders.ts';
import { TermsExpiry } from '../jobs/terms-expiry.ts';
import { DnsPoller, FAST_DNS_TIMING } from '../jobs/dns-poller.ts';
import { loadSecretKey } from './secret-key.ts';
import { MAX_PFX_BYTES } from '../core/certificates.ts';
import { EventFeed } from '../core/event-feed.ts';
import { openDatabase } from '../db/client.ts';
import { STANDARD_TIMING, FAST_TIMING, ProvisioningPoller } from '../jobs/provisioning-poller.ts';
import { createGraphQLServer } from '../graphql/yoga.ts';
import type { Config } from './config.ts';
import { createPlatform } from './platform.ts';
import type { Platform } from '../platform/platform.ts';
import { type HttpApp, startHttpApp } from './server.ts';

export interface Runtime {
  http: HttpApp;
  stop(): Promise<void>;
}

/** `platform` replaces the one PLATFORM names (tests run the product on a driver they built). */
export async function startRuntime(config: Config, log: Logger, parts: { platform?: Platform } = {}): Promise<Runtime> {
  const db = openDatabase(config.DATABASE_PATH);
  const secretKey = loadSecretKey(config.SECRET_KEY, config.dataDir);
  const platform = parts.platform ?? createPlatform(config, db, secretKey, log.child({ component: 'platform' }));
  const feed = new EventFeed(db);
  const timing = config.JOB_TIMING === 'fast' ? FAST_TIMING : STANDARD_TIMING;
  const poller = new ProvisioningPoller({
    db,
    platform,
    log: log.child({ job: 'provisioning' }),
    timing: { ...timing, leaseMs: config.PROVISION_LEASE_SECONDS * 1000 },
  });
  const domainDeps = {
    db,
    platform,
    portalDomain: config.PORTAL_DOMAIN,
    secretKey,
    dns: { ...(config.DNS_SERVERS ? { servers: config.DNS_SERVERS } : {}) },
    schedule: config.DNS_SCHEDULE,
  };
  const dnsPoller = new DnsPoller({ ...domainDeps, log: log.child({ job: 'dns' }), ...(config.JOB_TIMING === 'fast' ? { timing: FAST_DNS_TIMING } : {}) });
  const reminders = new CertificateReminders({ db, log: log.child({ job: 'certificates' }) });
  const termsExpiry = new TermsExpiry({
    db,
    log: log.child({ job: 'terms-expiry' }),
    policy: { expiryMs: config.TERMS_EXPIRY, reminderMs: config.TERMS_REMINDER },
    leaseMs: config.PROVISION_LEASE_SECONDS * 1000,
  });
  const directory = config.SLACK_BOT_TOKEN ? await import('../bot/slack-directory.ts') : undefined;
  const slackClient = config.SLACK_BOT_TOKEN && directory ? directory.slackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) : undefined;
  const graphql = createGraphQLServer({
    ...domainDeps,
    log,
    feed,
    wake: () => poller.wake(),
    wakeDns: () => dnsPoller.wake(),
    slackEmailOf: slackClient && directory ? directory.slackEmailLookup(slackClient) : undefined,
    corsOrigins: config.CORS_ORIGINS,
    streamLimits: { perToken: config.MAX_STREAMS_PER_TOKEN, total: config.MAX_STREAMS },
  });

  const routes = new Map();
  let bot: SlackBot | undefined;
  let delivery: SlackDelivery | undefined;
  let deliveryLoop: WakeLoop | undefined;
  if (config.SLACK_BOT_TOKEN && directory) {
    // Bolt and its dependencies load only when Slack is on: a plain start stays quick.
    const [{ inProcessApi, remoteApi }, { createSlackBot }, { slackFileFetcher }, { SlackDelivery }] = await Promise.all([
      import('../bot/api.ts'),
      import('../bot/app.ts'),
      import('../bot/files.ts'),
      import('../bot/delivery/slack-delivery.ts'),
    ]);
    const api = config.GRAPHQL_URL ? remoteApi(config.GRAPHQL_URL, config.GRAPHQL_TOKEN ?? '') : inProcessApi(graphql);
    bot = createSlackBot({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
      apiUrl: config.SLACK_API_URL,
      api,
      log: log.child({ component: 'slack' }),
      fetchFile: slackFileFetcher({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL, maxBytes: MAX_PFX_BYTES }),
    });
    if (bot.requestListener) routes.set('/slack/events', bot.requestListener);
    delivery = new SlackDelivery({
      db,
      client: directory.deliveryClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL),
      api,
      log: log.child({ job: 'slack-delivery' }),
      defaultChannel: config.SLACK_CHANNEL,
      channelIntervalMs: config.SLACK_CHANNEL_INTERVAL_MS,
    });
    const outbox = delivery;
    // Delivery runs when events are written, and again when its sweep says the next is due.
    const loop = new WakeLoop({ name: 'slack delivery sweep', log: log.child({ job: 'slack-delivery' }), run: () => outbox.sweep(), retryAfterErrorMs: outbox.timing.idleMs });
    deliveryLoop = loop;
    onEventsWritten(db, () => loop.wake());
  }

  const http = await startHttpApp({ db, graphql, log, routes }, config.PORT, config.HOST);
  poller.start(config.PROVISION_POLL);
  dnsPoller.start(config.DNS_POLL);
  reminders.start();
  termsExpiry.start(config.TERMS_EXPIRY_POLL);
  await bot?.start();
  deliveryLoop?.wake();
  log.info(
    { url: http.url, database: config.DATABASE_PATH, slack: bot ? (config.SLACK_APP_TOKEN ? 'socket mode' : 'http') : 'off' },
    'portal-ops is ready',
  );
  return {
    http,
    stop: async () => {
      const closing = http.close();
      // Event streams never end by themselves: they are completed so the port can close.
      feed.close();
      await closing;
      await bot?.stop();
      await poller.stop();
      await dnsPoller.stop();
      await reminders.stop();
      await termsExpiry.stop();
      await Promise.all([deliveryLoop?.stop(), delivery?.stop()]);
      db.$client.close();
    },
  };
}
