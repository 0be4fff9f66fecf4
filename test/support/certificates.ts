// Real certificates for integration tests, made with the OpenSSL CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PFX_PASSWORD = 'c0rrect-h0rse-battery';

/** A self-signed SHA-256 server certificate for `sans`, as a .pfx, with its private key PEM. */
export function makeServerPfx(dir: string, name: string, sans: string[], options: { days?: number; password?: string } = {}) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const pfx = join(dir, `${name}.pfx`);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-sha256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    String(options.days ?? 90),
    '-subj',
    `/CN=${sans[0]}`,
    '-addext',
    `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`,
    '-addext',
    'extendedKeyUsage=serverAuth',
  );
  run('pkcs12', '-export', '-inkey', key, '-in', cert, '-out', pfx, '-passout', `pass:${options.password ?? PFX_PASSWORD}`);
  const keyPem = readFileSync(key, 'utf8');
  return {
    pfx: readFileSync(pfx),
    base64: readFileSync(pfx).toString('base64'),
    /** The key's base64 body, to look for in files that must not hold it. */
    keyBody: keyPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .slice(1, 3)
      .join(''),
  };
}
