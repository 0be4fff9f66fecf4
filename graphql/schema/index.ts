import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../builder.ts';
import './scalars.ts';
import './errors.ts';
import './enums.ts';
import './catalog.ts';
import './directory.ts';
import './portal.ts';
import './lifecycle.ts';
import './domain.ts';
import './event.ts';
import './viewer.ts';
import './token.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = builder.toSchema();

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
