// How the Slack surface reaches the GraphQL API: in-process through Yoga by default, or over HTTP
// (GRAPHQL_URL) with the bot's admin token, acting as the Slack user who clicked.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { Actor } from '../core/actor.ts';
import { type GraphQLServer, SLACK_USER_HEADER } from '../graphql/yoga.ts';

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
  if (!query) printed.set(document, (query = print(document)));
  return query;
}

export function inProcessApi(yoga: GraphQLServer): BotApi {
  return {
    async run(caller, document, variables) {
      const actor: Actor | undefined =
        'service' in caller ? { kind: 'service', name: caller.service, scopes: ['read'] } : undefined;
      const response = await yoga.fetch(
        'http://in-process/graphql',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: text(document as never), variables }),
        },
        actor ? { actor } : { slackUserId: (caller as { slackUserId: string }).slackUserId },
      );
      return unwrap(response.status, (await response.json()) as Answer<never>);
    },
  };
}

export function remoteApi(url: string, token: string): BotApi {
  return {
    async run(caller, document, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          ...('slackUserId' in caller ? { [SLACK_USER_HEADER]: caller.slackUserId } : {}),
        },
        body: JSON.stringify({ query: text(document as never), variables }),
        signal: AbortSignal.timeout(10_000),
      });
      return unwrap(response.status, (await response.json()) as Answer<never>);
    },
  };
}
