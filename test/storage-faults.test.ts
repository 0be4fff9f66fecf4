// Storage faults met by the server process: a disk that fills up and frees again, a damaged file,
// a file that is not a database; the private modes of the files; the online backup.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_PORTAL, portalInput, tempDir } from './support/tenant.ts';
import { freePort, runScript, waitForReady } from './support/process.ts';
import { serverOnSmallDisk } from './support/small-disk.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function folder(): string {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

async function post(url: string, token: string, query: string, variables?: unknown) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

async function makeToken(databasePath: string, run = runScript, scopes = 'read,write'): Promise<string> {
  const cli = run('scripts/token-create.ts', ['--name', `t${Math.random()}`, '--scopes', scopes, '--user', 'ada@contoso.com'], { DATABASE_PATH: databasePath });
  expect(await cli.exited, cli.output()).toBe(0);
  return cli.output().trim().split('\n').at(-1) ?? '';
}

describe('a full disk', () => {
  it('keeps reads working, answers writes 503 "storage unavailable", says not ready, and recovers when space returns', async () => {
    const mountPoint = folder();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const databasePath = join(mountPoint, 'data', 'portals.db');
    const disk = serverOnSmallDisk(mountPoint, { DATABASE_PATH: databasePath, HOST: '127.0.0.1', PORT: String(port), PORTAL_DOMAIN: 'portals.test' });
    cleanups.push(() => disk.server.process.kill('SIGKILL'));
    await waitForReady(url, disk.server);
    // A token never used yet: its first request stamps last_used_at.
    const token = await makeToken(databasePath, disk.run);

    disk.fill();
    const read = await post(url, token, '{ viewer { name } portals(first: 5) { totalCount } }');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ data: { viewer: { name: 'Ada Lovelace' }, portals: { totalCount: 0 } } });

    const write = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
    expect(write.status).toBe(503);
    expect(write.retryAfter).toBe('5');
    expect(write.body.errors[0].extensions.code).toBe('STORAGE_UNAVAILABLE');
    expect(write.body.errors[0].message).toMatch(/^Storage is unavailable: .*try again/i);
    expect((await fetch(`${url}/ready`)).status).toBe(503);
    // The log keeps SQLite's reason.
    expect(disk.server.output()).toContain('SQLITE_FULL');

    disk.free();
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const again = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
    expect(again.body.data.requestPortal.portal).toMatchObject({ status: 'AWAITING_TERMS' });
  });
});
