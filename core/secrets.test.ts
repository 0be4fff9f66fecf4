import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './secrets.ts';

describe('secrets at rest', () => {
  const key = randomBytes(32);

  it('opens what it sealed, for the same record', () => {
    const sealed = encryptSecret(key, '-----BEGIN PRIVATE KEY-----\nabc', 'cert-1');
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(decryptSecret(key, sealed, 'cert-1')).toBe('-----BEGIN PRIVATE KEY-----\nabc');
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    expect(encryptSecret(key, 'same', 'r')).not.toBe(encryptSecret(key, 'same', 'r'));
  });

  it('refuses a ciphertext copied onto another record', () => {
    const sealed = encryptSecret(key, 'secret', 'cert-1');
    expect(() => decryptSecret(key, sealed, 'cert-2')).toThrow();
  });

  it('refuses another key and a changed ciphertext', () => {
    const sealed = encryptSecret(key, 'secret', 'cert-1');
    expect(() => decryptSecret(randomBytes(32), sealed, 'cert-1')).toThrow();
    const [version, iv, tag, ciphertext] = sealed.split(':') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret(key, [version, iv, tag, flipped.toString('base64')].join(':'), 'cert-1')).toThrow();
  });

  it('says so when the stored value is not in a format it reads', () => {
    expect(() => decryptSecret(key, 'v0:abc', 'cert-1')).toThrow('The stored secret is not in a format this version reads.');
  });
});
