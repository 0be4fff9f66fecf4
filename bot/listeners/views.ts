// The provision modal's submission: the values go through requestPortal (or updatePortalAndRestart);
// problems come back beside their fields; a request posts the terms message where it was made, or
// to the requester directly when the bot cannot post there (terms-delivery.ts).
// Slack waits 3 s for the answer to a submission. When the API (deployed apart, say) has not answered
// within SUBMIT_DEADLINE_MS, the modal shows that it is working on it, and the outcome replaces that
// view when the API answers.
import type { View } from '@slack/types';
import { PROVISION_CALLBACK, context, escape, viewArgument } from '../blocks/common.ts';
import { formWithProblems, refusedView, requestedView, workingView } from '../blocks/provision-outcome.ts';
import { type ModalValues, blockForField, provisionModal, readMeta, readModal } from '../blocks/provision-modal.ts';
import { type BotDeps, errorText } from '../context.ts';
import type { AddOn, Audience, BotRequestPortalMutation, PortalType } from '../gql/graphql.ts';
import { RequestPortalMutation, UpdatePortalAndRestartMutation } from '../operations.ts';
import { deliverTerms } from '../terms-delivery.ts';
import { ackThenTakeTurn } from '../turns.ts';
import type { ListenerTable } from './table.ts';

/** How long a submission waits for the API before answering Slack (which gives up at 3 s). */
export const SUBMIT_DEADLINE_MS = 2_500;

type Answer = BotRequestPortalMutation['requestPortal'];
type Accepted = Extract<Answer, { __typename: 'PortalPayload' }>;
/** The API's answer boiled down: the request taken, or problems by API field. */
type Outcome = { accepted: Accepted } | { problems: Array<{ field: string; message: string }> };

export function registerViews(table: ListenerTable, deps: BotDeps): void {
  table.view(PROVISION_CALLBACK, async ({ ack, view, body, client }) => {
    const meta = readMeta(view.private_metadata);
    const values = readModal(view.state.values as never);
    const caller = { slackUserId: body.user.id };
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
    const answer = (async (): Promise<Outcome> => {
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
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const inTime = await Promise.race([answer, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SUBMIT_DEADLINE_MS)))]);
    clearTimeout(timer);

    if (inTime) {
      if ('problems' in inTime) {
        const blockIds = view.blocks.map((b) => b.block_id ?? '');
        const errors: Record<string, string> = {};
        for (const problem of inTime.problems) {
          const block = blockForField(problem.field, blockIds);
          errors[block] = errors[block] ? `${errors[block]} ${problem.message}` : problem.message;
        }
        await ack({ response_action: 'errors', errors });
        return;
      }
      // Changed values that will fail are said before the modal closes (no terms message follows them).
      if (meta.portalId && inTime.accepted.warnings.length > 0) {
        await ack({ response_action: 'update', view: requestedView(inTime.accepted.portal.name, inTime.accepted.warnings, view.private_metadata, true) });
        return;
      }
      await ackThenTakeTurn(ack);
      await postTerms(inTime.accepted);
      return;
    }

    // Too slow for Slack: say so now, and show the outcome in this same modal when it comes.
    await ack({ response_action: 'update', view: workingView(settings.name || 'your portal', view.private_metadata) });
    const late = await answer;
    try {
      const shown: View =
        'accepted' in late
          ? requestedView(late.accepted.portal.name, late.accepted.warnings, view.private_metadata, Boolean(meta.portalId))
          : await theFormAgain(values).then(
              (form) => formWithProblems(form, late.problems),
              (error: unknown) => refusedView(late.problems, errorText(deps, error), view.private_metadata),
            );
      await client.views.update({ view_id: view.id, view: viewArgument(shown) });
    } catch (error) {
      // The user closed the modal meanwhile, say: the terms message still follows a request.
      deps.log.warn({ err: error }, 'could not show the outcome of a slow submission in its modal');
    }
    if ('accepted' in late) await postTerms(late.accepted);

    async function theFormAgain(entered: ModalValues): Promise<View> {
      const form = await deps.provisionForm(caller);
      return provisionModal(form, entered, { channelId: meta.channelId, ...(meta.portalId ? { portalId: meta.portalId } : {}) });
    }

    async function postTerms(outcome: Accepted): Promise<void> {
      if (meta.portalId) return;
      try {
        // What will make provisioning fail is said again where the terms are accepted.
        const warnings = outcome.warnings.map((w) => context(`:warning: ${escape(w.message)}`));
        await deliverTerms(deps, client, outcome.portal, body.user.id, meta.channelId, { extra: warnings });
      } catch (error) {
        deps.log.error({ err: error, portalId: outcome.portal.id }, 'could not post the terms message');
      }
    }
  });
}
