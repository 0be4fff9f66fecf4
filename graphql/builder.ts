// The Pothos builder with every plugin in one place.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { relations } from '../db/relations.ts';
import type { GraphQLContext } from './context.ts';
import { PAGE_SIZE } from './ids.ts';

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
