// Once per run: names the run (test/support/databases.ts puts it in every PostgreSQL test database's
// name), migrates the PostgreSQL template the run's test databases are copied from, and at the end
// drops the template and any database of this run a test left behind, saying which. With TEST_DATABASE
// unset, a run without a PostgreSQL server still runs: only the tests that need one fail.
import { randomBytes } from 'node:crypto';
import { ADMIN_URL, admin, createTemplateDatabase, TEST_DATABASE_PREFIX, underTest } from './databases.ts';

const required = () => process.env.TEST_DATABASE === 'postgres';

function unreachable(error: unknown): Error {
  return new Error(
    `The PostgreSQL server for the tests (${new URL(ADMIN_URL).host}, TEST_POSTGRES_URL) cannot be used: ${(error as Error).message}. ` +
      'Start one that lets postgres in without a password on 127.0.0.1:5432 (see the README), or run on SQLite only (npm run test:sqlite).',
    { cause: error },
  );
}

export async function setup(): Promise<void> {
  process.env.TEST_RUN_ID ??= randomBytes(3).toString('hex');
  if (!underTest('postgres')) return;
  try {
    process.env.TEST_POSTGRES_TEMPLATE = await createTemplateDatabase(process.env.TEST_RUN_ID);
  } catch (error) {
    if (required()) throw unreachable(error);
    process.stderr.write(`${unreachable(error).message}\nThe tests that need PostgreSQL will fail.\n`);
  }
}

export async function teardown(): Promise<void> {
  if (!underTest('postgres')) return;
  const prefix = `${TEST_DATABASE_PREFIX}${process.env.TEST_RUN_ID}_`;
  let left: string[];
  try {
    left = await admin(async (client) => {
      const { rows } = await client.query<{ name: string }>('select datname as name from pg_database where starts_with(datname, $1)', [prefix]);
      for (const { name } of rows) await client.query(`drop database if exists ${name} with (force)`);
      return rows.map((row) => row.name).filter((name) => name !== process.env.TEST_POSTGRES_TEMPLATE);
    });
  } catch (error) {
    if (required()) throw unreachable(error);
    return;
  }
  if (left.length > 0) process.stderr.write(`test databases left behind by tests, now dropped: ${left.join(', ')}\n`);
}
