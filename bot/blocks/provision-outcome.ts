// What the provision modal shows when the API is slower than Slack's deadline: a "working on it"
// view at once, then the outcome in the same modal (the request taken, or the form again with each
// problem under its field).
import type { KnownBlock, View } from '@slack/types';
import { context, escapeMrkdwn, LIMITS, PROVISION_CALLBACK, plain } from './common.ts';
import { problemsByBlock } from './field-errors.ts';
import { blockForField } from './provision-modal.ts';

const OUTCOME_CALLBACK = 'provision_outcome';

function notice(title: string, blocks: KnownBlock[], privateMetadata: string): View {
  return { type: 'modal', callback_id: OUTCOME_CALLBACK, title: plain(title, LIMITS.modalTitle), close: plain('Close', 24), private_metadata: privateMetadata, blocks };
}

export function workingView(portalName: string, privateMetadata: string): View {
  return notice(
    'Provision a portal',
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:hourglass_flowing_sand: Sending the request for *${escapeMrkdwn(portalName)}*. The portal API is taking longer than usual; this window shows the outcome when it answers.`,
        },
      },
      context('You may close it: the terms of service follow in a message all the same once the request is taken.'),
    ],
    privateMetadata,
  );
}

/** The request taken (or, for Change Values, provisioning restarted), with what will make it fail. */
export function requestedView(portalName: string, warnings: ReadonlyArray<{ message: string }>, privateMetadata: string, restarted = false): View {
  const said = restarted
    ? `:white_check_mark: Provisioning of *${escapeMrkdwn(portalName)}* restarts with the new values.`
    : `:white_check_mark: *${escapeMrkdwn(portalName)}* is requested. Accept the terms of service in the message that follows to start provisioning.`;
  return notice(
    restarted ? 'Provisioning restarted' : 'Portal requested',
    [{ type: 'section', text: { type: 'mrkdwn', text: said } }, ...warnings.map((w) => context(`:warning: ${escapeMrkdwn(w.message)}`))],
    privateMetadata,
  );
}

/**
 * The form again after a late refusal: Slack shows field errors only in answer to the submission
 * itself, so each problem is a line right under its field, and the form can be submitted again.
 */
export function formWithProblems(form: View, problems: ReadonlyArray<{ field: string; message: string }>): View {
  const blocks = [...(form.blocks as KnownBlock[])];
  const ids = blocks.map((b) => b.block_id ?? '');
  const byBlock = problemsByBlock(problems, (field) => blockForField(field, ids));
  // From the last field up, so each insertion leaves the positions above it as they were.
  const placed = [...byBlock].map(([block, messages]) => ({ at: ids.indexOf(block), messages })).sort((a, b) => b.at - a.at);
  for (const { at, messages } of placed) blocks.splice(at < 0 ? blocks.length : at + 1, 0, context(`:x: ${escapeMrkdwn(messages.join(' '))}`));
  blocks.unshift(context(':x: Nothing was requested. Fix what is marked below and submit again.'));
  return { ...form, callback_id: PROVISION_CALLBACK, blocks: blocks.slice(0, LIMITS.blocksPerView) };
}

/** A late refusal when not even the form can be read again: what went wrong, to try again later. */
export function refusedView(problems: ReadonlyArray<{ message: string }>, why: string, privateMetadata: string): View {
  return notice(
    'Provision a portal',
    [
      { type: 'section', text: { type: 'mrkdwn', text: `:x: Nothing was requested: ${escapeMrkdwn(problems.map((p) => p.message).join(' '))}` } },
      context(`The form could not be shown again (${escapeMrkdwn(why)}). Type \`/portal provision\` to start over.`),
    ],
    privateMetadata,
  );
}
