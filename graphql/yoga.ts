// The GraphQL endpoint: bearer-token authentication, the trusted Slack path, limits and masked errors.
import type { IncomingMessage } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError, Kind, type ValidationContext } from 'graphql';
import { createGraphQLError, createYoga, maskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { type Actor, hasScope } from '../core/actor.ts';
import type { CnameCheckOptions } from '../core/dns-check.ts';
import type { CheckSchedule } from '../core/dns-schedule.ts';
import { DomainError } from '../core/errors.ts';
import type { EventFeed } from '../core/event-feed.ts';
import { actorForSlackUser, type SlackEmailLookup } from '../core/identity.ts';
import { authenticateToken } from '../core/tokens.ts';
import type { Db } from '../db/client.ts';
import type { Platform } from '../platform/platform.ts';
import { FailedAuthentications } from './auth-throttle.ts';
import { useBodyLimit } from './body-limit.ts';
import type { GraphQLContext } from './context.ts';
import { corsFor, useJsonPostsOnly } from './http-policy.ts';
import { nothingHasThisId } from './ids.ts';
import { useQuietInputErrors } from './input-errors.ts';
import { useListLimits } from './list-limits.ts';
import { type ApiObserver, useOperationTiming } from './operation-timing.ts';
import { platformUnavailable } from './platform-errors.ts';
import { schema } from './schema/index.ts';
import { storageUnavailable } from './storage-errors.ts';
import { StreamGate, type StreamLimits } from './stream-limits.ts';

/** What an operator tunes about the endpoint; app/config.ts reads it from the environment. */
export interface ApiPolicy {
  /** Origins whose pages may call the API from a browser (CORS); none when absent. */
  corsOrigins?: readonly string[] | undefined;
  /** How many event streams may be open per token and in all. */
  streamLimits?: StreamLimits | undefined;
}

export interface GraphQLServerDeps extends ApiPolicy {
  db: Db;
  platform: Platform;
  portalDomain: string;
  log: Logger;
  feed: EventFeed;
  wake?: (() => void) | undefined;
  secretKey: Buffer;
  dns: CnameCheckOptions;
  schedule?: CheckSchedule | undefined;
  wakeDns?: (() => void) | undefined;
  /** Resolves Slack user IDs to e-mails for the bot's trusted path; absent when Slack is off. */
  slackEmailOf?: SlackEmailLookup | undefined;
  /** Told how long each operation took; nothing is told without one. */
  observer?: ApiObserver | undefined;
}

/** Header through which a token with the admin scope (the bot's) acts as a Slack user. */
export const SLACK_USER_HEADER = 'x-slack-user-id';

function httpError(status: number, message: string) {
  return createGraphQLError(message, {
    extensions: {
      code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
      http: { status, headers: status === 401 ? { 'WWW-Authenticate': 'Bearer realm="portal-ops"' } : {} },
    },
  });
}

async function slackActor(deps: GraphQLServerDeps, slackUserId: string): Promise<Actor> {
  if (!deps.slackEmailOf) throw httpError(403, 'Slack is not configured on this server, so it cannot act as a Slack user.');
  try {
    return await actorForSlackUser(deps.platform, deps.slackEmailOf, slackUserId);
  } catch (error) {
    if (error instanceof DomainError) throw httpError(403, error.message);
    throw error;
  }
}

/**
 * `client` is the caller's address; a request handed over in process (yoga.fetch) has none, and is
 * neither held off nor counted.
 */
async function actorOf(deps: GraphQLServerDeps, request: Request, client: string | undefined, failures: FailedAuthentications): Promise<Actor> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw httpError(401, 'Send an API token in the Authorization header: "Bearer <token>". Make one with npm run token:create.');
  const wait = client === undefined ? 0 : failures.retryAfterSeconds(client);
  if (wait > 0) {
    throw createGraphQLError(`Too many failed authentications from your address; try again in ${wait} s.`, {
      extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'Retry-After': String(wait) } } },
    });
  }
  const check = await authenticateToken({ ...deps, onStampFailed: (error) => deps.log.warn({ err: error }, "could not record the API token's last use; it is used all the same") }, match[1]);
  if (!check.ok) {
    if (client !== undefined) failures.recordFailure(client);
    // Who and why, never the token.
    deps.log.warn({ client: client ?? 'in process', reason: check.reason }, 'API authentication failed');
    throw httpError(401, check.reason);
  }
  const slackUserId = request.headers.get(SLACK_USER_HEADER);
  if (!slackUserId) return check.actor;
  if (!hasScope(check.actor, 'admin') || check.actor.kind !== 'service') throw httpError(403, `Only a service token with the admin scope may act as a Slack user (${SLACK_USER_HEADER}).`);
  return slackActor(deps, slackUserId);
}

