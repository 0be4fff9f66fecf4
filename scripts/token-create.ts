// npm run token:create -- --name NAME --scopes read,write [--user EMAIL]
// Prints what the token is for, then the token alone on the last line (it is shown only once).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../app/config.ts';
import { DomainError, ValidationError } from '../core/errors.ts';
import { createApiToken } from '../core/tokens.ts';
import { openDatabase } from '../db/client.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';

const USAGE = 'usage: npm run token:create -- --name NAME --scopes read,write[,admin] [--user EMAIL]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: { name: { type: 'string' }, scopes: { type: 'string' }, user: { type: 'string' } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (!args.name || !args.scopes) fail(USAGE);

let config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const db = openDatabase(config.DATABASE_PATH);
try {
  const platform = LocalPlatform.open(db, config.PLATFORM_SEED);
  const created = await createApiToken({ db, platform }, { name: args.name, scopes: args.scopes.split(','), userEmail: args.user });
  process.stdout.write(
    `Created token "${args.name}" (id ${created.id}) with scopes ${created.scopes.join(', ')}${created.userId ? ` acting as ${args.user}` : ' as a service'}.\n` +
      'Keep it now: it is not stored and cannot be shown again.\n' +
      `${created.token}\n`,
  );
} catch (error) {
  if (error instanceof ValidationError) fail(error.fields.map((f) => `${f.field}: ${f.message}`).join('\n'));
  if (error instanceof DomainError) fail(error.message);
  throw error;
} finally {
  db.$client.close();
}
