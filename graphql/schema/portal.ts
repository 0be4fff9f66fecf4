// Portals: the node, the list and the lookups, and the mutations that create and rename them.

import { resolveCursorConnection } from '@pothos/plugin-relay';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { Problems } from '../../core/errors.ts';
import { allowedActions } from '../../core/lifecycle.ts';
import { countPortals, listPortalPage, type PortalColumn, type PortalFilter } from '../../core/portal-reads.ts';
import { renamePortal, requestPortal, setPortalNotifyChannel } from '../../core/portals.ts';
import { displayName, statusMessage, urlServes } from '../../core/status.ts';
import { portalUrl } from '../../core/urls.ts';
import { type PortalRow, portals } from '../../db/schema.ts';
import { type AddOn, featuresOf } from '../../vocabulary/catalog.ts';
import { type FieldWarning, languageWarning } from '../../vocabulary/languages.ts';
import type { PortalStatus } from '../../vocabulary/statuses.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { assertPage, cursorId, decodeIdOf, decodeRowId, idCursor, PAGE_SIZE, rowIdFrom } from '../ids.ts';
import { addOnsOf, DOMAIN_COLUMNS, DOMAIN_FIELD_NEEDS } from '../loaders.ts';
import { columnsFor, nodeFieldsOf, subfieldsOf } from '../selection.ts';
import { DirectoryUserRef, InstanceRef } from './directory.ts';
import { AddOnEnum, AudienceEnum, LicenseTypeEnum, PackageStatusEnum, PortalActionEnum, PortalStatusEnum, PortalTypeEnum, ResourceStatusEnum } from './enums.ts';
import { MUTATION_ERRORS } from './errors.ts';

