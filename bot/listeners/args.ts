// The part of Bolt's arguments each kind of handler uses. Handlers take these, not Bolt's whole
// argument object, so a unit test passes plain objects standing in for Slack's side.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';

export type Client = AllMiddlewareArgs['client'];
export type ButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action' | 'respond'> & { client: Client };
export type MenuArgs = Pick<SlackActionMiddlewareArgs<BlockAction>, 'ack' | 'body'> & { client: Client };
export type SubmissionArgs = Pick<SlackViewMiddlewareArgs, 'ack' | 'view' | 'body'> & { client: Client };
export type CommandArgs = Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'> & { client: Client };
