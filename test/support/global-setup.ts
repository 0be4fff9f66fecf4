// Once per run: names the run (test/support/databases.ts puts it in every PostgreSQL test database's
// name), migrates the PostgreSQL template the run's test databases are copied from, and at the end
// drops the template and any database of this run a test left behind, saying which.
import { randomBytes } from 'node:crypto';
import { admin, createTemplateDatabase, TEST_DATABASE_PREFIX, underTest } from './databases.ts';

export async function setup(): Promise<void> {
  process.env.TEST_RUN_ID ??= randomBytes(3).toString('hex');
  if (underTest('postgres')) process.env.TEST_POSTGRES_TEMPLATE = await createTemplateDatabase(process.env.TEST_RUN_ID);
}

export async function teardown(): Promise<void> {
  if (!underTest('postgres')) return;
  const prefix = `${TEST_DATABASE_PREFIX}${process.env.TEST_RUN_ID}_`;
  const left = await admin(async (client) => {
    const { rows } = await client.query<{ name: string }>('select datname as name from pg_database where starts_with(datname, $1)', [prefix]);
    for (const { name } of rows) await client.query(`drop database if exists ${name} with (force)`);
    return rows.map((row) => row.name).filter((name) => name !== process.env.TEST_POSTGRES_TEMPLATE);
  });
  if (left.length > 0) process.stderr.write(`test databases left behind by tests, now dropped: ${left.join(', ')}\n`);
}
