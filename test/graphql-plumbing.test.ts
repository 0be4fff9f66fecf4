// The plumbing under GraphQL: the request body cap, and the statements a SQLite connection keeps
// prepared (when SQLite is under test).

import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheStatements } from '../db/client.ts';
import Database, { type SqliteDatabase } from '../db/sqlite-driver.ts';
import { useBodyLimit } from '../graphql/body-limit.ts';
import { underTest } from './support/databases.ts';

function smallServer(limit: number) {
  return createYoga({
    schema: createSchema({ typeDefs: 'type Query { echo(text: String!): String! }', resolvers: { Query: { echo: (_: unknown, a: { text: string }) => a.text } } }),
    maxRequestBodySize: false,
    plugins: [useBodyLimit(limit)],
    logging: false,
  });
}
const echo = (text: string) => JSON.stringify({ query: 'query($t: String!) { echo(text: $t) }', variables: { t: text } });

/** A body with no declared length, sent in chunks as a chunked HTTP request would be. */
function streamed(body: string, chunk = 64): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(body);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

describe('request body cap', () => {
  const yoga = smallServer(300);
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

  it('answers a body within the cap, declared or streamed', async () => {
    const declared = await post(echo('hello'));
    expect(declared.status).toBe(200);
    expect(await declared.json()).toEqual({ data: { echo: 'hello' } });
    const chunked = await post(streamed(echo('x'.repeat(150)), 16));
    expect(chunked.status).toBe(200);
    expect((await chunked.json()).data.echo).toHaveLength(150);
  });

  it('refuses a declared length over the cap before reading the body', async () => {
    const response = await post(echo('x'.repeat(400)));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].message).toBe('The request body is larger than 300 bytes.');
  });

  it('refuses a body with no declared length once more than the cap has streamed', async () => {
    const response = await post(streamed(echo('x'.repeat(400))));
    expect(response.status).toBe(413);
  });

  it('counts an encoded body as it streams: its declared length says nothing of what it expands to', async () => {
    const response = await post(streamed(echo('x'.repeat(400))), { 'content-length': '10', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
  });

  it('refuses a malformed Content-Length', async () => {
    const response = await post('x', { 'content-length': '1, 2' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toBe('Content-Length header is invalid.');
  });
});

if (underTest('sqlite'))
  describe('prepared statement cache', () => {
    let client: SqliteDatabase;
    afterEach(() => client.close());

    it('hands back the same statement for the same SQL, in default mode, and drops the least recently used', () => {
      client = new Database(':memory:');
      client.exec("create table t (a integer, b text); insert into t values (1, 'one'), (2, 'two')");
      cacheStatements(client, 2);
      const cached = client;
      const first = cached.prepare('select a, b from t order by a');
      expect(first.raw().all()).toEqual([
        [1, 'one'],
        [2, 'two'],
      ]);
      const again = cached.prepare('select a, b from t order by a');
      expect(again).toBe(first);
      // Raw mode was left on by the last caller; the next one gets rows as objects again.
      expect(again.all()).toEqual([
        { a: 1, b: 'one' },
        { a: 2, b: 'two' },
      ]);
      cached.prepare('select a from t');
      cached.prepare('select b from t');
      expect(cached.prepare('select a, b from t order by a')).not.toBe(first);
      expect(cached.inTransaction).toBe(false);
      cached.exec("insert into t values (3, 'three')");
      expect(cached.prepare('select count(*) as n from t').get()).toEqual({ n: 3 });
    });

    it('gives a statement that is still being iterated to no one else', () => {
      client = new Database(':memory:');
      client.exec('create table t (a integer); insert into t values (1), (2)');
      cacheStatements(client, 10);
      const cached = client;
      const busy = cached.prepare('select a from t');
      const rows = busy.iterate();
      rows.next();
      const other = cached.prepare('select a from t');
      expect(other).not.toBe(busy);
      expect(other.all()).toEqual([{ a: 1 }, { a: 2 }]);
      rows.return?.();
    });

    it('prepares a bound LIMIT as an expression the planner leaves alone, and it still limits', () => {
      client = new Database(':memory:');
      client.exec('create table t (a integer primary key); insert into t values (1), (2), (3)');
      cacheStatements(client, 10);
      const page = client.prepare('select a from t where a > ? order by a limit ? offset ?');
      expect(page.source).toBe('select a from t where a > ? order by a limit +? offset ?');
      expect(page.pluck().all(0, 2, 0)).toEqual([1, 2]);
      expect(page.pluck().all(0, 2, 1)).toEqual([2, 3]);
      const nested = client.prepare('select (select a from t order by a desc LIMIT ?) as top from t limit ?');
      expect(nested.source).toBe('select (select a from t order by a desc limit +?) as top from t limit +?');
      expect(nested.all(1, 1)).toEqual([{ top: 3 }]);
      expect(() => client.prepare('select a from t limit ?').all('many')).toThrow(/datatype mismatch/);
    });
  });