/** What an in-process caller passes instead of HTTP credentials: an actor, or the Slack user it serves. */
export interface InProcessCaller {
  actor?: Actor;
  slackUserId?: string;
}

function truncateMessage(message: string): string {
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}

/**
 * GraphQL Armor throws its limits out of validation as a bare error headed "Syntax Error:", which
 * Yoga answers with 200 and no code even to a client that accepts application/graphql-response+json
 * (where an answer without data must be a 4xx). Reported as a validation error instead, it gets
 * GRAPHQL_VALIDATION_FAILED and the status the client's media type calls for.
 */
const asValidationErrors = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      const limit = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      // Every limit above runs as a validation rule, so there is a context; without one the
      // operation must still not run.
      if (!context) throw limit;
      context.reportError(limit);
    },
  ],
};

const CLIENT_MISTAKES = new Set(['BAD_USER_INPUT', 'NOT_FOUND']);

type MaskError = (error: unknown, message: string, isDev?: boolean) => Error;

/** Notes which errors were masked as the client's mistake, with the code the client was given. */
function rememberClientMistakes(mistakes: WeakMap<object, string>, mask: MaskError): MaskError {
  return (error, message, isDev) => {
    const masked = mask(error, message, isDev);
    const code = (masked as { extensions?: { code?: unknown } }).extensions?.code;
    if (typeof code === 'string' && CLIENT_MISTAKES.has(code) && typeof error === 'object' && error !== null) mistakes.set(error, code);
    return masked;
  };
}

const GRAPHIQL = {
  title: 'Portal provisioning API',
  defaultQuery:
    '# Put your API token in the Authorization header below, then run:\n{\n  viewer { kind name scopes }\n  portals(first: 10) { totalCount nodes { id displayName status url } }\n}\n',
  headers: JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2),
  defaultEditorToolsVisibility: 'headers' as const,
};

/**
 * GraphiQL's scripts, styles and editor workers come inlined in the page from the package, not from a
 * CDN, so it works offline and behind a proxy. The page is large and the same every time. Loaded on the
 * first visit: the package holds megabytes of inlined source, which would cost every process about
 * 100 MB of memory and a noticeable part of its start-up.
 */
function lazyGraphiQL() {
  let page: string | undefined;
  return async (options: Parameters<typeof import('@graphql-yoga/render-graphiql').renderGraphiQL>[0]) => {
    page ??= (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options);
    return page;
  };
}

function yogaLogging(log: GraphQLServerDeps['log'], clientMistakes: WeakMap<object, string>) {
  return {
    debug: (...args: unknown[]) => log.debug({ args }, 'graphql'),
    info: (...args: unknown[]) => log.info({ args }, 'graphql'),
    warn: (...args: unknown[]) => log.warn({ args }, 'graphql'),
    error: (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      // Yoga logs every error it masks; a client's mistake is no fault of ours, and its message
      // repeats the client's input, so only its code is kept.
      const mistake = err && clientMistakes.get(err);
      if (mistake) return log.debug({ code: mistake }, 'graphql client error');
      log.error({ err, args: args.filter((a) => !(a instanceof Error)) }, 'graphql error');
    },
  };
}

/**
 * Pothos refuses malformed global IDs and cursors with a validation error: that is the client's
 * input, so it is said plainly (and shortened); everything else stays masked.
 */
