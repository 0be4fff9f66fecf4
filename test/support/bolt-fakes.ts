// Unit tests of Slack handlers: the bot's real dependencies over a test tenant (the in-process API on
// a test database), and plain objects in place of what Bolt hands a handler (ack, respond, the Web
// API client), each recording how it was called.

import { createLogger } from '../../app/logger.ts';
import { inProcessApi } from '../../bot/api.ts';
import type { BotDeps } from '../../bot/context.ts';
import { FileRefused } from '../../bot/files.ts';
import type { ButtonArgs, Client } from '../../bot/listeners/args.ts';
import { provisionFormLoader } from '../../bot/provision-form.ts';
import { openTestTenant, portalInput, type TestTenant } from './tenant.ts';
import type { WireJson } from './wire-json.ts';

/** Slack users of the sample tenant: two Global Administrators and one who is not. */
export const SLACK_USERS: Record<string, string> = { U0ADA: 'ada@contoso.com', U0GRACE: 'grace@contoso.com', U0KEN: 'ken@contoso.com' };

export interface HandlerHarness {
  tenant: TestTenant;
  deps: BotDeps;
  /** Requests a portal as ada (U0ADA); returns its global ID. */
  requestPortal(overrides?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function handlerHarness(): Promise<HandlerHarness> {
  const tenant = await openTestTenant({ slackEmailOf: async (id) => SLACK_USERS[id] });
  const api = inProcessApi(tenant.yoga);
  const deps: BotDeps = {
    api,
    log: createLogger('silent'),
    fetchFile: async () => {
      throw new FileRefused('This file does not come from Slack.');
    },
    provisionForm: provisionFormLoader(api),
  };
  return {
    tenant,
    deps,
    async requestPortal(overrides = {}) {
      const token = await tenant.token({ email: 'ada@contoso.com' });
      const mutation = 'mutation($input: RequestPortalInput!) { requestPortal(input: $input) { __typename ... on PortalPayload { portal { id } } ... on Error { message } } }';
      const { body } = await tenant.gql(mutation, { input: portalInput(overrides) }, token);
      const id = body.data?.requestPortal?.portal?.id;
      if (!id) throw new Error(`the portal was not requested: ${JSON.stringify(body)}`);
      return id;
    },
    close: () => tenant.close(),
  };
}

export interface Call {
  method: string;
  /** The arguments as the handler passed them: the body of a Slack Web API call. */
  args: WireJson;
}

/** What the fake client answers, by method (`views.update`, …), in place of `{ ok: true }`. */
export type Answers = Record<string, (args: WireJson) => unknown>;

/**
 * A Web API client that records every call (`chat.postEphemeral`, `views.update`, …) and answers
 * `{ ok: true }`, or what `answers[method]` returns (or throws) for that call.
 */
export function fakeClient(answers: Answers = {}): { client: Client; calls: Call[] } {
  const calls: Call[] = [];
  const group = (name: string) =>
    new Proxy(
      {},
      {
        get: (_target, method: string) => async (args: unknown) => {
          calls.push({ method: `${name}.${method}`, args });
          const answer = answers[`${name}.${method}`];
          return answer ? answer(args) : { ok: true };
        },
      },
    );
  const client = new Proxy({}, { get: (_target, name: string) => group(name) }) as unknown as Client;
  return { client, calls };
}

/** Bolt's ack or respond: records each call's argument. */
export function recorder(): { fn: (arg?: unknown) => Promise<void>; calls: WireJson[] } {
  const calls: WireJson[] = [];
  return {
    fn: async (arg?: unknown) => {
      calls.push(arg ?? null);
    },
    calls,
  };
}

/** A view posted as Slack sends it back: views.open and views.update get it as JSON text. */
export function parsedView(args: { view: unknown }): WireJson {
  return typeof args.view === 'string' ? JSON.parse(args.view) : args.view;
}

/** A press of a button in a channel message (or, with `ephemeral`, on a /portal status card). */
export function buttonPress(user: string, value: string, options: { ephemeral?: boolean; home?: boolean; answers?: Answers } = {}) {
  const ack = recorder();
  const respond = recorder();
  const { client, calls } = fakeClient(options.answers);
  const body = {
    type: 'block_actions',
    user: { id: user },
    trigger_id: 'T-trigger',
    ...(options.home
      ? { container: { type: 'view', view_id: 'V0HOME' }, view: { type: 'home', id: 'V0HOME' } }
      : {
          channel: { id: 'C0PORTALS' },
          container: { type: 'message', channel_id: 'C0PORTALS', message_ts: '1700000000.000100', ...(options.ephemeral ? { is_ephemeral: true } : {}) },
          message: { ts: '1700000000.000100' },
        }),
    ...(options.ephemeral ? { response_url: 'https://hooks.slack.test/response' } : {}),
    actions: [],
  };
  const args = { ack: ack.fn, respond: respond.fn, client, body, action: { type: 'button', action_id: 'button', block_id: 'b', value } };
  return { args: args as unknown as ButtonArgs, acks: ack.calls, responses: respond.calls, calls };
}
