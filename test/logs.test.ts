// What the logs keep: a client's mistakes at debug, by code only (never its input); every line
// bounded, whatever was logged.

import { Writable } from 'node:stream';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { createLogger, MAX_LINE_CHARS } from '../app/logger.ts';
import { createTestDatabase } from './support/databases.ts';
import { freePort, runScript, waitForReady } from './support/process.ts';
import { eventually } from './support/wait.ts';

describe('logs', () => {
  it("keep a client's mistakes at debug, by code and without the input", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const env = { ...database.env, HOST: '127.0.0.1', PORTAL_DOMAIN: 'portals.test', LOG_LEVEL: 'debug' };
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = runScript('app/main.ts', [], { ...env, PORT: String(port) });
    try {
      await waitForReady(url, server);
      const cli = runScript('scripts/token-create.ts', ['--name', 'logs', '--scopes', 'read'], env);
      expect(await cli.exited).toBe(0);
      const token = cli.output().trim().split('\n').at(-1) ?? '';
      const ask = async (id: string) => {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id } }),
        });
        return (await response.json()).errors?.[0]?.extensions?.code;
      };
      const marker = 'QmFkSW5wdXQ';
      expect(await ask(marker.repeat(9_000))).toBe('BAD_USER_INPUT');
      expect(await ask(encodeGlobalID('Portal', '424242'))).toBe('NOT_FOUND');

      // The child's output reaches this process a moment after its answers.
      await eventually(() => server.output().split('graphql client error').length >= 3, 10_000, "the child's two log lines", { intervalMs: 100 });
      const lines = server.output().trim().split('\n');
      const mistakes = lines.filter((line) => line.includes('graphql client error'));
      expect(mistakes.map((line) => [JSON.parse(line).level, JSON.parse(line).code])).toEqual([
        [20, 'BAD_USER_INPUT'],
        [20, 'NOT_FOUND'],
      ]);
      expect(lines.filter((line) => line.includes('"level":50'))).toEqual([]);
      expect(server.output()).not.toContain(marker.repeat(3));
      expect(server.output()).not.toContain('424242');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    } finally {
      server.process.kill('SIGKILL');
      await server.exited;
      await database.drop();
    }
  });

  it('bound every line, keeping it one line of JSON with its level and message', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ input: 'x'.repeat(1_000_000) }, 'a large field');
    log.error({ err: new Error(`failed on ${'y'.repeat(500_000)}`) }, 'a large error');
    log.warn({ list: Array.from({ length: 100_000 }, (_, i) => i) }, 'a long list');
    log.info('small');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed.map((entry) => [entry.level, entry.msg])).toEqual([
      [30, 'a large field'],
      [50, 'a large error'],
      [40, 'a long list'],
      [30, 'small'],
    ]);
    expect(parsed[0].truncated).toBeGreaterThan(1_000_000);
    expect(parsed[1].err.message).toMatch(/^failed on y+… \[\d+ characters\]$/);
    expect(parsed[3].truncated).toBeUndefined();
  });
});
