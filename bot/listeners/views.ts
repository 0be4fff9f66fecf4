// The provision modal's submission: the values go through requestPortal (or updatePortalAndRestart);
// problems come back beside their fields; a request posts the terms message where it was made.
import { termsMessage } from '../blocks/messages.ts';
import { PROVISION_CALLBACK, context, escape } from '../blocks/common.ts';
import { blockForField, readMeta, readModal } from '../blocks/provision-modal.ts';
import { type BotDeps, errorText } from '../context.ts';
import type { AddOn, Audience, PortalType } from '../gql/graphql.ts';
import { RequestPortalMutation, TermsQuery, UpdatePortalAndRestartMutation } from '../operations.ts';
import { ackThenTakeTurn } from '../turns.ts';
import type { ListenerTable } from './table.ts';

export function registerViews(table: ListenerTable, deps: BotDeps): void {
  table.view(PROVISION_CALLBACK, async ({ ack, view, body, client }) => {
    const meta = readMeta(view.private_metadata);
    const values = readModal(view.state.values as never);
    const blockIds = view.blocks.map((b) => b.block_id ?? '');
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
    let outcome;
    try {
      outcome = meta.portalId
        ? (await deps.api.run(caller, UpdatePortalAndRestartMutation, { input: { portalId: meta.portalId, ...settings } })).updatePortalAndRestart
        : (await deps.api.run(caller, RequestPortalMutation, { input: { ...settings, notifyChannel: meta.channelId } })).requestPortal;
    } catch (error) {
      await ack({ response_action: 'errors', errors: { name: errorText(deps, error) } });
      return;
    }
    if (outcome.__typename === 'ValidationError') {
      const errors: Record<string, string> = {};
      for (const problem of outcome.fields) {
        const block = blockForField(problem.field, blockIds);
        errors[block] = errors[block] ? `${errors[block]} ${problem.message}` : problem.message;
      }
      await ack({ response_action: 'errors', errors });
      return;
    }
    if (outcome.__typename !== 'PortalPayload') {
      await ack({ response_action: 'errors', errors: { name: outcome.message } });
      return;
    }
    await ackThenTakeTurn(ack);
    if (meta.portalId) return;
    try {
      const { termsOfService } = await deps.api.run(caller, TermsQuery);
      // What will make provisioning fail is said again where the terms are accepted.
      const blocks = termsMessage(outcome.portal, termsOfService, body.user.id);
      blocks.splice(1, 0, ...outcome.warnings.map((w) => context(`:warning: ${escape(w.message)}`)));
      await client.chat.postMessage({
        channel: meta.channelId ?? body.user.id,
        text: `${outcome.portal.name}: accept the terms of service to start provisioning`,
        blocks,
      });
    } catch (error) {
      deps.log.error({ err: error, portalId: outcome.portal.id }, 'could not post the terms message');
    }
  });
}
