// Retry installation, when the portal's package failed to install.
import type { BotDeps } from '../../context.ts';
import { RetryInstallMutation } from '../../operations.ts';
import type { ButtonArgs } from '../args.ts';
import { restartFromButton } from './restarted-card.ts';

export async function retryInstall(deps: BotDeps, args: ButtonArgs): Promise<void> {
  await restartFromButton(deps, args, 'Installation retried', async (caller, portalId) => (await deps.api.run(caller, RetryInstallMutation, { input: { portalId } })).retryPackageInstall);
}
