import type { Logger } from 'pino';
import type { Caller } from './api.ts';
import { ApiError, type BotApi } from './api.ts';
import type { FileFetcher } from './files.ts';
import type { ProvisionForm } from './provision-form.ts';

export interface BotDeps {
  api: BotApi;
  log: Logger;
  /** Downloads a file a user uploaded in a modal. */
  fetchFile: FileFetcher;
  /** What the provision modal is built from (the catalog part is kept for a while). */
  provisionForm(caller: Caller): Promise<ProvisionForm>;
}

/** What to tell a Slack user about an error: the API's own words, or a plain apology for the rest. */
export function errorText(deps: BotDeps, error: unknown): string {
  if (error instanceof ApiError) return error.message;
  deps.log.error({ err: error }, 'slack handler failed');
  return 'Something went wrong on our side and it was logged. Please try again in a moment.';
}
