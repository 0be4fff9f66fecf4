// Storage faults met by the server process. On SQLite: a disk that fills up and frees again, another
// process holding the write lock, a damaged file, a file that is not a database; the private modes of
// the files; the online backup. On PostgreSQL: the server unreachable and back, a database that does
// not exist, and db:backup pointing at PostgreSQL's own tools. Each part runs when its database is
// under test (TEST_DATABASE).
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import Database from '../db/sqlite-driver.ts';
import { ADMIN_URL, createTestDatabase, postgresUrlOf, underTest } from './support/databases.ts';
import { type Child, freePort, runScript, waitForReady } from './support/process.ts';
import { eventually } from './support/slack.ts';
import { serverOnSmallDisk } from './support/small-disk.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';
import { portalInput, REQUEST_PORTAL, tempDir } from './support/tenant.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
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

async function makeToken(env: Record<string, string>, run = runScript, scopes = 'read,write'): Promise<string> {
  const cli = run('scripts/token-create.ts', ['--name', `t${Math.random()}`, '--scopes', scopes, '--user', 'ada@contoso.com'], env);
  expect(await cli.exited, cli.output()).toBe(0);
  return cli.output().trim().split('\n').at(-1) ?? '';
}

if (underTest('sqlite')) {
  describe('a full disk', () => {
    it('keeps reads working, answers writes 503 "storage unavailable", says not ready, and recovers when space returns', { timeout: 120_000 }, async () => {
      const mountPoint = folder();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const databasePath = join(mountPoint, 'data', 'portals.db');
      const disk = serverOnSmallDisk(mountPoint, { DATABASE_PATH: databasePath, HOST: '127.0.0.1', PORT: String(port), PORTAL_DOMAIN: 'portals.test' });
      cleanups.push(() => disk.server.process.kill('SIGKILL'));
      await waitForReady(url, disk.server);
      // A token never used yet: its first request stamps last_used_at.
      const token = await makeToken({ DATABASE_PATH: databasePath }, disk.run);

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
      // The API's error log keeps SQLite's reason (the logger writes asynchronously: wait for the line).
      const reasonLogged = () =>
        disk.server
          .output()
          .split('\n')
          .some((line) => line.includes('"level":50') && line.includes('graphql error') && line.includes('database or disk is full'));
      await eventually(reasonLogged, 10_000, "SQLite's reason in the error log");

      disk.free();
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      const again = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
      expect(again.body.data.requestPortal.portal).toMatchObject({ status: 'AWAITING_TERMS' });
    });
  });

  describe('another process holding the write lock', () => {
    it('keeps reads working (the last-use stamp does not wait for the lock) and answers writes 503 until the lock is released', { timeout: 120_000 }, async () => {
      const databasePath = join(folder(), 'portals.db');
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const server = runScript('app/main.ts', [], { DATABASE_PATH: databasePath, HOST: '127.0.0.1', PORT: String(port), PORTAL_DOMAIN: 'portals.test' });
      cleanups.push(() => server.process.kill('SIGKILL'));
      await waitForReady(url, server);
      const token = await makeToken({ DATABASE_PATH: databasePath });

      // A maintenance session (an operator's sqlite3 shell, a stuck worker) that took the lock and stays.
      const holder = new Database(databasePath);
      cleanups.push(() => holder.close());
      holder.exec('begin immediate; update readiness_probe set checked_at = 0;');

      const read = await post(url, token, '{ viewer { name } }');
      expect(read.body).toEqual({ data: { viewer: { name: 'Ada Lovelace' } } });
      const write = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
      expect(write.status).toBe(503);
      expect(write.body.errors[0].extensions.code).toBe('STORAGE_UNAVAILABLE');
      expect((await fetch(`${url}/ready`)).status).toBe(503);

      holder.exec('rollback');
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      const again = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
      expect(again.body.data.requestPortal.portal).toMatchObject({ status: 'AWAITING_TERMS' });
    });
  });

  describe('the database file', () => {
    async function startServer(env: Record<string, string>) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const server = runScript('app/main.ts', [], { HOST: '127.0.0.1', PORTAL_DOMAIN: 'portals.test', ...env, PORT: String(port) });
      cleanups.push(() => server.process.kill('SIGKILL'));
      return { server, url };
    }

    it('is made readable by its owner only: folder 0700; database, WAL, SHM and generated key 0600', async () => {
      const dataDir = join(folder(), 'nested', 'data');
      const databasePath = join(dataDir, 'portals.db');
      const { server, url } = await startServer({ DATABASE_PATH: databasePath });
      await waitForReady(url, server);
      const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
      expect(mode(join(dataDir, '..'))).toBe('700');
      expect(mode(dataDir)).toBe('700');
      for (const file of ['portals.db', 'portals.db-wal', 'portals.db-shm', 'secret.key']) expect([file, mode(join(dataDir, file))]).toEqual([file, '600']);
    });

    it('refuses to start on a damaged database, naming the file and how to restore it', async () => {
      const databasePath = join(folder(), 'portals.db');
      const db = openDatabase(databasePath);
      db.$client.close();
      // Garbage over a page in the middle of the file, as a failing disk or a torn copy leaves it.
      const size = statSync(databasePath).size;
      const pages = size / 4096;
      expect(pages).toBeGreaterThan(8);
      const fd = openSync(databasePath, 'r+');
      writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(pages / 2) * 4096);
      closeSync(fd);

      const { server } = await startServer({ DATABASE_PATH: databasePath });
      expect(await server.exited).not.toBe(0);
      expect(server.output()).toContain(`${databasePath} is damaged`);
      expect(server.output()).toContain('quick_check');
      expect(server.output()).toContain('npm run db:backup');
    });

    it('refuses a file that is not a database, naming it', async () => {
      const databasePath = join(folder(), 'notes.txt');
      writeFileSync(databasePath, 'These are my notes, not a database.\n'.repeat(200));
      const { server } = await startServer({ DATABASE_PATH: databasePath });
      expect(await server.exited).not.toBe(0);
      expect(server.output()).toContain(`${databasePath} is not a SQLite database`);
      expect(readFileSync(databasePath, 'utf8')).toContain('These are my notes');
    });

    it('is backed up while the server runs, into a private copy that holds the data and starts a server', async () => {
      const dir = folder();
      const databasePath = join(dir, 'data', 'portals.db');
      const { server, url } = await startServer({ DATABASE_PATH: databasePath });
      await waitForReady(url, server);
      const token = await makeToken({ DATABASE_PATH: databasePath });
      const requested = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
      expect(requested.body.data.requestPortal.portal.status).toBe('AWAITING_TERMS');

      const backupPath = join(dir, 'backup', 'portals-backup.db');
      mkdirSync(join(dir, 'backup'));
      const backup = runScript('scripts/db-backup.ts', [backupPath], { DATABASE_PATH: databasePath });
      expect(await backup.exited, backup.output()).toBe(0);
      expect(backup.output()).toContain('To restore: stop every process using the database');
      expect((statSync(backupPath).mode & 0o777).toString(8)).toBe('600');
      const copy = new Database(backupPath, { readonly: true });
      expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
      expect(copy.prepare('select subdomain from portals').all()).toEqual([{ subdomain: 'contoso-partners' }]);
      copy.close();

      // A second backup to the same name is refused: no backup is overwritten.
      const again = runScript('scripts/db-backup.ts', [backupPath], { DATABASE_PATH: databasePath });
      expect(await again.exited).toBe(2);
      expect(again.output()).toContain(`${backupPath} exists already`);

      // Restored with its key, as the README says (the key is generated into the data folder): a server
      // on the copy serves the same portal to the same token. Without the key it would be refused.
      cpSync(join(dir, 'data', 'secret.key'), join(dir, 'backup', 'secret.key'));
      const restored = await startServer({ DATABASE_PATH: backupPath });
      await waitForReady(restored.url, restored.server);
      const listed = await post(restored.url, token, '{ portals(first: 5) { nodes { url } } }');
      expect(listed.body.data.portals.nodes).toEqual([{ url: 'https://contoso-partners.portals.test' }]);
    }, 120_000);
  });
}

