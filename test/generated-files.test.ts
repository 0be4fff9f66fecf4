// The committed schema.graphql and Drizzle migrations must match the code.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import drizzleConfig from '../drizzle.config.ts';
import drizzlePgConfig from '../drizzle-pg.config.ts';
import { printedSchema } from '../graphql/schema/index.ts';
import { ROOT } from './support/process.ts';
import { tempDir } from './support/tenant.ts';

describe('generated files', () => {
  it('schema.graphql is the schema the code builds (npm run schema:print)', () => {
    expect(readFileSync(join(ROOT, 'schema.graphql'), 'utf8')).toBe(printedSchema());
  });

  it("the bot's typed operations match schema.graphql (npm run codegen)", () => {
    const run = () => execFileSync(join(ROOT, 'node_modules/.bin/graphql-codegen'), ['--check'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it.each([
    ['SQLite', drizzleConfig, 'db/migrations'],
    ['PostgreSQL', drizzlePgConfig, 'db/migrations-pg'],
  ] as Array<[string, { dialect: string; schema?: unknown }, string]>)(
    'the %s migrations cover its Drizzle schema (drizzle-kit generate finds nothing to add)',
    (_name, projectConfig, folder) => {
      const dir = tempDir();
      try {
        cpSync(join(ROOT, folder), join(dir.path, 'migrations'), { recursive: true });
        const before = readdirSync(join(dir.path, 'migrations')).sort();
        const config = join(dir.path, 'drizzle.config.ts');
        writeFileSync(
          config,
          `export default ${JSON.stringify({
            dialect: projectConfig.dialect,
            // Every schema file the project's configuration names, from the repository.
            schema: (projectConfig.schema as string[]).map((file) => join(ROOT, file)),
            out: join(dir.path, 'migrations'),
          })};\n`,
        );
        const output = execFileSync(join(ROOT, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        expect(readdirSync(join(dir.path, 'migrations')).sort(), output).toEqual(before);
      } finally {
        dir.remove();
      }
    },
  );
});
