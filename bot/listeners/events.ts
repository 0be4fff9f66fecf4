// App Home: the user's portals with their state and what can be done now.
import type { App } from '@slack/bolt';
import { homeView } from '../blocks/messages.ts';
import { type BotDeps, errorText } from '../context.ts';
import { PortalListQuery, TermsQuery } from '../operations.ts';

/** Draws a user's App Home: their portals, with the terms to answer on those that wait for them. */
export async function publishHome(deps: BotDeps, client: App['client'], user: string): Promise<void> {
  try {
    const caller = { slackUserId: user };
    const data = await deps.api.run(caller, PortalListQuery, { mine: true });
    const waiting = data.portals.nodes.some((p) => p.status === 'AWAITING_TERMS');
    const terms = waiting ? (await deps.api.run(caller, TermsQuery)).termsOfService : undefined;
    await client.views.publish({ user_id: user, view: homeView(data.portals.nodes, terms ? { requester: user, version: terms.version } : undefined) });
  } catch (error) {
    await client.views.publish({
      user_id: user,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: errorText(deps, error) } }] },
    });
  }
}

export function registerEvents(app: App, deps: BotDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user);
  });
}
