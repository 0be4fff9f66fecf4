// The databases the suite runs on. TEST_DATABASE picks one (sqlite or postgres); unset, tests that
// loop over databasesUnderTest() run on both. Each test gets its own database: a SQLite file in a
// temporary folder, or a PostgreSQL database created on TEST_POSTGRES_URL's server (by default
// 127.0.0.1:5432 as postgres) and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Db, OpenDatabaseOptions } from '../../db/client.ts';
import { closeDatabase, connectDatabase, type DatabaseTarget } from '../../db/database.ts';
import { tempDir } from './tenant.ts';

export const DATABASES = ['sqlite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASES)[number];

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databasesUnderTest(): DatabaseKind[] {
  const chosen = process.env.TEST_DATABASE;
  if (chosen === 'sqlite' || chosen === 'postgres') return [chosen];
  return [...DATABASES];
}

/** The database a test runs on when it runs on one: TEST_DATABASE, SQLite unless set. */
export function defaultDatabase(): DatabaseKind {
  return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestDatabase {
  kind: DatabaseKind;
  target: DatabaseTarget;
  /** The product's environment for it: DATABASE_URL or DATABASE_PATH. */
  env: Record<string, string>;
  /** Opens a client on it (several make several replicas' connections). */
  open(options?: OpenDatabaseOptions): Promise<Db>;
  /** Closes every client opened here and removes the database. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(kind: DatabaseKind = defaultDatabase()): Promise<TestDatabase> {
  const opened: Db[] = [];
  const open = async (options?: OpenDatabaseOptions) => {
    const db = await connectDatabase(target, options);
    opened.push(db);
    return db;
  };
  const closeAll = async () => {
    for (const db of opened.splice(0)) await closeDatabase(db).catch(() => {});
  };
  let target: DatabaseTarget;
  if (kind === 'sqlite') {
    const dir = tempDir();
    target = { path: join(dir.path, 'portals.db') };
    return {
      kind,
      target,
      env: { DATABASE_PATH: target.path },
      open,
      drop: async () => {
        await closeAll();
        dir.remove();
      },
    };
  }
  const name = `portal_ops_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  target = { url: url.toString() };
  return {
    kind,
    target,
    env: { DATABASE_URL: url.toString() },
    open,
    drop: async () => {
      await closeAll();
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}
