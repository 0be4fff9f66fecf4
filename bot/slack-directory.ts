// Reads a Slack user's profile e-mail through the Web API (users.info), remembered for a few minutes.
import { WebClient } from '@slack/web-api';
import { keptAliveFetch } from './http-transport.ts';

const TTL_MS = 5 * 60_000;

/** A Slack user's e-mail, for the API to find the directory user behind a Slack user. */
export type SlackEmailLookup = (slackUserId: string) => Promise<string | undefined>;

export function slackEmailLookup(client: WebClient): SlackEmailLookup {
  const cache = new Map<string, { email: string | undefined; until: number }>();
  return async (slackUserId) => {
    const hit = cache.get(slackUserId);
    if (hit && hit.until > Date.now()) return hit.email;
    const answer = await client.users.info({ user: slackUserId });
    const email = answer.user?.profile?.email ?? undefined;
    cache.set(slackUserId, { email, until: Date.now() + TTL_MS });
    return email;
  };
}

/** Where and how every Web API client of the bot reaches Slack: SLACK_API_URL (if set) and the kept-alive transport. */
export function webApiTarget(apiUrl: string | undefined) {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    fetch: keptAliveFetch,
  };
}

export function slackWebClient(token: string, apiUrl: string | undefined): WebClient {
  return new WebClient(token, { ...webApiTarget(apiUrl), retryConfig: { retries: 2 } });
}

/** For the outbox: no retries of its own (the delivery job schedules them) and 429s handed back at once. */
export function deliveryClient(token: string, apiUrl: string | undefined): WebClient {
  return new WebClient(token, {
    ...webApiTarget(apiUrl),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 5_000,
  });
}
