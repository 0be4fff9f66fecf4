// The Slack app: Bolt over HTTP (on our port, at /slack/events) or over Socket Mode.
import type { RequestListener } from 'node:http';
import { App, type Authorize, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { BotApi } from './api.ts';
import type { BotDeps } from './context.ts';
import type { FileFetcher } from './files.ts';
import { registerListeners } from './listeners/index.ts';
import { provisionFormLoader } from './provision-form.ts';
import { signatureGate } from './signed-requests.ts';
import { webApiTarget } from './slack-directory.ts';

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
    ...webApiTarget(apiUrl),
    // Interactions have seconds to live (a trigger_id lasts 3 s): retry briefly, not for minutes.
    retryConfig: { retries: 2, factor: 1, minTimeout: 200, maxTimeout: 1_000 },
    timeout: 5_000,
  };
}

/**
 * Who the bot is (auth.test), asked of Slack once and kept for the life of the process. Asked lazily,
 * and again after a failure, so a Slack outage at start costs nothing and rejects no promise nobody
 * holds. Bolt's own answer to that (token verification off) runs auth.test before every event: a
 * round trip to Slack ahead of each acknowledgement.
 */
export function cachedAuthorize(botToken: string, client: WebClient): Authorize<boolean> {
  let identity: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | undefined;
  return async () => {
    identity ??= client.auth.test({ token: botToken }).then((answer) => ({
      ...(answer.bot_id ? { botId: answer.bot_id } : {}),
      ...(answer.user_id ? { botUserId: answer.user_id } : {}),
      ...(answer.team_id ? { teamId: answer.team_id } : {}),
    }));
    const asked = identity;
    try {
      return { botToken, ...(await asked) };
    } catch (error) {
      if (identity === asked) identity = undefined;
      throw error;
    }
  };
}

function botDeps(options: SlackBotOptions): BotDeps {
  return { api: options.api, log: options.log, fetchFile: options.fetchFile, provisionForm: provisionFormLoader(options.api) };
}

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const logger = boltLogger(options.log);
  const authorize = cachedAuthorize(options.botToken, new WebClient(undefined, { ...clientOptions(options.apiUrl), logger }));
  if (options.appToken) {
    const app = new App({
      authorize,
      appToken: options.appToken,
      socketMode: true,
      logger,
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
    // The signature gate below checks every request (signature, timestamp both ways, replays) before
    // Bolt sees it; Bolt checking the same signature again cost a second HMAC and parse per request.
    signatureVerification: false,
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
  const app = new App({
    authorize,
    receiver,
    logger,
    // No listener keeps conversation state; Bolt's default store would look up (and fail to find,
    // building an Error for it) a conversation on every event.
    convoStore: false,
    clientOptions: clientOptions(options.apiUrl),
  });
  registerListeners(app, botDeps(options));
  const requestListener = signatureGate(receiver.requestListener, { signingSecret: options.signingSecret, log: options.log });
  return { app, requestListener, start: async () => {}, stop: async () => {} };
}
