// The tenant as the platform reports it: directory users, Dynamics 365 instances and licenses.

import { countHeldLicenses } from '../../core/portal-reads.ts';
import { canSelectInstance } from '../../core/portals.ts';
import type { DirectoryUser, Instance, License, RoleAssignment } from '../../platform/platform.ts';
import { findLanguage, type Language, offerableLanguages } from '../../vocabulary/languages.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { memo } from '../ids.ts';
import { instanceAdministrators } from '../loaders.ts';
import { LanguageRef } from './catalog.ts';
import { InstanceRoleEnum, LicenseTypeEnum } from './enums.ts';

export const DirectoryUserRef = builder.loadableNode('DirectoryUser', {
  description: 'A user of the tenant directory.',
  id: { resolve: (user: DirectoryUser) => user.id },
  load: (ids: string[], ctx: GraphQLContext) => ctx.platform.getUsers(ids),
  sort: (user) => user.id,
  fields: (t) => ({
    email: t.exposeString('email'),
    displayName: t.exposeString('displayName'),
    globalAdministrator: t.exposeBoolean('globalAdministrator', { description: 'Holds the Global Administrator tenant role.' }),
  }),
});

/** The signed-in user's roles in every instance, loaded once per request. */
export function viewerRoles(ctx: GraphQLContext): Promise<RoleAssignment[]> {
  const actor = ctx.actor;
  if (actor.kind !== 'user') return Promise.resolve([]);
  return memo(ctx, 'viewerRoles', () => ctx.platform.listRoles({ userId: actor.user.id }));
}

export const InstanceRef = builder.loadableNode('Instance', {
  description: 'A Dynamics 365 instance a portal can be linked to.',
  id: { resolve: (instance: Instance) => instance.id },
  load: (ids: string[], ctx: GraphQLContext) => ctx.platform.getInstances(ids),
  sort: (instance) => instance.id,
  fields: (t) => ({
    name: t.exposeString('name'),
    url: t.exposeString('url'),
    baseLanguage: t.field({
      type: LanguageRef,
      nullable: true,
      description: 'The default language; the portal package installs only in it.',
      resolve: (i) => findLanguage(i.baseLanguage),
    }),
    languages: t.field({
      type: [LanguageRef],
      description: 'Languages a portal in this instance may use: installed here, Arabic and Hebrew left out.',
      resolve: (i): Language[] => offerableLanguages(i.languages),
    }),
    installedSolutions: t.stringList({ resolve: (i) => i.solutions }),
    eligibleAdministrators: t.field({
      type: [DirectoryUserRef],
      description: 'Users who hold System Administrator here: the choices for portal administrator.',
      resolve: (i, _args, ctx) => instanceAdministrators(ctx, i.id),
    }),
    viewerRoles: t.field({
      type: [InstanceRoleEnum],
      description: "The signed-in user's roles in this instance.",
      resolve: async (i, _args, ctx) => (await viewerRoles(ctx)).filter((r) => r.instanceId === i.id).map((r) => r.role),
    }),
    viewerCanSelect: t.boolean({
      description: 'Whether the signed-in user may link a portal to this instance (System Administrator or Customizer).',
      resolve: async (i, _args, ctx) => canSelectInstance((await viewerRoles(ctx)).filter((r) => r.instanceId === i.id).map((r) => r.role)),
    }),
  }),
});

interface LicenseUsage extends License {
  used: number;
}

const LicenseRef = builder.objectRef<LicenseUsage>('License').implement({
  description: 'A Portal Add-On license; each portal holds one seat from request until it is declined.',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    type: t.field({ type: LicenseTypeEnum, resolve: (l) => l.type }),
    quantity: t.exposeInt('quantity'),
    used: t.exposeInt('used'),
    available: t.int({ resolve: (l) => Math.max(0, l.quantity - l.used) }),
  }),
});

builder.queryFields((t) => ({
  instances: t.field({
    type: [InstanceRef],
    args: {
      selectableOnly: t.arg.boolean({
        description: 'Only the instances the signed-in user may link a portal to.',
        defaultValue: false,
      }),
    },
    resolve: async (_root, args, ctx) => {
      const instances = await ctx.platform.listInstances();
      if (!args.selectableOnly) return instances;
      const roles = await viewerRoles(ctx);
      return instances.filter((i) => canSelectInstance(roles.filter((r) => r.instanceId === i.id).map((r) => r.role)));
    },
  }),
  licenses: t.field({
    type: [LicenseRef],
    resolve: async (_root, _args, ctx) => {
      const [licenses, held] = await Promise.all([ctx.platform.listLicenses(), countHeldLicenses(ctx.db)]);
      return licenses.map((l) => ({ ...l, used: held.get(l.id) ?? 0 }));
    },
  }),
}));
