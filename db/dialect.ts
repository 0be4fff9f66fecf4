// Which database a Drizzle client talks to, and the tables to build its queries on. The stores are
// written once: they take the tables of the database they were given, typed as SQLite's (the row types
// come from db/schema.ts), and differ by dialect only where the SQL must (claims, hand-written reads).
import { is } from 'drizzle-orm';
import { PgAsyncDatabase } from 'drizzle-orm/pg-core';
import type { Db, Transaction } from './client.ts';
import * as sqliteSchema from './schema.ts';
import * as pgSchema from './schema-pg.ts';

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(db: Db | Transaction): Dialect {
  return is(db, PgAsyncDatabase) ? 'postgres' : 'sqlite';
}

/** The product's tables in `db`'s dialect, typed as the SQLite ones (their twins have the same columns). */
export function tablesOf(db: Db | Transaction): typeof sqliteSchema {
  return dialectOf(db) === 'postgres' ? (pgSchema as unknown as typeof sqliteSchema) : sqliteSchema;
}

/** One of two twins, by `db`'s dialect: for the tables of a layer above (the simulator's, the sign-in's). */
export function twinOf<T>(db: Db | Transaction, sqlite: T, postgres: unknown): T {
  return dialectOf(db) === 'postgres' ? (postgres as T) : sqlite;
}

/**
 * The rows a claim picks, locked for this transaction, passing over rows another replica is claiming
 * right now (PostgreSQL's FOR UPDATE SKIP LOCKED). SQLite runs the claim's one UPDATE alone: as it is.
 */
export function skippingLocked<Q>(db: Db | Transaction, query: Q): Q {
  if (dialectOf(db) === 'sqlite') return query;
  return (query as unknown as { for(strength: 'update', config: { skipLocked: boolean }): Q }).for('update', { skipLocked: true });
}
