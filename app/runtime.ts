// Puts the product together from a configuration: database, platform, GraphQL and the HTTP port.
// main.ts runs it as a process; tests start it in-process on a port the OS picks.
import type { Logger } from 'pino';
import type { SlackBot } from '../bot/app.ts';
import type { SlackDelivery } from '../bot/delivery/slack-delivery.ts';
import { MAX_PFX_BYTES } from '../core/certificates.ts';
import { EventFeed } from '../core/event-feed.ts';
import type { Db } from '../db/client.ts';
import { closeDatabase, connectDatabase } from '../db/database.ts';
import { onEventsWritten } from '../db/outbox.ts';
import { redactUrl } from '../db/postgres.ts';
import { createGraphQLServer, type GraphQLServer } from '../graphql/yoga.ts';
import { CertificateReminders } from '../jobs/certificate-reminders.ts';
import { DnsPoller, FAST_DNS_TIMING } from '../jobs/dns-poller.ts';
import { FAST_TIMING, ProvisioningPoller, STANDARD_TIMING } from '../jobs/provisioning-poller.ts';
import { TermsExpiry } from '../jobs/terms-expiry.ts';
import { WakeLoop } from '../jobs/wake-loop.ts';
import type { Platform } from '../platform/platform.ts';
import type { Config } from './config.ts';
import { Metrics } from './metrics.ts';
import { createPlatform } from './platform.ts';
import { loadSecretKey, verifySecretKey } from './secret-key.ts';
import { type HttpApp, startHttpApp } from './server.ts';

export interface Runtime {
  http: HttpApp;
  stop(): Promise<void>;
}

type DomainDeps = ReturnType<typeof domainDepsOf>;

function domainDepsOf(config: Config, db: Db, platform: Platform, secretKey: Buffer) {
  return {
    db,
    platform,
    portalDomain: config.PORTAL_DOMAIN,
    secretKey,
    dns: { ...(config.DNS_SERVERS ? { servers: config.DNS_SERVERS } : {}) },
    schedule: config.DNS_SCHEDULE,
  };
}

/** The jobs: provisioning, DNS checks, certificate reminders and the terms' expiry. */
function createJobs(config: Config, log: Logger, domainDeps: DomainDeps, metrics: Metrics | undefined) {
  const { db, platform } = domainDeps;
  const timing = config.JOB_TIMING === 'fast' ? FAST_TIMING : STANDARD_TIMING;
  const leaseMs = config.PROVISION_LEASE_SECONDS * 1000;
  const observer = metrics?.jobs;
  return {
    poller: new ProvisioningPoller({ db, platform, log: log.child({ job: 'provisioning' }), timing: { ...timing, leaseMs }, observer }),
    dnsPoller: new DnsPoller({ ...domainDeps, log: log.child({ job: 'dns' }), ...(config.JOB_TIMING === 'fast' ? { timing: FAST_DNS_TIMING } : {}), observer }),
    reminders: new CertificateReminders({ db, log: log.child({ job: 'certificates' }), observer }),
    termsExpiry: new TermsExpiry({
      db,
      log: log.child({ job: 'terms-expiry' }),
      policy: { expiryMs: config.TERMS_EXPIRY, reminderMs: config.TERMS_REMINDER },
      leaseMs,
      observer,
    }),
  };
}

type Jobs = ReturnType<typeof createJobs>;
type SlackDirectory = typeof import('../bot/slack-directory.ts');

interface SlackParts {
  bot: SlackBot;
  delivery: SlackDelivery;
  deliveryLoop: WakeLoop;
}

/** The Slack bot and its outbox reader. Bolt and its dependencies load only when Slack is on: a plain start stays quick. */
async function startSlackParts(
  config: Config & { SLACK_BOT_TOKEN: string },
  log: Logger,
  db: Db,
  graphql: GraphQLServer,
  directory: SlackDirectory,
  metrics: Metrics | undefined,
): Promise<SlackParts> {
  const [{ inProcessApi, remoteApi }, { createSlackBot }, { slackFileFetcher }, { SlackDelivery }] = await Promise.all([
    import('../bot/api.ts'),
    import('../bot/app.ts'),
    import('../bot/files.ts'),
    import('../bot/delivery/slack-delivery.ts'),
  ]);
  const api = config.GRAPHQL_URL ? remoteApi(config.GRAPHQL_URL, config.GRAPHQL_TOKEN ?? '') : inProcessApi(graphql);
  const bot = createSlackBot({
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    api,
    log: log.child({ component: 'slack' }),
    fetchFile: slackFileFetcher({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL, maxBytes: MAX_PFX_BYTES }),
  });
  const delivery = new SlackDelivery({
    db,
    client: directory.deliveryClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL),
    api,
    log: log.child({ job: 'slack-delivery' }),
    defaultChannel: config.SLACK_CHANNEL,
    channelIntervalMs: config.SLACK_CHANNEL_INTERVAL_MS,
    ...(metrics ? { observer: metrics.delivery } : {}),
  });
  metrics?.watchSlackBacklog(() => delivery.doneThrough);
  // Delivery runs when events are written, and again when its sweep says the next is due.
  const deliveryLoop = new WakeLoop({
    name: 'slack delivery sweep',
    log: log.child({ job: 'slack-delivery' }),
    run: () => delivery.sweep(),
    retryAfterErrorMs: delivery.timing.idleMs,
    job: 'slack-delivery',
    observer: metrics?.jobs,
  });
  onEventsWritten(db, () => deliveryLoop.wake());
  return { bot, delivery, deliveryLoop };
}

