// Who the API sees: the directory user behind the token or Slack user, or a service.
import type { Actor } from '../../core/actor.ts';
import { builder } from '../builder.ts';
import { DirectoryUserRef } from './directory.ts';

const ViewerKind = builder.enumType('ViewerKind', { values: ['USER', 'SERVICE'] as const });

const Viewer = builder.objectRef<Actor>('Viewer').implement({
  fields: (t) => ({
    kind: t.field({ type: ViewerKind, resolve: (a) => (a.kind === 'user' ? 'USER' : 'SERVICE') }),
    name: t.string({ resolve: (a) => (a.kind === 'user' ? a.user.displayName : a.name) }),
    scopes: t.stringList({ resolve: (a) => [...a.scopes] }),
    user: t.field({ type: DirectoryUserRef, nullable: true, resolve: (a) => (a.kind === 'user' ? a.user : null) }),
    isGlobalAdministrator: t.boolean({ resolve: (a) => a.kind === 'user' && a.user.globalAdministrator }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: Viewer, resolve: (_root, _args, ctx) => ctx.actor }));
