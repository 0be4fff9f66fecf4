// npm run db:generate -- [--name what_changed]
// Makes the migrations of both databases from their schemas (drizzle.config.ts for SQLite,
// drizzle-pg.config.ts for PostgreSQL), with the same arguments: a change to one schema goes with the
// same change to its twin (test/schema-twins.test.ts checks they match).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectFile } from '../db/project-files.ts';

const drizzleKit = join(projectFile('node_modules', '.bin'), 'drizzle-kit');
for (const config of ['drizzle.config.ts', 'drizzle-pg.config.ts']) {
  execFileSync(drizzleKit, ['generate', '--config', projectFile(config), ...process.argv.slice(2)], { stdio: 'inherit', cwd: projectFile() });
}