function startJobs(config: Config, jobs: Jobs): void {
  jobs.poller.start(config.PROVISION_POLL);
  jobs.dnsPoller.start(config.DNS_POLL);
  jobs.reminders.start();
  jobs.termsExpiry.start(config.TERMS_EXPIRY_POLL);
}

async function stopAll(http: HttpApp, feed: EventFeed, jobs: Jobs, slack: SlackParts | undefined, db: Db): Promise<void> {
  const closing = http.close();
  // Event streams never end by themselves: they are completed so the port can close.
  feed.close();
  await closing;
  await slack?.bot.stop();
  await jobs.poller.stop();
  await jobs.dnsPoller.stop();
  await jobs.reminders.stop();
  await jobs.termsExpiry.stop();
  await Promise.all([slack?.deliveryLoop.stop(), slack?.delivery.stop()]);
  await closeDatabase(db);
}

/** `platform` replaces the one PLATFORM names (tests run the product on a driver they built). */
export async function startRuntime(config: Config, log: Logger, parts: { platform?: Platform } = {}): Promise<Runtime> {
  const db = await connectDatabase(config.database);
  let secretKey: Buffer;
  try {
    secretKey = loadSecretKey(config.SECRET_KEY, config.dataDir);
    await verifySecretKey(db, secretKey);
  } catch (error) {
    // Nothing else started yet: the database's connections must not keep the process alive.
    await closeDatabase(db);
    throw error;
  }
  return startOn(db, secretKey, config, log, parts);
}

async function startOn(db: Db, secretKey: Buffer, config: Config, log: Logger, parts: { platform?: Platform }): Promise<Runtime> {
  const platform = parts.platform ?? (await createPlatform(config, db, secretKey, log.child({ component: 'platform' })));
  const feed = new EventFeed(db);
  const domainDeps = domainDepsOf(config, db, platform, secretKey);
  const metrics = config.METRICS === 'on' ? new Metrics({ db, log: log.child({ component: 'metrics' }), token: config.METRICS_TOKEN }) : undefined;
  const jobs = createJobs(config, log, domainDeps, metrics);
  const directory = config.SLACK_BOT_TOKEN ? await import('../bot/slack-directory.ts') : undefined;
  const slackClient = config.SLACK_BOT_TOKEN && directory ? directory.slackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) : undefined;
  const graphql = createGraphQLServer({
    ...domainDeps,
    log,
    feed,
    wake: () => jobs.poller.wake(),
    wakeDns: () => jobs.dnsPoller.wake(),
    slackEmailOf: slackClient && directory ? directory.slackEmailLookup(slackClient) : undefined,
    corsOrigins: config.CORS_ORIGINS,
    streamLimits: { perToken: config.MAX_STREAMS_PER_TOKEN, total: config.MAX_STREAMS },
    observer: metrics?.api,
  });
  const slackToken = config.SLACK_BOT_TOKEN;
  const slack = slackToken && directory ? await startSlackParts({ ...config, SLACK_BOT_TOKEN: slackToken }, log, db, graphql, directory, metrics) : undefined;
  const routes = new Map();
  if (slack?.bot.requestListener) routes.set('/slack/events', slack.bot.requestListener);
  const http = await startHttpApp({ db, graphql, log, routes, metrics }, config.PORT, config.HOST);
  startJobs(config, jobs);
  await slack?.bot.start();
  slack?.deliveryLoop.wake();
  log.info(
    {
      url: http.url,
      database: 'url' in config.database ? redactUrl(config.database.url) : config.DATABASE_PATH,
      slack: slack ? (config.SLACK_APP_TOKEN ? 'socket mode' : 'http') : 'off',
      metrics: metrics ? (config.METRICS_TOKEN ? 'on, with a token' : 'on') : 'off',
    },
    'portal-ops is ready',
  );
  return { http, stop: () => stopAll(http, feed, jobs, slack, db) };
}