export const PortalRef = builder.drizzleNode('portals', {
  name: 'Portal',
  description: 'A customer-facing portal linked to a Dynamics 365 instance.',
  id: { column: (portal) => portal.id },
  // Every column is read (the row is small), so no field carries a select of its own: a field with one
  // costs each row a check of what was loaded, and a row from the list (which is not read through the
  // Drizzle plugin) a second read. The list reads the add-ons and the custom domain with the row; for a
  // row from anywhere else the addOns and customDomain fields load them, one statement for all rows.
  fields: (t) => ({
    name: t.string({ resolve: (p) => p.name }),
    displayName: t.string({
      description: 'The name as the admin center shows it: Name, Name-Configuring or Name-Provisioning Failed.',
      resolve: (p) => displayName(p.name, p.status),
    }),
    status: t.field({ type: PortalStatusEnum, resolve: (p) => p.status }),
    type: t.expose('type', { type: LicenseTypeEnum, description: 'Trial or production: set from the license the portal holds.' }),
    subdomain: t.string({ resolve: (p) => p.subdomain }),
    url: t.string({
      resolve: (p, _args, ctx) => portalUrl(p.subdomain, ctx.portalDomain),
    }),
    language: t.exposeString('language', { description: 'Language code of the portal and its sample data.' }),
    audience: t.expose('audience', { type: AudienceEnum }),
    portalType: t.field({ type: PortalTypeEnum, resolve: (p) => p.portalType }),
    addOns: t.field({
      type: [AddOnEnum],
      // Read with the row, unless the row came from a mutation or core code.
      resolve: (p, _args, ctx) => addOnsOf(ctx, p),
    }),
    features: t.stringList({
      resolve: (p) => [...featuresOf(p.portalType)],
    }),
    instance: t.field({
      type: InstanceRef,
      nullable: true,
      resolve: (p) => p.instanceId,
    }),
    administrator: t.field({
      type: DirectoryUserRef,
      nullable: true,
      resolve: (p) => p.administratorId,
    }),
    notifyChannel: t.exposeString('notifyChannel', { nullable: true }),
    requestedBy: t.field({
      type: DirectoryUserRef,
      nullable: true,
      resolve: (p) => p.requestedBy,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

// Where the portal stands: what may be done with it, what the admin center and its URL show, and the
// steps of its provisioning.
builder.drizzleObjectFields(PortalRef, (t) => ({
  allowedActions: t.field({
    type: [PortalActionEnum],
    description: 'What may be asked of the portal now.',
    resolve: (p) => allowedActions(p),
  }),
  statusMessage: t.string({
    nullable: true,
    description: "The admin center's banner for the portal's state, when it has one.",
    resolve: (p) => statusMessage(p),
  }),
  urlServes: t.string({
    nullable: true,
    description: 'What the portal URL answers now: nothing before it exists, "Getting set up." until the package is installed.',
    resolve: (p) => urlServes(p),
  }),
  lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last provisioning step failed.' }),
  attempt: t.exposeInt('attempt', { description: 'Provisioning attempts so far (restarts add one).' }),
  termsVersion: t.exposeString('termsVersion', { nullable: true }),
  termsAcceptedAt: t.expose('termsAcceptedAt', { type: 'DateTime', nullable: true }),
  termsAcceptedBy: t.field({
    type: DirectoryUserRef,
    nullable: true,
    resolve: (p) => p.termsAcceptedBy,
  }),
  consentGrantedAt: t.expose('consentGrantedAt', { type: 'DateTime', nullable: true }),
  provisionedAt: t.expose('provisionedAt', { type: 'DateTime', nullable: true }),
  resourceStatus: t.expose('resourceStatus', { type: ResourceStatusEnum, nullable: true }),
  packageStatus: t.expose('packageStatus', { type: PackageStatusEnum, nullable: true }),
}));

/** The columns of the portals table, and what each Portal field that is not one of them reads. */
const PORTAL_COLUMNS = Object.keys(getTableColumns(portals)) as PortalColumn[];
const PORTAL_FIELD_NEEDS: Partial<Record<string, readonly PortalColumn[]>> = {
  id: [],
  __typename: [],
  displayName: ['name', 'status'],
  url: ['subdomain'],
  addOns: [],
  customDomain: [],
  features: ['portalType'],
  instance: ['instanceId'],
  administrator: ['administratorId'],
  allowedActions: ['status', 'resourceStatus', 'packageStatus'],
  statusMessage: ['status', 'resourceStatus', 'packageStatus'],
  urlServes: ['name', 'resourceStatus', 'packageStatus'],
};

/** The narrowing of the portals list. An instance ID that does not decode matches no portal, not all. */
function portalFilter(args: { status?: PortalStatus | null; instanceId?: string | number | null; mine?: boolean | null }, ctx: GraphQLContext): PortalFilter {
  return {
    ...(args.status ? { status: args.status } : {}),
    ...(args.instanceId ? { instanceId: decodeIdOf('Instance', args.instanceId) ?? '' } : {}),
    ...(args.mine ? { requestedBy: ctx.actor.kind === 'user' ? ctx.actor.user.id : '' } : {}),
  };
}

builder.queryFields((t) => ({
  // The hottest read of the API: one prepared statement per shape of page reads each portal with its
  // add-ons and custom domain (db/portal-store.ts), and every Portal field resolves from that row.
  portals: t.connection(
    {
      type: PortalRef,
      description: 'Portals, oldest first, optionally narrowed by status or instance.',
      args: {
        status: t.arg({ type: PortalStatusEnum, required: false }),
        instanceId: t.arg.id({ required: false, description: 'Global ID of an Instance.' }),
        mine: t.arg.boolean({ required: false, description: 'Only the portals the viewer requested.' }),
      },
      resolve: async (_root, args, ctx, info) => {
        assertPage(args);
        const filter = portalFilter(args, ctx);
        const asked = nodeFieldsOf(info);
        const domain = asked.get('customDomain');
        const read = {
          portal: columnsFor(asked.keys(), PORTAL_COLUMNS, PORTAL_FIELD_NEEDS),
          addOns: asked.has('addOns'),
          domain: domain ? columnsFor(subfieldsOf(info, domain).keys(), DOMAIN_COLUMNS, DOMAIN_FIELD_NEEDS) : null,
        };
        const page = ({ after, before, limit, inverted }: { after?: string; before?: string; limit: number; inverted: boolean }) =>
          listPortalPage(ctx.db, { ...filter, afterId: cursorId(after), beforeId: cursorId(before), limit, descending: inverted }, read);
        const connection = await resolveCursorConnection({ args, toCursor: (portal) => idCursor(portal.id), defaultSize: PAGE_SIZE.default, maxSize: PAGE_SIZE.max }, page);
        const found = connection as NonNullable<typeof connection>;
        // An empty page has no cursors (the helper would answer the cursor it was given, or "").
        if (found.edges.length === 0) found.pageInfo = { ...found.pageInfo, startCursor: null, endCursor: null };
        return Object.assign(found, { filter }) as never;
      },
    },
    {
      name: 'PortalConnection',
      fields: (c) => ({
        totalCount: c.int({ resolve: (connection, _args, ctx) => countPortals(ctx.db, (connection as unknown as { filter: PortalFilter }).filter) }),
      }),
    },
    { name: 'PortalEdge' },
  ),
  portal: t.drizzleField({
    type: 'portals',
    nullable: true,
    description: 'One portal, by global ID or by subdomain.',
    args: { id: t.arg.id({ required: false }), subdomain: t.arg.string({ required: false }) },
    resolve: (query, _root, args, ctx) => {
      if (args.id) {
        const id = decodeRowId('Portal', args.id);
        if (id === undefined) return null;
        return ctx.db.query.portals.findFirst(query({ where: { id } })).then((p) => p ?? null);
      }
      if (args.subdomain) {
        const subdomain = args.subdomain.trim().toLowerCase().slice(0, 64);
        // Only a DNS label can be a portal's: anything else (a NUL, which PostgreSQL refuses in text) finds nothing.
        if (!/^[a-z0-9-]+$/.test(subdomain)) return null;
        return ctx.db.query.portals.findFirst(query({ where: { RAW: (p) => and(eq(sql`lower(${p.subdomain})`, subdomain)) ?? sql`0` } })).then((p) => p ?? null);
      }
      return null;
    },
  }),
}));

const RequestPortalInput = builder.inputType('RequestPortalInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    subdomain: t.string({ required: true, description: 'One DNS label: letters, digits and hyphens.' }),
    instanceId: t.id({ required: true, description: 'Global ID of an Instance.' }),
    language: t.string({ required: true, description: 'Language code, for example en-US.' }),
    administratorId: t.id({ required: true, description: 'Global ID of a DirectoryUser.' }),
    audience: t.field({ type: AudienceEnum, required: true }),
    portalType: t.field({ type: PortalTypeEnum, required: true }),
    addOns: t.field({ type: [AddOnEnum], required: false }),
    notifyChannel: t.string({ required: false, description: "Slack channel ID that follows the portal's progress." }),
  }),
});

const SetPortalNotifyChannelInput = builder.inputType('SetPortalNotifyChannelInput', {
  fields: (t) => ({
    portalId: t.id({ required: true }),
    notifyChannel: t.string({ required: true, description: "Slack channel ID that follows the portal's progress from now on." }),
  }),
});

const RenamePortalInput = builder.inputType('RenamePortalInput', {
  fields: (t) => ({
    portalId: t.id({ required: true }),
    name: t.string({ required: true }),
  }),
});

/**
 * A portal row from core, as the Portal type takes it. Such a row has no add-ons nor custom domain read
 * with it, as rows the Drizzle plugin reads do; the addOns and customDomain fields load them for it
 * (see addOnsOf and customDomainOf).
 */
export function portalFromCore(row: PortalRow) {
  return row as PortalRow & { addOns: Array<{ addOn: AddOn }>; customDomain: never };
}

const PortalWarningRef = builder.objectRef<FieldWarning>('PortalWarning').implement({
  description: 'A value that was accepted but will make provisioning fail unless something changes first.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field the warning is about, such as language.' }),
    message: t.exposeString('message'),
  }),
});

