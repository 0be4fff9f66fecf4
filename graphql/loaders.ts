// What a row read by the Drizzle plugin carries along, loaded for a row that came from elsewhere.
//
// Portal and CustomDomain read their small one-to-one and one-to-many parts (the add-ons, the host
// name) with the row itself, so their fields resolve straight from it. A row made by a mutation or
// read by core code has no such part: these load it, one statement per request for all such rows.
// The role assignments of the instances a request lists are loaded the same way, in one call.
import DataLoader from 'dataloader';
import { eq, inArray } from 'drizzle-orm';
import type { AddOn } from '../core/catalog.ts';
import { customDomains, hostnames, portalAddOns } from '../db/schema.ts';
import type { RoleAssignment } from '../platform/platform.ts';
import type { GraphQLContext } from './context.ts';

interface Loaders {
  addOns: DataLoader<number, AddOn[]>;
  hostname: DataLoader<number, string | undefined>;
  instanceRoles: DataLoader<string, RoleAssignment[]>;
}

const perRequest = new WeakMap<GraphQLContext, Loaders>();

function loadersOf(ctx: GraphQLContext): Loaders {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = {
      addOns: new DataLoader(async (portalIds) => {
        const rows = await ctx.db.select().from(portalAddOns).where(inArray(portalAddOns.portalId, [...portalIds]));
        return portalIds.map((id) => rows.filter((r) => r.portalId === id).map((r) => r.addOn));
      }),
      hostname: new DataLoader(async (domainIds) => {
        const rows = await ctx.db
          .select({ id: customDomains.id, name: hostnames.name })
          .from(customDomains)
          .innerJoin(hostnames, eq(hostnames.id, customDomains.hostnameId))
          .where(inArray(customDomains.id, [...domainIds]));
        return domainIds.map((id) => rows.find((r) => r.id === id)?.name);
      }),
      // The role assignments of every instance a request lists, in one platform call.
      instanceRoles: new DataLoader(async (instanceIds) => {
        const roles = await ctx.platform.listRoles({ instanceIds });
        return instanceIds.map((id) => roles.filter((r) => r.instanceId === id));
      }),
    };
    perRequest.set(ctx, loaders);
  }
  return loaders;
}

/** The add-ons of a portal row: those read with it, or loaded. */
export function addOnsOf(ctx: GraphQLContext, portal: { id: number; addOns?: ReadonlyArray<{ addOn: AddOn }> }): AddOn[] | Promise<AddOn[]> {
  return portal.addOns ? portal.addOns.map((a) => a.addOn) : loadersOf(ctx).addOns.load(portal.id);
}

/** The role assignments in one instance, loaded with those of the other instances of the request. */
export function instanceRoles(ctx: GraphQLContext, instanceId: string): Promise<RoleAssignment[]> {
  return loadersOf(ctx).instanceRoles.load(instanceId);
}

/** The host name of a custom domain row: the one read with it, or loaded. */
export function hostnameOf(ctx: GraphQLContext, domain: { id: number; hostname?: { name: string } }): string | Promise<string> {
  if (domain.hostname) return domain.hostname.name;
  return loadersOf(ctx)
    .hostname.load(domain.id)
    .then((name) => {
      if (name === undefined) throw new Error(`custom domain ${domain.id} has no host name`);
      return name;
    });
}
