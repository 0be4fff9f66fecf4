// The SQLite schemas and their PostgreSQL twins describe the same tables: the same columns with the
// same meaning, keys, indexes and constraints; and the migrations of each database make those tables.
import { getTableName, is, type Table } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as lite from '../db/schema.ts';
import * as pgs from '../db/schema-pg.ts';
import * as simLite from '../platform/local/schema.ts';
import * as simPg from '../platform/local/schema-pg.ts';
import * as signInLite from '../platform/powerplatform/schema.ts';
import * as signInPg from '../platform/powerplatform/schema-pg.ts';
import { createTestDatabase, underTest } from './support/databases.ts';

type AnyConfig = ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>;

/** What a column holds, in words both dialects share. */
function kindOf(column: { columnType: string; getSQLType(): string; config?: unknown }): string {
  const type = column.getSQLType().toLowerCase();
  const name = column.columnType;
  if (name === 'SQLiteTimestamp' || (name === 'PgCustomColumn' && type === 'bigint')) return 'instant';
  if (name === 'SQLiteTextJson' || type === 'jsonb') return 'json';
  if (name === 'SQLiteBoolean' || type === 'boolean') return 'boolean';
  if (type === 'integer') return 'integer';
  if (type === 'text') return 'text';
  return `other:${name}:${type}`;
}

function describeTable(config: AnyConfig) {
  // An index is on columns (by name) or on an expression (its text, with the columns it names).
  const sqlOf = (part: unknown): string => {
    const chunks = (part as { queryChunks?: unknown[] }).queryChunks;
    if (!chunks) return (part as { name: string }).name;
    return chunks
      .map((chunk) => {
        const value = (chunk as { value?: unknown }).value;
        if (Array.isArray(value)) return value.join('');
        return (chunk as { name?: string }).name ?? '';
      })
      .join('');
  };
  return {
    columns: config.columns
      // SQLite gives an integer primary key a value by itself (the rowid), PostgreSQL an identity column.
      .map((c) => ({
        name: c.name,
        kind: kindOf(c as never),
        notNull: c.notNull,
        primary: c.primary,
        hasDefault: c.primary ? 'a key' : c.hasDefault,
        unique: c.isUnique,
        enum: c.enumValues ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes
      .map((i) => ({ name: i.config.name, unique: Boolean(i.config.unique), on: (i.config.columns as unknown[]).map(sqlOf) }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          to: ref.foreignColumns.map((c) => `${getTableName((c as unknown as { table: Table }).table)}.${c.name}`),
          onDelete: fk.onDelete ?? 'no action',
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    checks: config.checks.map((c) => c.name).sort(),
  };
}

function tablesOf(module: Record<string, unknown>, dialect: 'sqlite' | 'postgres') {
  const found = new Map<string, ReturnType<typeof describeTable>>();
  for (const value of Object.values(module)) {
    if (dialect === 'sqlite' && is(value, SQLiteTable)) {
      const config = sqliteTableConfig(value);
      found.set(config.name, describeTable(config));
    }
    if (dialect === 'postgres' && is(value, PgTable)) {
      const config = pgTableConfig(value);
      found.set(config.name, describeTable(config));
    }
  }
  return found;
}

describe('the two schemas', () => {
  it.each([
    ['the product', lite, pgs],
    ['the simulator', simLite, simPg],
    ['the Power Platform sign-in', signInLite, signInPg],
  ] as const)('%s: the same tables, columns, keys, indexes and constraints', (_name, sqlite, postgres) => {
    const liteTables = tablesOf(sqlite, 'sqlite');
    const pgTables = tablesOf(postgres, 'postgres');
    expect(liteTables.size).toBeGreaterThan(0);
    expect([...pgTables.keys()].sort()).toEqual([...liteTables.keys()].sort());
    for (const [name, table] of liteTables) expect({ name, ...pgTables.get(name) }).toEqual({ name, ...table });
  });

  // Run with the PostgreSQL run (SQLite needs no server): both databases are made here.
  if (underTest('postgres'))
    it('each database, migrated, holds the same tables and columns', async () => {
      const [sqlite, postgres] = [await createTestDatabase('sqlite'), await createTestDatabase('postgres')];
      try {
        const liteDb = await sqlite.open();
        const pgDb = await postgres.open();
        const liteColumns = liteDb.$client
          .prepare(
            "select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like '__drizzle%'",
          )
          .all() as Array<{ t: string; c: string }>;
        const pgColumns = (
          await (pgDb as unknown as { $client: { query(text: string): Promise<{ rows: Array<{ t: string; c: string }> }> } }).$client.query(
            "select table_name as t, column_name as c from information_schema.columns where table_schema = 'public'",
          )
        ).rows;
        const sorted = (rows: Array<{ t: string; c: string }>) => rows.map((r) => `${r.t}.${r.c}`).sort();
        expect(sorted(pgColumns)).toEqual(sorted(liteColumns));
      } finally {
        await sqlite.drop();
        await postgres.drop();
      }
    });
});
