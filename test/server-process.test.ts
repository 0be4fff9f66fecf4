// The product as a process: npm start's entry point on a real port, token:create, SIGTERM, bad config,
// a PostgreSQL server that refuses the connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { type Child, freePort, runScript, startServer, waitForReady } from './support/process.ts';
import { portalInput, REQUEST_PORTAL } from './support/tenant.ts';

describe('the server process', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: Child;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { ...database.env, HOST: '127.0.0.1', PORTAL_DOMAIN: 'portals.test' };
    ({ child: server, url } = await startServer('app/main.ts', env));
  });
  afterAll(async () => {
    server?.process.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  });

  it('answers /health and /ready, and serves GraphiQL', async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/ready`)).json()).toEqual({ status: 'ready' });
    const graphiql = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('Portal provisioning API');
  });

  it('requests a portal over HTTP with a token made by token:create', async () => {
    const cli = runScript('scripts/token-create.ts', ['--name', 'ci', '--scopes', 'read,write', '--user', 'ada@contoso.com'], env);
    expect(await cli.exited).toBe(0);
    const token = cli.output().trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^pop_[A-Za-z0-9_-]{43}$/);
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: REQUEST_PORTAL, variables: { input: portalInput() } }),
    });
    const body = await response.json();
    expect(body.data.requestPortal.portal).toMatchObject({ status: 'AWAITING_TERMS', url: 'https://contoso-partners.portals.test' });
    // The token is stored only as a hash, and never logged.
    expect(server.output()).not.toContain(token);
  });

  it('refuses token:create input it cannot act on, with the reason', async () => {
    const cli = runScript('scripts/token-create.ts', ['--name', 'x', '--scopes', 'read,root', '--user', 'nobody@contoso.com'], env);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('Unknown scope root');
    expect(cli.output()).toContain('No directory user has the e-mail nobody@contoso.com');
  });

  it('refuses bodies over the size cap', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ viewer { kind } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const other = runScript('app/main.ts', [], { ...env, PORT: String(port) });
    await waitForReady(`http://127.0.0.1:${port}`, other);
    other.process.kill('SIGTERM');
    expect(await other.exited).toBe(0);
    expect(other.output()).toContain('shutting down');
  });
});

describe('configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PLATFORM_SEED: '/nonexistent/tenant.json' }, 'PLATFORM_SEED'],
  ])('stops the process with a message naming the variable for %j', async (bad, variable) => {
    const database = await createTestDatabase();
    try {
      const child = runScript('app/main.ts', [], { ...database.env, PORT: '0', HOST: '127.0.0.1', ...bad });
      const code = await child.exited;
      expect(code).not.toBe(0);
      expect(child.output()).toContain(variable);
    } finally {
      await database.drop();
    }
  });

  it('stops the process naming the PostgreSQL server, without its password, when it refuses the connection', async () => {
    // A loopback port nothing listens on: the connection is refused at once.
    const port = await freePort();
    const url = `postgres://portal_ops:s3cret-pass@127.0.0.1:${port}/portal_ops`;
    const child = runScript('app/main.ts', [], { DATABASE_URL: url, SECRET_KEY: Buffer.alloc(32, 1).toString('base64'), PORT: '0', HOST: '127.0.0.1' });
    expect(await child.exited).not.toBe(0);
    expect(child.output()).toContain(`PostgreSQL at postgres://portal_ops:***@127.0.0.1:${port}/portal_ops cannot be used`);
    expect(child.output()).toMatch(/ECONNREFUSED|connect/);
    expect(child.output()).not.toContain('s3cret-pass');
  });
});
