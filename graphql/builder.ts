// The Pothos builder with every plugin in one place.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { relations } from '../db/relations.ts';
import type { GraphQLContext } from './context.ts';
import { isRowIdOfNothing, nothingHasThisId, PAGE_SIZE } from './ids.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DrizzleRelations: typeof relations;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin, DrizzlePlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: true,
    firstArgOptions: { description: `How many items after "after" (${PAGE_SIZE.default} unless given, at most ${PAGE_SIZE.max}); not with "last".` },
    lastArgOptions: { description: `How many items before "before" (at most ${PAGE_SIZE.max}); not with "first".` },
    // An ID that cannot be a row's is answered as one of nothing before any SQL is built from it.
    nodeQueryOptions: {
      resolve: (_root, args, _ctx, _info, resolveNode) => (isRowIdOfNothing(args.id) ? Promise.reject(nothingHasThisId()) : resolveNode(args.id)),
    },
    nodesQueryOptions: {
      resolve: async (_root, args, _ctx, _info, resolveNodes) => {
        const nothing = args.ids.map(isRowIdOfNothing);
        if (!nothing.includes(true)) return resolveNodes(args.ids);
        // Those are left out of the lookup (the plugin reads args.ids, so they are taken out there too).
        const kept = args.ids.map((id, i) => (nothing[i] ? null : id)) as typeof args.ids;
        args.ids.splice(0, args.ids.length, ...kept);
        const found = await resolveNodes(kept);
        return found.map((node, i) => (nothing[i] ? nothingHasThisId() : node));
      },
    },
  },
  drizzle: {
    client: (ctx) => ctx.db,
    getTableConfig,
    relations,
    maxConnectionSize: PAGE_SIZE.max,
    defaultConnectionSize: PAGE_SIZE.default,
  },
  errors: {
    defaultTypes: [],
    // A mutation answers its payload or one of its typed errors, side by side in one union.
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
});
