// The Slack app: Bolt over HTTP (on our port, at /slack/events) or over Socket Mode.
import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import type { BotApi } from './api.ts';
import type { FileFetcher } from './files.ts';
import type { BotDeps } from './context.ts';
import { registerListeners } from './listeners/index.ts';
import { provisionFormLoader } from './provision-form.ts';

export interface SlackBotOptions {
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  apiUrl?: string | undefined;
  api: BotApi;
  log: Logger;
  fetchFile: FileFetcher;
}

export interface SlackBot {
  app: App;
  /** Serves /slack/events in HTTP mode; undefined in Socket Mode. */
  requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  // Bolt logs at debug on every request: the message is only put together when it will be written.
  return {
    debug: (...msg) => child.isLevelEnabled('debug') && child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

export function clientOptions(apiUrl: string | undefined) {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    // Interactions have seconds to live (a trigger_id lasts 3 s): retry briefly, not for minutes.
    retryConfig: { retries: 2, factor: 1, minTimeout: 200, maxTimeout: 1_000 },
    timeout: 5_000,
  };
}

function botDeps(options: SlackBotOptions): BotDeps {
  return { api: options.api, log: options.log, fetchFile: options.fetchFile, provisionForm: provisionFormLoader(options.api) };
}

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const logger = boltLogger(options.log);
  if (options.appToken) {
    const app = new App({
      token: options.botToken,
      appToken: options.appToken,
      socketMode: true,
      logger,
      // No auth.test at construction: a Slack outage at start must not reject a promise nobody holds.
      tokenVerificationEnabled: false,
      clientOptions: clientOptions(options.apiUrl),
    });
    registerListeners(app, botDeps(options));
    return {
      app,
      requestListener: undefined,
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is needed for Slack over HTTP');
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: '/slack/events',
    logger,
    // A listener that fails is logged and Slack gets a plain acknowledgement, never a 500 to retry.
    processEventErrorHandler: async ({ error, response }) => {
      options.log.error({ err: error }, 'slack listener failed');
      if (!response.headersSent) {
        response.writeHead(200);
        response.end();
      }
      return true;
    },
  });
  const app = new App({ token: options.botToken, receiver, logger, tokenVerificationEnabled: false, clientOptions: clientOptions(options.apiUrl) });
  registerListeners(app, botDeps(options));
  return { app, requestListener: receiver.requestListener, start: async () => {}, stop: async () => {} };
}
