// App Home: the user's portals with their state and what can be done now.
import type { App } from '@slack/bolt';
import { homeView } from '../blocks/messages.ts';
import { type BotDeps, errorText } from '../context.ts';
import { PortalListQuery } from '../operations.ts';

export function registerEvents(app: App, deps: BotDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      const data = await deps.api.run({ slackUserId: event.user }, PortalListQuery, { mine: true });
      await client.views.publish({ user_id: event.user, view: homeView(data.portals.nodes) });
    } catch (error) {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: errorText(deps, error) } }] },
      });
    }
  });
}
