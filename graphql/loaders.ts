// What a row read by the Drizzle plugin carries along, loaded for a row that came from elsewhere.
//
// Portal and CustomDomain read their small one-to-one and one-to-many parts (the add-ons, the host
// name) with the row itself, so their fields resolve straight from it. A row made by a mutation or
// read by core code has no such part: these load it, one statement per request for all such rows.
// The role assignments of the instances a request lists are loaded the same way, in one call.
import DataLoader from 'dataloader';
import { getTableColumns } from 'drizzle-orm';
import { type DomainColumn, listAddOnsOf, listDomainsOf, listHostnamesOf } from '../core/portal-reads.ts';
import { type CustomDomainRow, customDomains } from '../db/schema.ts';
import type { DirectoryUser } from '../platform/platform.ts';
import type { AddOn } from '../vocabulary/catalog.ts';
import type { GraphQLContext } from './context.ts';

/**
 * What is read of a custom domain wherever the Drizzle plugin reads one: every column the
 * CustomDomain type serves, and the host name, so its fields resolve straight from the row.
 */
export const DOMAIN_SELECT = {
  columns: {
    id: true,
    portalId: true,
    certificateId: true,
    status: true,
    cnameTarget: true,
    checks: true,
    lastCheckAt: true,
    lastCheckState: true,
    lastCheckReason: true,
    pointsTo: true,
    nextCheckAt: true,
    configuredAt: true,
    lastError: true,
  },
  with: { hostname: { columns: { name: true } } },
} as const;

/** The columns of the custom domains table, and what each CustomDomain field that is not one of them reads (the portals list reads by these). */
export const DOMAIN_COLUMNS = Object.keys(getTableColumns(customDomains)) as DomainColumn[];
export const DOMAIN_FIELD_NEEDS: Partial<Record<string, readonly DomainColumn[]>> = {
  id: [],
  __typename: [],
  hostname: [],
  url: [],
  cnameRecord: ['cnameTarget'],
  message: ['status'],
  certificate: ['certificateId'],
  portal: ['portalId'],
};

interface Loaders {
  addOns: DataLoader<number, AddOn[]>;
  customDomain: DataLoader<number, (CustomDomainRow & { hostname: { name: string } }) | null>;
  hostname: DataLoader<number, string | undefined>;
  instanceAdministrators: DataLoader<string, DirectoryUser[]>;
}

const perRequest = new WeakMap<GraphQLContext, Loaders>();

function loadersOf(ctx: GraphQLContext): Loaders {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = {
      addOns: new DataLoader(async (portalIds) => {
        const found = await listAddOnsOf(ctx.db, portalIds);
        return portalIds.map((id) => found.get(id) ?? []);
      }),
      // With its host name, so the domain's fields need no second read.
      customDomain: new DataLoader(async (portalIds) => {
        const found = await listDomainsOf(ctx.db, portalIds);
        return portalIds.map((id) => found.get(id) ?? null);
      }),
      hostname: new DataLoader(async (domainIds) => {
        const found = await listHostnamesOf(ctx.db, domainIds);
        return domainIds.map((id) => found.get(id));
      }),
      // The System Administrators of every instance a request lists, users and all, in one platform call.
      instanceAdministrators: new DataLoader(async (instanceIds) => {
        const holders = await ctx.platform.listRoleHolders(instanceIds, 'SYSTEM_ADMINISTRATOR');
        return instanceIds.map((id) => holders.filter((h) => h.instanceId === id).map((h) => h.user));
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

/** The custom domain of a portal row, with its host name: the one read with it (or null: it has none), or loaded. */
export function customDomainOf<D>(ctx: GraphQLContext, portal: { id: number; customDomain?: D | null }): D | null | Promise<D | null> {
  if (portal.customDomain !== undefined) return portal.customDomain;
  return loadersOf(ctx).customDomain.load(portal.id) as Promise<D | null>;
}

/** The System Administrators of one instance, loaded with those of the other instances of the request. */
export function instanceAdministrators(ctx: GraphQLContext, instanceId: string): Promise<DirectoryUser[]> {
  return loadersOf(ctx).instanceAdministrators.load(instanceId);
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
