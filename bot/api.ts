// How the Slack surface reaches the GraphQL API: in-process through Yoga by default, or over HTTP
// (GRAPHQL_URL) with the bot's admin token, acting as the Slack user who clicked.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, GraphQLError, print } from 'graphql';
import { type GraphQLServer, type InProcessCaller, SLACK_USER_HEADER } from '../graphql/yoga.ts';
import { keptAliveFetch } from './http-transport.ts';

/** The API refused or failed; the message is fit to show the user. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type Caller = { slackUserId: string } | { service: string };

export interface BotApi {
  run<R, V extends Record<string, unknown>>(caller: Caller, document: TypedDocumentNode<R, V>, variables?: V): Promise<R>;
}

interface Answer<R> {
  data?: R | null;
  errors?: Array<{ message: string }>;
}

function unwrap<R>(status: number, body: Answer<R>): R {
  if (body.errors?.length || !body.data) {
    throw new ApiError(body.errors?.[0]?.message ?? `The portal API answered ${status}.`, status);
  }
  return body.data;
}

const printed = new WeakMap<object, string>();
function text(document: TypedDocumentNode<unknown, never>): string {
  let query = printed.get(document);
  if (!query) {
    query = print(document);
    printed.set(document, query);
  }
  return query;
}

/**
 * The API in the same process: the operation runs through Yoga's envelop (its validation cache, the
 * armor limits, error masking and the same context and credentials) without the HTTP round trip,
 * the JSON in between or parsing: the bot's operations are documents already.
 */
export function inProcessApi(yoga: GraphQLServer): BotApi {
  return {
    async run(caller, document, variables) {
      const initial: InProcessCaller = 'service' in caller ? { actor: { kind: 'service', name: caller.service, scopes: ['read'] } } : { slackUserId: caller.slackUserId };
      const { validate, contextFactory, execute, schema } = yoga.getEnveloped(initial as never);
      const invalid = validate(schema, document as DocumentNode);
      if (invalid.length > 0) throw new ApiError(invalid[0]?.message ?? 'The operation is not valid.', 400);
      let contextValue: unknown;
      try {
        contextValue = await contextFactory();
      } catch (error) {
        // Who the caller is could not be settled (not linked, no Slack, …): said as over HTTP.
        if (error instanceof GraphQLError) throw new ApiError(error.message, (error.extensions.http as { status?: number } | undefined)?.status ?? 500);
        throw error;
      }
      const result = (await execute({ schema, document: document as DocumentNode, variableValues: variables, contextValue })) as Answer<never>;
      return unwrap(200, result);
    },
  };
}

/** The API at `url`, over kept-alive connections (see http-transport.ts); a redirect is refused. */
export function remoteApi(url: string, token: string): BotApi {
  return {
    async run(caller, document, variables) {
      const response = await keptAliveFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          ...('slackUserId' in caller ? { [SLACK_USER_HEADER]: typeof caller.slackUserId === 'string' ? caller.slackUserId : '' } : {}),
        },
        body: JSON.stringify({ query: text(document as never), variables }),
        redirect: 'error',
        signal: AbortSignal.timeout(10_000),
      });
      let body: Answer<never>;
      try {
        body = (await response.json()) as Answer<never>;
      } catch {
        // A proxy's error page, say: not an answer of the portal API.
        throw new ApiError(`The portal API at ${new URL(url).origin} answered ${response.status} without a GraphQL answer.`, response.status);
      }
      return unwrap(response.status, body);
    },
  };
}
