// npm run db:backup -- FILE
// Copies the database to FILE while the server keeps running (SQLite's online backup: a consistent
// snapshot, whatever is written meanwhile), checks the copy and says how to restore it.
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Config, ConfigError, loadConfig } from '../app/config.ts';
import { redactUrl } from '../db/postgres.ts';
import Database from '../db/sqlite-driver.ts';

const USAGE = 'usage: npm run db:backup -- FILE   (FILE must not exist yet)';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const target = process.argv[2];
if (!target || process.argv.length > 3 || target.startsWith('-')) fail(USAGE);
const file = resolve(target);
if (existsSync(file)) fail(`${file} exists already; give a new file name, so that no backup is overwritten.\n${USAGE}`);

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (config.DATABASE_URL) {
  fail(
    `DATABASE_URL is set: the database is PostgreSQL (${redactUrl(config.DATABASE_URL)}), and this command copies a SQLite file only. ` +
      'Back PostgreSQL up with its own tool while the replicas run, for example\n' +
      `  pg_dump --format=custom --file ${JSON.stringify(target)} "$DATABASE_URL"\n` +
      'and restore into an empty database with pg_restore --no-owner --dbname "$DATABASE_URL" FILE.',
  );
}
const source = resolve(config.DATABASE_PATH);
if (!existsSync(source)) fail(`There is no database at ${source} (DATABASE_PATH) to back up.`);

// The copy holds what the database holds (e-mails, token hashes, encrypted keys): it is made this
// user's only before anything is written to it.
try {
  closeSync(openSync(file, 'wx', 0o600));
} catch (error) {
  fail(`Could not create ${file}: ${(error as Error).message}`);
}
// Not openDatabase: a backup reads the file as it is and migrates nothing.
const db = new Database(source, { fileMustExist: true, timeout: 5_000 });
try {
  await db.backup(file);
} catch (error) {
  rmSync(file, { force: true });
  fail(`Could not back up ${source} to ${file}: ${(error as Error).message}`);
} finally {
  db.close();
}
const copy = new Database(file, { readonly: true });
const check = copy.pragma('quick_check', { simple: true });
copy.close();
if (check !== 'ok') fail(`The copy at ${file} does not pass SQLite's quick_check (${String(check)}); run the backup again.`);
process.stdout.write(
  `Backed up ${source} to ${file}.\n` +
    `To restore: stop every process using the database, move ${source} aside with any -wal and -shm file beside it, ` +
    `copy ${file} to ${source}, then start again.\n`,
);
