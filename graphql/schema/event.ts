// The events table as a timeline: what happened to which portal, who did it and when.
import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { assertPage, decodeRowId } from '../ids.ts';
import { streamOwner } from '../stream-limits.ts';

const EventRef = builder.drizzleNode('events', {
  name: 'Event',
  description: 'Something that happened to a portal; the audit trail and the feed of updates.',
  id: { column: (event) => event.id },
  fields: (t) => ({
    sequence: t.exposeInt('id', { description: 'Increasing number of the event; resume a feed after it.' }),
    type: t.exposeString('type'),
    message: t.exposeString('message'),
    data: t.expose('data', { type: 'JSON' }),
    actor: t.exposeString('actor', { description: 'Who caused it: user:ID, service:NAME or system:NAME.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    portal: t.relation('portal', { nullable: true }),
  }),
});

builder.queryField('events', (t) =>
  t.drizzleConnection(
    {
      type: 'events',
      description: 'Events, oldest first; give portalId for the timeline of one portal.',
      args: { portalId: t.arg.id({ required: false, description: 'Global ID of a Portal.' }) },
      resolve: (query, _root, args, ctx) => {
        assertPage(args);
        // A portal ID that does not decode matches no event rather than all of them.
        const where = args.portalId ? { portalId: decodeRowId('Portal', args.portalId) ?? -1 } : {};
        return ctx.db.query.events.findMany(query({ where, orderBy: { id: 'asc' } }));
      },
    },
    { name: 'EventConnection' },
    { name: 'EventEdge' },
  ),
);

builder.subscriptionField('portalEvents', (t) =>
  t.field({
    type: EventRef,
    description: 'Events as they are written, oldest first. Pass the sequence of the last event you saw as after to get what you missed; leave portalId out for every portal.',
    args: {
      portalId: t.arg.id({ required: false, description: 'Global ID of a Portal.' }),
      after: t.arg.int({ required: false, description: 'Sequence of the last event already seen.' }),
    },
    subscribe: async (_root, args, ctx, info) => {
      const portalId = args.portalId != null ? decodeRowId('Portal', args.portalId) : undefined;
      if (args.portalId != null && portalId === undefined) {
        throw new GraphQLError('portalId is not the ID of a portal.', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      // A feed of a portal that does not exist would stay silent for ever: say so instead.
      if (portalId !== undefined && !(await ctx.db.query.portals.findFirst({ where: { id: portalId }, columns: { id: true } }))) {
        throw new GraphQLError('No portal has this ID.', { extensions: { code: 'NOT_FOUND' } });
      }
      const signal = (info as unknown as { signal?: AbortSignal }).signal ?? ctx.request?.signal;
      const release = ctx.streams.acquire(streamOwner(ctx.request, ctx.actor));
      return ctx.streams.hold(ctx.feed.follow({ afterId: args.after ?? 0, portalId, signal }), release, signal);
    },
    resolve: (event) => event,
  }),
);
