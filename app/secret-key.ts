// SECRET_KEY, or a key generated on first start into the data folder (readable by this user only).
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import { claimKeyFingerprint } from '../db/key-store.ts';

export function loadSecretKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  const path = join(dataDir, 'secret.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`SECRET_KEY: ${path} does not hold 32 bytes in base64`);
  return key;
}

/** The key's fingerprint: a keyed digest of a fixed text, which tells keys apart and reveals nothing of them. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('portal-ops secret key check').digest('base64url');
}

/**
 * Refuses a SECRET_KEY other than the one the database was first used with: what one replica sealed
 * (private keys, the Microsoft sign-in) another could not open. The first process to start records
 * the key's fingerprint.
 */
export async function verifySecretKey(db: Db, key: Buffer): Promise<void> {
  if ((await claimKeyFingerprint(db, keyFingerprint(key))) !== keyFingerprint(key)) {
    throw new Error(
      'SECRET_KEY: this is not the key the database was first used with, so the secrets stored in it could not be read. ' +
        'Give every replica and script the same SECRET_KEY (or the same secret.key file in the data folder).',
    );
  }
}
