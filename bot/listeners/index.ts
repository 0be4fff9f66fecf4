// Every Slack listener of the bot, one handler per file (actions/, views/, commands/), registered here.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION, PROVISION_CALLBACK } from '../blocks/common.ts';
import { DOMAIN_CALLBACK } from '../blocks/domain.ts';
import type { BotDeps } from '../context.ts';
import { ModalUpdates } from '../modal-updates.ts';
import { acceptTerms } from './actions/accept-terms.ts';
import { changeValues } from './actions/change-values.ts';
import { checkDomain } from './actions/check-domain.ts';
import { declineTerms } from './actions/decline-terms.ts';
import { modalChoice } from './actions/modal-choice.ts';
import { restartProvisioning } from './actions/restart-provisioning.ts';
import { retryInstall } from './actions/retry-install.ts';
import type { ButtonArgs } from './args.ts';
import { portalCommand } from './commands/portal.ts';
import { registerEvents } from './events.ts';
import { ListenerTable } from './table.ts';
import { domainSubmission } from './views/domain-submission.ts';
import { provisionSubmission } from './views/provision-submission.ts';

const BUTTONS: Array<[string, (deps: BotDeps, args: ButtonArgs) => Promise<void>]> = [
  [ACTION.acceptTerms, acceptTerms],
  [ACTION.declineTerms, declineTerms],
  [ACTION.restart, restartProvisioning],
  [ACTION.retryInstall, retryInstall],
  [ACTION.changeValues, changeValues],
  [ACTION.checkDomain, checkDomain],
];

/** The provision modal's menus that other menus depend on. */
const MODAL_MENUS = [ACTION.instance, ACTION.language, ACTION.audience, ACTION.portalType];

export function registerListeners(app: App, deps: BotDeps): void {
  app.command('/portal', (args) => portalCommand(deps, args));
  registerEvents(app, deps);
  // Buttons, menus and modal submissions go through one listener each (see table.ts).
  const table = new ListenerTable();
  for (const [actionId, handler] of BUTTONS) table.action<BlockAction<ButtonAction>>(actionId, (args) => handler(deps, args));
  const menuDeps = { ...deps, updates: new ModalUpdates() };
  for (const actionId of MODAL_MENUS) table.action<BlockAction>(actionId, (args) => modalChoice(menuDeps, args));
  table.view(PROVISION_CALLBACK, (args) => provisionSubmission(deps, args));
  table.view(DOMAIN_CALLBACK, (args) => domainSubmission(deps, args));
  table.mount(app);
}
