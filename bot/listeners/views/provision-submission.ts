// The provision modal's submission: the values go through requestPortal (or updatePortalAndRestart);
// problems come back beside their fields; a request posts the terms message where it was made, or
// to the requester directly when the bot cannot post there (terms-delivery.ts).
// Slack waits 3 s for the answer to a submission. When the API (deployed apart, say) has not answered
// within SUBMIT_DEADLINE_MS, the modal shows that it is working on it, and the outcome replaces that
// view when the API answers.
import type { View } from '@slack/types';
import { context, escapeMrkdwn, viewArgument } from '../../blocks/common.ts';
import { modalErrors } from '../../blocks/field-errors.ts';
import { blockForField, type ModalMeta, type ModalValues, provisionModal, readMeta, readModal } from '../../blocks/provision-modal.ts';
import { formWithProblems, refusedView, requestedView, workingView } from '../../blocks/provision-outcome.ts';
import { type BotDeps, errorText } from '../../context.ts';
import type { AddOn, Audience, BotRequestPortalMutation, PortalType } from '../../gql/graphql.ts';
import { RequestPortalMutation, UpdatePortalAndRestartMutation } from '../../operations.ts';
import { deliverTerms } from '../../terms-delivery.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { SubmissionArgs } from '../args.ts';

/** How long a submission waits for the API before answering Slack (which gives up at 3 s). */
export const SUBMIT_DEADLINE_MS = 2_500;

type Answer = BotRequestPortalMutation['requestPortal'];
type Accepted = Extract<Answer, { __typename: 'PortalPayload' }>;
/** The API's answer boiled down: the request taken, or problems by API field. */
type Outcome = { accepted: Accepted } | { problems: Array<{ field: string; message: string }> };

/** What was submitted, read once. */
interface Submitted {
  meta: ModalMeta;
  values: ModalValues;
  caller: { slackUserId: string };
}

export async function provisionSubmission(deps: BotDeps, args: SubmissionArgs): Promise<void> {
  const { view, body } = args;
  const submitted: Submitted = { meta: readMeta(view.private_metadata), values: readModal(view.state.values as never), caller: { slackUserId: body.user.id } };
  const answer = askApi(deps, submitted);
  const inTime = await withinDeadline(answer);
  if (inTime) await answerInTime(deps, args, submitted, inTime);
  else await answerLate(deps, args, submitted, answer);
}

/** The API's answer; a failure to reach it is a problem shown under the first field. */
async function askApi(deps: BotDeps, { meta, values, caller }: Submitted): Promise<Outcome> {
  const settings = {
    name: values.name ?? '',
    subdomain: values.subdomain ?? '',
    instanceId: values.instanceId ?? '',
    language: values.language ?? '',
    administratorId: values.administratorId ?? '',
    audience: (values.audience ?? 'CUSTOMER') as Audience,
    portalType: (values.portalType ?? 'CUSTOMER_SELF_SERVICE') as PortalType,
    addOns: (values.addOns ?? []) as AddOn[],
  };
  try {
    const outcome: Answer = meta.portalId
      ? (await deps.api.run(caller, UpdatePortalAndRestartMutation, { input: { portalId: meta.portalId, ...settings } })).updatePortalAndRestart
      : (await deps.api.run(caller, RequestPortalMutation, { input: { ...settings, notifyChannel: meta.channelId } })).requestPortal;
    if (outcome.__typename === 'PortalPayload') return { accepted: outcome };
    if (outcome.__typename === 'ValidationError') return { problems: outcome.fields };
    return { problems: [{ field: 'name', message: outcome.message }] };
  } catch (error) {
    return { problems: [{ field: 'name', message: errorText(deps, error) }] };
  }
}

/** The answer if it comes within SUBMIT_DEADLINE_MS, else undefined. */
async function withinDeadline(answer: Promise<Outcome>): Promise<Outcome | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SUBMIT_DEADLINE_MS)));
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** In time for Slack: problems under their fields, or the modal closes (or says what will fail). */
async function answerInTime(deps: BotDeps, { ack, view, client, body }: SubmissionArgs, submitted: Submitted, outcome: Outcome): Promise<void> {
  if ('problems' in outcome) {
    const blockIds = view.blocks.map((b) => b.block_id ?? '');
    return void (await ack({ response_action: 'errors', errors: modalErrors(outcome.problems, (field) => blockForField(field, blockIds)) }));
  }
  // Changed values that will fail are said before the modal closes (no terms message follows them).
  if (submitted.meta.portalId && outcome.accepted.warnings.length > 0) {
    const shown = requestedView(outcome.accepted.portal.name, outcome.accepted.warnings, view.private_metadata, true);
    return void (await ack({ response_action: 'update', view: shown }));
  }
  await ackThenTakeTurn(ack);
  await postTerms(deps, client, body.user.id, submitted.meta, outcome.accepted);
}

/** Too slow for Slack: say so now, and show the outcome in this same modal when it comes. */
async function answerLate(deps: BotDeps, { ack, view, client, body }: SubmissionArgs, submitted: Submitted, answer: Promise<Outcome>): Promise<void> {
  await ack({ response_action: 'update', view: workingView(submitted.values.name || 'your portal', view.private_metadata) });
  const late = await answer;
  try {
    const shown = await lateView(deps, submitted, late, view.private_metadata);
    await client.views.update({ view_id: view.id, view: viewArgument(shown) });
  } catch (error) {
    // The user closed the modal meanwhile, say: the terms message still follows a request.
    deps.log.warn({ err: error }, 'could not show the outcome of a slow submission in its modal');
  }
  if ('accepted' in late) await postTerms(deps, client, body.user.id, submitted.meta, late.accepted);
}

/** The view a late outcome replaces the working view with: the request taken, or the form again with its problems. */
async function lateView(deps: BotDeps, { meta, values, caller }: Submitted, late: Outcome, privateMetadata: string): Promise<View> {
  if ('accepted' in late) return requestedView(late.accepted.portal.name, late.accepted.warnings, privateMetadata, Boolean(meta.portalId));
  try {
    const form = await deps.provisionForm(caller);
    const again = provisionModal(form, values, { channelId: meta.channelId, ...(meta.portalId ? { portalId: meta.portalId } : {}) });
    return formWithProblems(again, late.problems);
  } catch (error) {
    return refusedView(late.problems, errorText(deps, error), privateMetadata);
  }
}

/** A new request's terms message, with what will make provisioning fail said again where the terms are accepted. */
async function postTerms(deps: BotDeps, client: SubmissionArgs['client'], user: string, meta: ModalMeta, outcome: Accepted): Promise<void> {
  if (meta.portalId) return;
  try {
    const warnings = outcome.warnings.map((w) => context(`:warning: ${escapeMrkdwn(w.message)}`));
    await deliverTerms(deps, client, outcome.portal, user, meta.channelId, { extra: warnings });
  } catch (error) {
    deps.log.error({ err: error, portalId: outcome.portal.id }, 'could not post the terms message');
  }
}