if (underTest('postgres')) {
  describe('a PostgreSQL server that stops answering', () => {
    it('answers writes 503 "storage unavailable", says not ready, stays up, and recovers when the server is back', { timeout: 120_000 }, async () => {
      const database = await createTestDatabase('postgres');
      cleanups.push(() => database.drop());
      // The product reaches PostgreSQL through a proxy the test cuts and restores.
      const admin = new URL(ADMIN_URL);
      const proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
      cleanups.push(() => proxy.close());
      const proxied = new URL(postgresUrlOf(database.name));
      proxied.port = String(proxy.port);
      // No SECRET_KEY: the key is generated into the data folder, DATABASE_PATH's, made private.
      const dataDir = join(database.dir, 'data');
      const env = { DATABASE_URL: proxied.toString(), DATABASE_PATH: join(dataDir, 'portals.db'), HOST: '127.0.0.1', PORTAL_DOMAIN: 'portals.test' };
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const server: Child = runScript('app/main.ts', [], { ...env, PORT: String(port) });
      cleanups.push(() => server.process.kill('SIGKILL'));
      await waitForReady(url, server);
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      expect((statSync(join(dataDir, 'secret.key')).mode & 0o777).toString(8)).toBe('600');
      const token = await makeToken(env);
      const first = await post(url, token, REQUEST_PORTAL, { input: portalInput() });
      expect(first.body.data.requestPortal.portal).toMatchObject({ status: 'AWAITING_TERMS' });

      await proxy.cut();
      expect((await fetch(`${url}/ready`)).status).toBe(503);
      const write = await post(url, token, REQUEST_PORTAL, { input: portalInput({ subdomain: 'while-down' }) });
      expect(write.status).toBe(503);
      expect(write.body.errors[0].extensions.code).toBe('STORAGE_UNAVAILABLE');
      expect(write.body.errors[0].message).toMatch(/^Storage is unavailable: .*try again/i);
      expect(JSON.stringify(write.body)).not.toMatch(/ECONNREFUSED|postgres|5432/i);
      await eventually(
        () =>
          server
            .output()
            .split('\n')
            .some((line) => line.includes('"level":50') && line.includes('ECONNREFUSED')),
        10_000,
        'the refused connection in the error log',
      );
      expect(server.process.exitCode).toBeNull();

      await proxy.restore();
      await eventually(async () => (await fetch(`${url}/ready`)).status === 200, 15_000, '/ready once PostgreSQL answers again', { intervalMs: 200 });
      const again = await post(url, token, REQUEST_PORTAL, { input: portalInput({ subdomain: 'after-restore' }) });
      expect(again.body.data.requestPortal.portal).toMatchObject({ status: 'AWAITING_TERMS' });
      const listed = await post(url, token, '{ portals(first: 5) { nodes { subdomain } } }');
      expect(listed.body.data.portals.nodes.map((p: { subdomain: string }) => p.subdomain).sort()).toEqual(['after-restore', 'contoso-partners']);
    });
  });

  describe('a PostgreSQL database the server cannot use', () => {
    it('refuses to start on a database that does not exist, naming it without the password', async () => {
      const missing = new URL(postgresUrlOf(`portal_ops_missing_${randomBytes(4).toString('hex')}`));
      missing.username = 'postgres';
      missing.password = 'not-shown-anywhere';
      const dir = folder();
      const server = runScript('app/main.ts', [], { DATABASE_URL: missing.toString(), DATABASE_PATH: join(dir, 'portals.db'), HOST: '127.0.0.1', PORT: '0' });
      cleanups.push(() => server.process.kill('SIGKILL'));
      expect(await server.exited).not.toBe(0);
      const shown = new URL(missing);
      shown.password = '***';
      expect(server.output()).toContain(`PostgreSQL at ${shown.toString()} cannot be used: database "${missing.pathname.slice(1)}" does not exist`);
      expect(server.output()).toContain('Check DATABASE_URL');
      expect(server.output()).not.toContain('not-shown-anywhere');
    });

    it('db:backup says to back PostgreSQL up with its own tools, copying nothing', async () => {
      const database = await createTestDatabase('postgres');
      cleanups.push(() => database.drop());
      const backupPath = join(database.dir, 'backup.db');
      const backup = runScript('scripts/db-backup.ts', [backupPath], database.env);
      expect(await backup.exited).toBe(2);
      expect(backup.output()).toContain('DATABASE_URL is set: the database is PostgreSQL');
      expect(backup.output()).toContain('pg_dump');
      expect(() => statSync(backupPath)).toThrow();
    });
  });
}