export const PortalPayload = builder.objectRef<{ portal: PortalRow }>('PortalPayload').implement({
  fields: (t) => ({
    portal: t.field({ type: PortalRef, resolve: (payload) => portalFromCore(payload.portal) }),
    warnings: t.field({
      type: [PortalWarningRef],
      description: 'What will make provisioning fail as the portal stands (empty once its package is installed).',
      resolve: async ({ portal }, _args, ctx) => {
        if (portal.packageStatus === 'INSTALLED') return [];
        const instance = await InstanceRef.getDataloader(ctx)
          .load(portal.instanceId)
          .catch(() => undefined);
        const warning = instance ? languageWarning(instance, portal.language) : undefined;
        return warning ? [warning] : [];
      },
    }),
  }),
});

builder.mutationFields((t) => ({
  requestPortal: t.field({
    type: PortalPayload,
    description: 'Asks for a new portal. It waits for its requester to accept the terms of service, holding a license.',
    args: { input: t.arg({ type: RequestPortalInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      // An ID that does not decode is passed on empty, so core reports it with every other problem.
      const portal = await requestPortal(ctx, ctx.actor, {
        ...input,
        instanceId: decodeIdOf('Instance', input.instanceId) ?? '',
        administratorId: decodeIdOf('DirectoryUser', input.administratorId) ?? '',
      });
      return { portal };
    },
  }),
  renamePortal: t.field({
    type: PortalPayload,
    args: { input: t.arg({ type: RenamePortalInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const problems = new Problems();
      const id = rowIdFrom('Portal', input.portalId, 'portalId', problems);
      problems.throwIfAny();
      return { portal: await renamePortal(ctx, ctx.actor, id, input.name) };
    },
  }),
  setPortalNotifyChannel: t.field({
    type: PortalPayload,
    description: "Moves the portal's Slack updates to another channel (a direct message, say).",
    args: { input: t.arg({ type: SetPortalNotifyChannelInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const problems = new Problems();
      const id = rowIdFrom('Portal', input.portalId, 'portalId', problems);
      problems.throwIfAny();
      return { portal: await setPortalNotifyChannel(ctx, ctx.actor, id, input.notifyChannel) };
    },
  }),
}));
