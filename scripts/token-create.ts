// npm run token:create -- --name NAME --scopes read,write [--user EMAIL] [--expires 90d]
// Prints what the token is for, then the token alone on the last line (it is shown only once).
import { parseArgs } from 'node:util';
import { createPlatform } from '../app/platform.ts';
import { loadSecretKey } from '../app/secret-key.ts';
import { createApiToken } from '../core/tokens.ts';
import { closeDatabase, connectDatabase } from '../db/database.ts';
import { configOrFail, fail, failOnDomainError } from './cli.ts';

const USAGE = 'usage: npm run token:create -- --name NAME --scopes read,write[,admin] [--user EMAIL] [--expires 90d|12h]';

let args: { name?: string; scopes?: string; user?: string; expires?: string };
try {
  args = parseArgs({
    options: { name: { type: 'string' }, scopes: { type: 'string' }, user: { type: 'string' }, expires: { type: 'string' } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (!args.name || !args.scopes) fail(USAGE);

const config = configOrFail();
const db = await connectDatabase(config.database);
try {
  const platform = await createPlatform(config, db, loadSecretKey(config.SECRET_KEY, config.dataDir));
  const created = await createApiToken({ db, platform }, { name: args.name, scopes: args.scopes.split(','), userEmail: args.user, expires: args.expires });
  process.stdout.write(
    `Created token "${args.name}" (id ${created.id}) with scopes ${created.scopes.join(', ')}${created.userId ? ` acting as ${args.user}` : ' as a service'}` +
      `${created.expiresAt ? `, expiring at ${created.expiresAt.toISOString()}` : ', without expiry'}.\n` +
      'Keep it now: it is not stored and cannot be shown again.\n' +
      `${created.token}\n`,
  );
} catch (error) {
  failOnDomainError(error);
  throw error;
} finally {
  await closeDatabase(db);
}
