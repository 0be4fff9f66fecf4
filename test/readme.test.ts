// The README's first steps, copied as a newcomer copies them, run against the product started as a
// process: only the address (an OS-picked port) and the database are the test's own.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { type Child, ROOT, startServer } from './support/process.ts';

/** The shell blocks of one README section, in order. */
function shellBlocks(section: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`the README has no section "${section}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end < 0 ? undefined : end);
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

describe('the README', () => {
  let database: TestDatabase;
  let server: Child;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ child: server, url } = await startServer('app/main.ts', { ...database.env, PLATFORM_SPEED: 'fast' }));
  }, 60_000);

  afterAll(async () => {
    server?.process.kill('SIGTERM');
    await server?.exited;
    await database?.drop();
  });

  it('first steps: a token, who am I, a portal requested and its terms accepted, then its events', async () => {
    const [walk] = shellBlocks('First steps');
    expect(walk).toContain('npm run --silent token:create');
    // The subscription streams until interrupted, as the README says: here it is cut after a few seconds.
    const script = `set -euo pipefail\n${walk!.replaceAll('http://localhost:3000', url).replaceAll('localhost:3000', url).replace('curl -sN ', 'timeout 5 curl -sN ')}`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, ...database.env }, timeout: 60_000 }, (error, out, err) => {
        // 124: timeout's code for the cut subscription, the last command.
        if (error && error.code !== 124) reject(new Error(`${error.message}\n${err}`));
        else resolve(out);
      });
    });
    expect(stdout).toContain('"isGlobalAdministrator":true');
    expect(stdout).toContain('"status":"AWAITING_TERMS"');
    expect(stdout).toContain('"displayName":"Contoso Support-Configuring","status":"CONFIGURING"');
    expect(stdout).toContain('"type":"TERMS_ACCEPTED"');
    expect(stdout).not.toContain('"errors"');
  }, 90_000);
});
