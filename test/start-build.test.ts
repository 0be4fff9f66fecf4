// What `npm start` does before it runs the server: build the bundle only when its sources changed, and
// never pull a build out from under another process starting from the same checkout.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { type Child, ROOT, startServer } from './support/process.ts';

const run = promisify(execFile);

function build(outdir: string, ...flags: string[]) {
  return run(process.execPath, ['scripts/build.mjs', outdir, ...flags], { cwd: ROOT });
}

function currentBuild(outdir: string): string {
  return /^\/\/ build: (\S+)$/m.exec(readFileSync(join(outdir, 'main.js'), 'utf8'))?.[1] ?? '';
}

const databases: TestDatabase[] = [];

/** The build in `outdir` started as a server, on a test database of its own. */
async function startFrom(outdir: string): Promise<{ child: Child; url: string }> {
  const database = await createTestDatabase();
  databases.push(database);
  return startServer(join(outdir, 'main.js'), database.env);
}

describe('the start-up build', () => {
  const outdir = join(ROOT, '.test-dist', randomUUID());
  const children: Child[] = [];

  afterAll(async () => {
    for (const child of children) {
      child.process.kill('SIGTERM');
      await child.exited;
    }
    rmSync(outdir, { recursive: true, force: true });
    for (const database of databases.splice(0)) await database.drop();
  });

  it('builds once, then again only when a source changed', async () => {
    await build(outdir, '--if-changed');
    const first = currentBuild(outdir);
    expect(first).toMatch(/^build-/);

    await build(outdir, '--if-changed');
    expect(currentBuild(outdir)).toBe(first);

    // A source's time moves (an edit): the next start builds again.
    const source = join(ROOT, 'vocabulary/catalog.ts');
    const { atime, mtime } = statSync(source);
    utimesSync(source, atime, new Date(mtime.getTime() + 5_000));
    try {
      await build(outdir, '--if-changed');
    } finally {
      utimesSync(source, atime, mtime);
    }
    const second = currentBuild(outdir);
    expect(second).not.toBe(first);
    // The build a running process may still use is kept.
    expect(readdirSync(outdir)).toEqual(expect.arrayContaining([first, second, 'main.js']));
  }, 60_000);

  it('lets two starts from one checkout build at once, each ending with a whole build that runs', async () => {
    const fresh = join(ROOT, '.test-dist', randomUUID());
    try {
      const results = await Promise.allSettled([build(fresh, '--if-changed'), build(fresh, '--if-changed')]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const { child } = await startFrom(fresh);
      children.push(child);
      expect(readdirSync(fresh).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps a running server whole while the next build replaces the entry', async () => {
    const { child, url } = await startFrom(outdir);
    children.push(child);
    await build(outdir);
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    // A second server starts from the new build beside the first.
    const next = await startFrom(outdir);
    children.push(next.child);
    expect((await fetch(`${next.url}/health`)).status).toBe(200);
  }, 60_000);
});
