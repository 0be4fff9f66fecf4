// The databases the suite runs on. TEST_DATABASE picks one (sqlite or postgres): every test that uses a
// database takes it from createTestDatabase(), which gives that one (SQLite when unset); tests that
// loop over databasesUnderTest() run on both when it is unset. Each test gets its own database: a
// SQLite file in a temporary folder, or a PostgreSQL database created on TEST_POSTGRES_URL's server
// (by default 127.0.0.1:5432 as postgres) and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Db, OpenDatabaseOptions } from '../../db/client.ts';
import { closeDatabase, connectDatabase, type DatabaseTarget } from '../../db/database.ts';
import { tempDir } from './temp-dir.ts';

export const DATABASES = ['sqlite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASES)[number];

export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every test database's name starts so; test/support/global-setup.ts drops what a run left behind. */
export const TEST_DATABASE_PREFIX = 'portal_ops_test_';

/** This run's part of the names (global-setup.ts sets it), so a run never drops another run's databases. */
const RUN = process.env.TEST_RUN_ID ?? randomBytes(3).toString('hex');

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
  /**
   * The product's environment for it: DATABASE_PATH for SQLite; DATABASE_URL for PostgreSQL, with
   * DATABASE_PATH in `dir`, which then only places the data folder (secret.key) of the process.
   */
  env: Record<string, string>;
  /** A temporary folder of the test's (the SQLite file's folder), removed by drop(). */
  dir: string;
  /** The PostgreSQL database's name, or the SQLite file's path: for messages. */
  name: string;
  /** Opens a client on it (several make several replicas' connections). */
  open(options?: OpenDatabaseOptions): Promise<Db>;
  /** Closes every client opened here and removes the database and `dir`. */
  drop(): Promise<void>;
}

export async function admin<T>(work: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the migrated database each test database of the run is copied from; its name. */
export async function createTemplateDatabase(run: string): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}${run}_template`;
  await admin((client) => client.query(`create database ${name}`));
  await closeDatabase(await connectDatabase({ url: postgresUrlOf(name) }));
  return name;
}

/** A URL of the test server's for database `name` (the admin URL's user and host). */
export function postgresUrlOf(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A new database, migrated: on PostgreSQL a copy of the run's template (global-setup.ts migrates it
 * once), which takes a fraction of migrating each; `empty` gives one with no tables yet.
 */
export async function createTestDatabase(kind: DatabaseKind = defaultDatabase(), options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const dir = tempDir();
  const opened: Db[] = [];
  const closeAll = async () => {
    for (const db of opened.splice(0)) await closeDatabase(db).catch(() => {});
  };
  const opener = (target: DatabaseTarget) => async (options?: OpenDatabaseOptions) => {
    const db = await connectDatabase(target, options);
    opened.push(db);
    return db;
  };
  if (kind === 'sqlite') {
    const target = { path: join(dir.path, 'portals.db') };
    const drop = async () => {
      await closeAll();
      dir.remove();
    };
    return { kind, target, env: { DATABASE_PATH: target.path }, dir: dir.path, name: target.path, open: opener(target), drop };
  }
  const name = `${TEST_DATABASE_PREFIX}${RUN}_${randomBytes(5).toString('hex')}`;
  try {
    const template = options.empty ? undefined : process.env.TEST_POSTGRES_TEMPLATE;
    await admin((client) => client.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  } catch (error) {
    dir.remove();
    throw error;
  }
  const target = { url: postgresUrlOf(name) };
  const drop = async () => {
    await closeAll();
    await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    dir.remove();
  };
  const env = { DATABASE_URL: target.url, DATABASE_PATH: join(dir.path, 'portals.db') };
  return { kind, target, env, dir: dir.path, name, open: opener(target), drop };
}

/** Whether the run covers this database: tests that need one database in particular run only then. */
export function underTest(kind: DatabaseKind): boolean {
  return databasesUnderTest().includes(kind);
}