const maskProductError: MaskError = (error, message, isDev) => {
  const storage = storageUnavailable(error);
  if (storage) return storage;
  const platform = platformUnavailable(error);
  if (platform) return platform;
  const original = (error as { originalError?: unknown }).originalError;
  // By name as well: the class may come from another copy of @pothos/core (ESM and CJS builds).
  if (original instanceof PothosValidationError || (original instanceof Error && original.name === 'PothosValidationError')) {
    return createGraphQLError(truncateMessage(original.message), { extensions: { code: 'BAD_USER_INPUT' } });
  }
  // The relay node loader says "Model portals(7) not found" for an ID of nothing: that is an answer, not a fault.
  // The raw id may hold line breaks (the fuzz found "Certificate:   \t\n"), hence [\s\S].
  if (original instanceof Error && /^Model \w+\([\s\S]*\) not found$/.test(original.message)) {
    return nothingHasThisId();
  }
  return maskError(error, message, isDev);
};

function yogaPlugins(log: GraphQLServerDeps['log'], observer: ApiObserver | undefined) {
  return [
    ...(observer ? [useOperationTiming(observer)] : []),
    EnvelopArmorPlugin({
      maxDepth: { n: 12, ...asValidationErrors },
      maxAliases: { n: 20, ...asValidationErrors },
      maxDirectives: { n: 20, ...asValidationErrors },
      maxTokens: { n: 2000 },
      costLimit: { maxCost: 50_000, ...asValidationErrors },
      blockFieldSuggestion: { enabled: true },
    }),
    useListLimits(),
    useJsonPostsOnly(),
    useBodyLimit(),
    // Before graphql-jit: it must never meet an invalid variable, whose message would repeat it.
    useQuietInputErrors(),
    // Each operation is compiled to JavaScript once and run from that afterwards. The plugin keeps
    // one compilation per document whatever the operation name, so a document holding several
    // operations (GraphiQL's) runs through graphql-js instead. So do subscriptions: a compiled
    // subscription hands the field the request's variables instead of its arguments, so inline
    // arguments (and variables named otherwise) would be lost.
    useGraphQlJit(
      {},
      {
        enableIf: ({ document }) => {
          const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
          return operations.length === 1 && operations[0]?.operation !== 'subscription';
        },
        onError: (result) => log.debug({ errors: result.errors?.map((e) => e.message) }, 'graphql-jit could not compile an operation'),
      },
    ),
  ];
}

type YogaServerContext = InProcessCaller & { req?: IncomingMessage; request?: Request };

/** The context of one operation: the dependencies, and who is asking. */
function contextFor(deps: GraphQLServerDeps, streams: StreamGate, failures: FailedAuthentications) {
  return async ({ request, actor, slackUserId, req }: YogaServerContext) => ({
    db: deps.db,
    platform: deps.platform,
    portalDomain: deps.portalDomain,
    log: deps.log,
    feed: deps.feed,
    streams,
    wake: deps.wake,
    secretKey: deps.secretKey,
    dns: deps.dns,
    schedule: deps.schedule,
    wakeDns: deps.wakeDns,
    request,
    // In process there is no request: the bot acts as the Slack user in the payload, whatever it holds
    // (a payload without a usable user ID gets "not a Slack user ID", not a crash).
    actor: actor ?? (request === undefined ? await slackActor(deps, typeof slackUserId === 'string' ? slackUserId : '') : await actorOf(deps, request, req?.socket.remoteAddress, failures)),
  });
}

export function createGraphQLServer(deps: GraphQLServerDeps) {
  const clientMistakes = new WeakMap<object, string>();
  return createYoga<InProcessCaller & { req?: IncomingMessage }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: GRAPHIQL,
    renderGraphiQL: lazyGraphiQL(),
    landingPage: false,
    cors: corsFor(deps.corsOrigins),
    // Capped by useBodyLimit below, which streams only a body whose length is not declared.
    maxRequestBodySize: false,
    logging: yogaLogging(deps.log, clientMistakes),
    maskedErrors: { isDev: false, maskError: rememberClientMistakes(clientMistakes, maskProductError) },
    plugins: yogaPlugins(deps.log, deps.observer),
    context: contextFor(deps, new StreamGate(deps.streamLimits), new FailedAuthentications()),
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
