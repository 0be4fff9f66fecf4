// The life of an API token, over the real server process and the scripts: made with an expiry,
// listed with its last use (never its secret), revoked from the command line or by an administrator
// through GraphQL; failed authentications logged without the token and refused 429 when they pile up.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, hashToken } from '../core/tokens.ts';
import { closeDatabase } from '../db/database.ts';
import { SAMPLE_SEED_PATH } from '../platform/local/seed.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { type Child, runScript, startServer } from './support/process.ts';

describe('API tokens', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: Child;
  let url: string;

  async function script(name: string, args: string[]): Promise<{ code: number | null; output: string }> {
    const cli = runScript(`scripts/${name}.ts`, args, env);
    return { code: await cli.exited, output: cli.output() };
  }

  async function create(args: string[]): Promise<string> {
    const made = await script('token-create', args);
    expect(made.code, made.output).toBe(0);
    return made.output.trim().split('\n').at(-1) ?? '';
  }

  async function gql(token: string, query: string, variables?: unknown) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  }

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

  it('makes a token that expires, lists it with its last use and never its secret, and revokes it by name', async () => {
    const token = await create(['--name', 'ci', '--scopes', 'read', '--user', 'ada@contoso.com', '--expires', '90d']);
    expect((await gql(token, '{ viewer { name } }')).body.data.viewer.name).toBe('Ada Lovelace');

    const listed = await script('token-list', []);
    expect(listed.code).toBe(0);
    const line = listed.output.split('\n').find((l) => /^\d+\s+ci\s/.test(l)) ?? '';
    expect(line).toMatch(/^\d+\s+ci\s+read\s+ada@contoso\.com\s+active\s+\S+Z\s+\S+Z\s+\S+Z$/);
    const expires = new Date(line.split(/\s+/).at(-1) ?? '');
    expect(Math.round((expires.getTime() - Date.now()) / 86_400_000)).toBe(90);
    expect(listed.output).not.toContain(token);
    expect(listed.output).not.toContain(hashToken(token));

    const revoked = await script('token-revoke', ['ci']);
    expect(revoked.code, revoked.output).toBe(0);
    expect(revoked.output).toMatch(/Revoked token \d+ \("ci"\)/);
    const refused = await gql(token, '{ viewer { name } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].message).toMatch(/revoked/);
    expect((await script('token-list', [])).output).toMatch(/\sci\s+read\s+ada@contoso\.com\s+revoked \S+Z/);

    const again = await script('token-revoke', ['ci']);
    expect(again.code).toBe(2);
    expect(again.output).toContain('already revoked');
    const unknown = await script('token-revoke', ['nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('No API token has the number or name "nobody"');
  });

  it('refuses an expiry it cannot read, and a token past its expiry', async () => {
    const bad = await script('token-create', ['--name', 'x', '--scopes', 'read', '--expires', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('expires: Give the expiry as a number of days or hours');

    const db = await database.open();
    const platform = await LocalPlatform.connect(db, SAMPLE_SEED_PATH);
    const old = await createApiToken({ db, platform }, { name: 'old', scopes: ['read'], expires: '1h' }, new Date(Date.now() - 2 * 3_600_000));
    await closeDatabase(db);
    const refused = await gql(old.token, '{ viewer { name } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].message).toMatch(/^The API token expired at /);
  });

  it('lets an administrator list and revoke tokens through GraphQL, and no one else', async () => {
    const admin = await create(['--name', 'ops', '--scopes', 'admin']);
    const writer = await create(['--name', 'writer', '--scopes', 'read,write', '--user', 'ada@contoso.com']);
    const LIST = '{ apiTokens { id number name scopes state lastUsedAt expiresAt user { email } } }';

    const forbidden = await gql(writer, LIST);
    expect(forbidden.body.errors[0]).toMatchObject({ message: 'Only a token with the admin scope may see or revoke API tokens.', extensions: { code: 'FORBIDDEN' } });

    const listed = await gql(admin, LIST);
    const writerRow = listed.body.data.apiTokens.find((t: { name: string }) => t.name === 'writer');
    expect(writerRow).toMatchObject({ scopes: ['read', 'write'], state: 'ACTIVE', user: { email: 'ada@contoso.com' }, expiresAt: null });
    expect(writerRow.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(hashToken(writer));

    const REVOKE = 'mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { __typename ... on Error { message } ... on ApiTokenPayload { token { name state revokedAt } } } }';
    const notAdmin = await gql(writer, REVOKE, { id: writerRow.id });
    expect(notAdmin.body.data.revokeApiToken.__typename).toBe('ForbiddenError');
    const done = await gql(admin, REVOKE, { id: writerRow.id });
    expect(done.body.data.revokeApiToken).toMatchObject({ __typename: 'ApiTokenPayload', token: { name: 'writer', state: 'REVOKED' } });
    expect((await gql(writer, '{ viewer { name } }')).status).toBe(401);
    expect((await gql(admin, REVOKE, { id: writerRow.id })).body.data.revokeApiToken.__typename).toBe('ConflictError');
    expect(server.output()).toMatch(/"tokenName":"writer".*"API token revoked"/);
  });

  /** A GraphQL request from a chosen loopback address, as another client machine would send it. */
  function gqlFrom(localAddress: string, token: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ query: '{ viewer { name } }' });
      const req = request(`${url}/graphql`, {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body: text }));
      });
      req.end(body);
    });
  }

  it('logs failed authentications without the token and answers 429 after ten in a minute from one address', async () => {
    const good = await create(['--name', 'good', '--scopes', 'read']);
    const guesses = Array.from({ length: 10 }, (_, i) => `pop_guess${i}${'x'.repeat(30)}`);
    for (const guess of guesses) expect((await gqlFrom('127.0.0.2', guess)).status).toBe(401);
    const limited = await gqlFrom('127.0.0.2', `pop_guess10${'x'.repeat(30)}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(limited.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    // The address is held off whatever it sends, until the minute is over; other addresses are not.
    expect((await gqlFrom('127.0.0.2', good)).status).toBe(429);
    expect((await gqlFrom('127.0.0.3', good)).status).toBe(200);

    const failures = server
      .output()
      .split('\n')
      .filter((l) => l.includes('API authentication failed') && l.includes('"client":"127.0.0.2"'));
    expect(failures).toHaveLength(10);
    for (const guess of guesses) expect(server.output()).not.toContain(guess);
  });
});
