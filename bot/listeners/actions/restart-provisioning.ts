// Restart Provisioning, on a failed portal's alert, status card or App Home entry.
import type { BotDeps } from '../../context.ts';
import { RestartMutation } from '../../operations.ts';
import type { ButtonArgs } from '../args.ts';
import { restartFromButton } from './restarted-card.ts';

export async function restartProvisioning(deps: BotDeps, args: ButtonArgs): Promise<void> {
  await restartFromButton(deps, args, 'Provisioning restarted', async (caller, portalId) => (await deps.api.run(caller, RestartMutation, { input: { portalId } })).restartProvisioning);
}
