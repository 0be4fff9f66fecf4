import type { App } from '@slack/bolt';
import type { BotDeps } from '../context.ts';
import { registerActions } from './actions.ts';
import { registerCommands } from './commands.ts';
import { registerDomainListeners } from './domains.ts';
import { registerEvents } from './events.ts';
import { registerViews } from './views.ts';
import { ListenerTable } from './table.ts';

export function registerListeners(app: App, deps: BotDeps): void {
  registerCommands(app, deps);
  registerEvents(app, deps);
  // Buttons, menus and modal submissions go through one listener each (see table.ts).
  const table = new ListenerTable();
  registerActions(table, deps);
  registerViews(table, deps);
  registerDomainListeners(table, deps);
  table.mount(app);
}
