// Every replica and script must use the SECRET_KEY the database was first used with: another key
// could not open what the first sealed, so it is refused at start, saying what to do.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { startRuntime } from '../app/runtime.ts';
import { keyFingerprint, verifySecretKey } from '../app/secret-key.ts';
import { createTestDatabase, databasesUnderTest } from './support/databases.ts';

describe.each(databasesUnderTest())('the secret key check on %s', (kind) => {
  it('records the first key and refuses another, naming neither', async () => {
    const database = await createTestDatabase(kind);
    try {
      const db = await database.open();
      const [first, other] = [randomBytes(32), randomBytes(32)];
      await verifySecretKey(db, first);
      await verifySecretKey(db, first);
      const refused = await verifySecretKey(db, other).catch((error: unknown) => error as Error);
      expect(refused).toBeInstanceOf(Error);
      expect(refused?.message).toMatch(/not the key the database was first used with.*same SECRET_KEY/);
      for (const key of [first, other]) {
        expect(refused?.message).not.toContain(key.toString('base64'));
        expect(refused?.message).not.toContain(keyFingerprint(key));
      }
    } finally {
      await database.drop();
    }
  });

  it('stops a replica started with another SECRET_KEY, and lets one with the same key start', async () => {
    const database = await createTestDatabase(kind);
    const key = randomBytes(32).toString('base64');
    const env = { ...database.env, PORT: '0', HOST: '127.0.0.1', PLATFORM_SPEED: 'fast', LOG_LEVEL: 'silent' };
    try {
      const first = await startRuntime(loadConfig({ ...env, SECRET_KEY: key }), createLogger('silent'));
      await expect(startRuntime(loadConfig({ ...env, SECRET_KEY: randomBytes(32).toString('base64') }), createLogger('silent'))).rejects.toThrow(/SECRET_KEY/);
      const second = await startRuntime(loadConfig({ ...env, SECRET_KEY: key }), createLogger('silent'));
      await second.stop();
      await first.stop();
    } finally {
      await database.drop();
    }
  });
});
