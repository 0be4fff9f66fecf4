// The Drizzle client GraphQL resolvers use: the same SQLite connection, logger and relations as the
// application's, with the one thing a read API repeats on every request done once.
//
// Statements are kept prepared. Drizzle prepares each query's SQL afresh every time it runs,
// which costs more than running it; the GraphQL layer issues a few query shapes over and over,
// so the compiled statements are kept, keyed by their SQL, the least recently used dropped first.
//
// (Drizzle's `jit` row mappers do not help here: they are generated anew for every query built.)
//
// Sharing the connection keeps transactions, locks and what a statement sees exactly as before.
import type { Database, Statement } from 'better-sqlite3';
import type { Logger } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Db } from '../db/client.ts';
import { relations } from '../db/relations.ts';

/** Distinct statements kept; a client can make many shapes of query, so this is a bound, not a goal. */
export const STATEMENT_CACHE_SIZE = 256;

/** `client` with `prepare` answered from a cache of statements by SQL text. */
export function cachingClient(client: Database, size = STATEMENT_CACHE_SIZE): Database {
  const statements = new Map<string, Statement>();
  const prepare = (source: string): Statement => {
    const kept = statements.get(source);
    // A statement being iterated cannot run again until it is done: that caller gets its own.
    if (kept && !kept.busy) {
      // Most recently used last, so the first key is the one to drop.
      statements.delete(source);
      statements.set(source, kept);
      // Modes are sticky on a statement; Drizzle turns raw on for some queries and assumes it off.
      if (kept.reader) kept.raw(false);
      return kept;
    }
    const statement = client.prepare(source);
    if (!kept) {
      statements.set(source, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value as string);
    }
    return statement;
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      // better-sqlite3's methods are native and must be called on the real database object.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The GraphQL layer's Drizzle client over `db`'s connection, reporting statements to the same logger. */
export function graphqlDatabase(db: Db): Db {
  const session = db._.session as unknown as { logger?: Logger };
  return drizzle({
    client: cachingClient(db.$client),
    relations,
    ...(session.logger ? { logger: session.logger } : {}),
  }) as unknown as Db;
}
