// npm run token:revoke -- ID|NAME
// Revokes one API token (by the number token:list shows, or its name); it authenticates nothing after.
import { revokeApiToken } from '../core/tokens.ts';
import { closeDatabase, connectDatabase } from '../db/database.ts';
import { configOrFail, fail, failOnDomainError } from './cli.ts';

const USAGE = 'usage: npm run token:revoke -- ID|NAME   (see npm run token:list)';
const key = process.argv[2];
if (!key || process.argv.length > 3 || key.startsWith('-')) fail(USAGE);

const config = configOrFail();
const db = await connectDatabase(config.database);
try {
  const token = await revokeApiToken(db, key);
  process.stdout.write(`Revoked token ${token.id} ("${token.name}"); it no longer authenticates.\n`);
} catch (error) {
  failOnDomainError(error);
  throw error;
} finally {
  await closeDatabase(db);
}
