import type { App } from '@slack/bolt';
import type { BotDeps } from '../context.ts';
import { registerActions } from './actions.ts';
import { registerCommands } from './commands.ts';
import { registerDomainListeners } from './domains.ts';
import { registerEvents } from './events.ts';
import { registerViews } from './views.ts';

export function registerListeners(app: App, deps: BotDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  registerDomainListeners(app, deps);
}
