import type { Logger } from 'pino';
import { type BotApi, ApiError } from './api.ts';
import type { FileFetcher } from './files.ts';

export interface BotDeps {
  api: BotApi;
  log: Logger;
  /** Downloads a file a user uploaded in a modal. */
  fetchFile: FileFetcher;
}

/** What to tell a Slack user about an error: the API's own words, or a plain apology for the rest. */
export function errorText(deps: BotDeps, error: unknown): string {
  if (error instanceof ApiError) return error.message;
  deps.log.error({ err: error }, 'slack handler failed');
  return 'Something went wrong on our side and it was logged. Please try again in a moment.';
}
