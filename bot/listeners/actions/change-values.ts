// Change Values and Restart Provisioning: the provision modal, filled with the portal's current values.
import { viewArgument } from '../../blocks/common.ts';
import { provisionModal } from '../../blocks/provision-modal.ts';
import { type BotDeps, errorText } from '../../context.ts';
import { PortalSettingsQuery } from '../../operations.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { ButtonArgs } from '../args.ts';
import { tell, where } from './reply.ts';

export async function changeValues(deps: BotDeps, { ack, body, action, client }: ButtonArgs): Promise<void> {
  await ackThenTakeTurn(ack);
  try {
    const caller = { slackUserId: body.user.id };
    const [form, settings] = await Promise.all([deps.provisionForm(caller), deps.api.run(caller, PortalSettingsQuery, { id: action.value ?? '' })]);
    const portal = settings.portal;
    if (!portal) return void (await tell(client, body, 'This portal no longer exists.'));
    const values = {
      name: portal.name,
      subdomain: portal.subdomain,
      instanceId: portal.instance?.id,
      language: portal.language,
      administratorId: portal.administrator?.id,
      audience: portal.audience,
      portalType: portal.portalType,
      addOns: portal.addOns,
    };
    const view = provisionModal(form, values, { channelId: where(body).channel ?? null, portalId: portal.id });
    await client.views.open({ trigger_id: body.trigger_id, view: viewArgument(view) });
  } catch (error) {
    await tell(client, body, errorText(deps, error));
  }
}
