import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coversHostname, inspectPfx, MAX_PFX_BYTES, type PfxInspection } from './certificates.ts';

// Real certificates, made once with the OpenSSL CLI: a root CA, an intermediate CA, and leaf
// certificates issued with `openssl ca` (which, unlike `openssl x509 -req` in OpenSSL 3.0, can set
// any start and end date), exported as .pfx files both the OpenSSL 3 way (PBES2, AES-256-CBC,
// HMAC-SHA256) and the legacy way (RC2-40 and 3DES, SHA-1 MAC).

const PASSWORD = 'Tr0ub4dor&3-pfx';

const CONFIG = `
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused

[ ca ]
default_ca = ca_default
[ ca_default ]
database = index.txt
new_certs_dir = issued
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
rand_serial = yes
preserve = yes
[ policy_any ]
organizationName = optional
commonName = supplied

[ root_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ intermediate_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ server ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.contoso.com, DNS:contoso.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ wildcard ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.contoso.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ client_only ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:www.contoso.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

let dir = '';
const pfx: Record<string, Buffer> = {};
const pem: Record<string, string> = {};
const inspections: PfxInspection[] = [];

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function opensslTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`; // YYYYMMDDHHMMSSZ
}

function rsaKey(name: string, bits: number): void {
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', `${name}.key`);
}

function csr(name: string, key: string, subject: string): void {
  openssl('req', '-new', '-config', 'ca.cnf', '-key', `${key}.key`, '-subj', subject, '-out', `${name}.csr`);
}

interface IssueOptions {
  ca: string;
  extensions: string;
  md?: 'sha256' | 'sha1';
  start?: Date;
  end?: Date;
}

function issue(name: string, request: string, { ca, extensions, md = 'sha256', start, end }: IssueOptions): void {
  const dates = [...(start ? ['-startdate', opensslTime(start)] : []), ...(end ? ['-enddate', opensslTime(end)] : ['-days', '365'])];
  openssl(
    'ca',
    '-batch',
    '-notext',
    '-config',
    'ca.cnf',
    '-cert',
    `${ca}.crt`,
    '-keyfile',
    `${ca}.key`,
    '-in',
    `${request}.csr`,
    '-out',
    `${name}.crt`,
    '-extensions',
    extensions,
    '-md',
    md,
    ...dates,
  );
}

function chainFile(name: string, ...certificates: string[]): void {
  writeFileSync(join(dir, `${name}.pem`), certificates.map((c) => readFileSync(join(dir, `${c}.crt`), 'utf8')).join(''));
}

function exportPfx(name: string, cert: string, key: string | null, chain: string | null, extra: string[] = []): void {
  openssl(
    'pkcs12',
    '-export',
    '-in',
    `${cert}.crt`,
    ...(key ? ['-inkey', `${key}.key`] : ['-nokeys']),
    ...(chain ? ['-certfile', `${chain}.pem`] : []),
    '-passout',
    `pass:${PASSWORD}`,
    '-out',
    `${name}.pfx`,
    ...extra,
  );
  pfx[name] = readFileSync(join(dir, `${name}.pfx`));
}

function inspect(file: Buffer, password: string, options?: { now?: Date; hostname?: string }): PfxInspection {
  const result = inspectPfx(file, password, options);
  inspections.push(result);
  return result;
}

function problemsOf(result: PfxInspection): string[] {
  return result.ok ? [] : result.problems;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certificates-test-'));
  writeFileSync(join(dir, 'ca.cnf'), CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  mkdirSync(join(dir, 'issued'));

  rsaKey('root', 2048);
  rsaKey('int', 2048);
  rsaKey('leaf', 2048);
  // OpenSSL 3 still makes 1024-bit keys with genpkey; only TLS at higher security levels refuses them.
  rsaKey('small', 1024);
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key');

  const rootSubject = '/O=Contoso Test/CN=Contoso Test Root CA';
  openssl('req', '-x509', '-new', '-config', 'ca.cnf', '-key', 'root.key', '-subj', rootSubject, '-days', '3650', '-sha256', '-extensions', 'root_ca', '-out', 'root.crt');
  // The same root (same name, same key) self-signed with SHA-1, as old roots are.
  openssl('req', '-x509', '-new', '-config', 'ca.cnf', '-key', 'root.key', '-subj', rootSubject, '-days', '3650', '-sha1', '-extensions', 'root_ca', '-out', 'root-sha1.crt');

  csr('int', 'int', '/O=Contoso Test/CN=Contoso Test Intermediate CA');
  issue('int', 'int', { ca: 'root', extensions: 'intermediate_ca' });
  // A second intermediate, signed with SHA-1; it reuses the intermediate key.
  writeFileSync(join(dir, 'int-sha1.key'), readFileSync(join(dir, 'int.key')));
  csr('int-sha1', 'int', '/O=Contoso Test/CN=Contoso SHA1 Intermediate CA');
  issue('int-sha1', 'int-sha1', { ca: 'root', extensions: 'intermediate_ca', md: 'sha1' });

  csr('leaf', 'leaf', '/O=Contoso/CN=www.contoso.com');
  csr('wildcard', 'leaf', '/O=Contoso/CN=*.contoso.com');
  csr('small', 'small', '/O=Contoso/CN=www.contoso.com');
  csr('ec', 'ec', '/O=Contoso/CN=www.contoso.com');

  const now = Date.now();
  const day = 24 * 60 * 60 * 1000;
  issue('good', 'leaf', { ca: 'int', extensions: 'server' });
  issue('leaf-sha1', 'leaf', { ca: 'int', extensions: 'server', md: 'sha1' });
  issue('under-sha1-int', 'leaf', { ca: 'int-sha1', extensions: 'server' });
  issue('expired', 'leaf', { ca: 'int', extensions: 'server', start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') });
  issue('future', 'leaf', { ca: 'int', extensions: 'server', start: new Date(now + 365 * day), end: new Date(now + 730 * day) });
  issue('wildcard', 'wildcard', { ca: 'int', extensions: 'wildcard' });
  issue('small', 'small', { ca: 'int', extensions: 'server' });
  issue('client-only', 'leaf', { ca: 'int', extensions: 'client_only' });
  issue('ec', 'ec', { ca: 'int', extensions: 'server' });
  issue('everything-wrong', 'small', { ca: 'int', extensions: 'server', md: 'sha1', start: new Date('2019-06-01T00:00:00Z'), end: new Date('2020-06-01T00:00:00Z') });

  chainFile('chain', 'int', 'root');
  chainFile('chain-sha1-int', 'int-sha1', 'root');
  chainFile('chain-sha1-root', 'int', 'root-sha1');

  exportPfx('good', 'good', 'leaf', 'chain');
  exportPfx('good-legacy', 'good', 'leaf', 'chain', ['-legacy']);
  exportPfx('leaf-sha1', 'leaf-sha1', 'leaf', 'chain');
  exportPfx('under-sha1-int', 'under-sha1-int', 'leaf', 'chain-sha1-int');
  exportPfx('sha1-root', 'good', 'leaf', 'chain-sha1-root');
  exportPfx('expired', 'expired', 'leaf', 'chain');
  exportPfx('future', 'future', 'leaf', 'chain');
  exportPfx('wildcard', 'wildcard', 'leaf', 'chain');
  exportPfx('small', 'small', 'small', 'chain');
  exportPfx('no-key', 'good', null, 'chain');
  exportPfx('client-only', 'client-only', 'leaf', 'chain');
  exportPfx('ec', 'ec', 'ec', 'chain');
  exportPfx('everything-wrong', 'everything-wrong', 'small', 'chain', ['-legacy']);
  openssl('pkcs12', '-export', '-in', 'good.crt', '-inkey', 'leaf.key', '-passout', 'pass:', '-out', 'no-password.pfx');
  pfx['no-password'] = readFileSync(join(dir, 'no-password.pfx'));

  for (const name of ['root', 'int', 'good']) pem[name] = readFileSync(join(dir, `${name}.crt`), 'utf8');
  pem['leaf.key'] = readFileSync(join(dir, 'leaf.key'), 'utf8');
  pem['pfx-info-legacy'] = execInfo('good-legacy.pfx', ['-legacy']);
  pem['pfx-info-modern'] = execInfo('good.pfx', []);
  pem.fingerprint = openssl('x509', '-in', 'good.crt', '-noout', '-fingerprint', '-sha256');
  pem.dates = openssl('x509', '-in', 'good.crt', '-noout', '-startdate', '-enddate');
});

/** `openssl pkcs12 -info` writes the algorithms to stderr. */
function execInfo(file: string, extra: string[]): string {
  const out = execFileSync('sh', ['-c', `openssl pkcs12 -in "$1" -info -noout -passin "pass:$2" ${extra.join(' ')} 2>&1`, 'sh', file, PASSWORD], { cwd: dir });
  return out.toString();
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('inspectPfx', () => {
  it('accepts a SHA-256 leaf with its chain in an OpenSSL 3 (AES-256, HMAC-SHA256) .pfx and reports its facts', () => {
    expect(pem['pfx-info-modern']).toContain('AES-256-CBC');
    expect(pem['pfx-info-modern']).toMatch(/MAC: sha256/);

    const result = inspect(pfx.good!, PASSWORD, { hostname: 'www.contoso.com' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { facts } = result;

    const expectedThumbprint = pem.fingerprint!.split('=')[1]!.trim().replace(/:/g, '');
    const [notBefore, notAfter] = pem
      .dates!.trim()
      .split('\n')
      .map((line) => new Date(line.split('=')[1]!));
    expect(facts).toEqual({
      subject: 'CN=www.contoso.com, O=Contoso',
      commonName: 'www.contoso.com',
      sans: ['www.contoso.com', 'contoso.com'],
      issuer: 'CN=Contoso Test Intermediate CA, O=Contoso Test',
      notBefore,
      notAfter,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      keyType: 'RSA',
      keyBits: 2048,
      thumbprintSha256: expectedThumbprint,
      chainLength: 3,
    });
    expect(facts.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);

    // The chain, leaf first, then the intermediate and the root.
    const served = result.certificatePem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(served.map((c) => new X509Certificate(c).fingerprint256)).toEqual([pem.good!, pem.int!, pem.root!].map((c) => new X509Certificate(c).fingerprint256));
    // The key, unencrypted PKCS#8, is the leaf's.
    expect(result.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const publicOf = (key: string) => createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' });
    expect(publicOf(result.privateKeyPem).equals(publicOf(pem['leaf.key']!))).toBe(true);
  });

  it('accepts the same certificate in a legacy (RC2-40 / 3DES, SHA-1 MAC) .pfx, and the extracted key and chain serve TLS', async () => {
    expect(pem['pfx-info-legacy']).toMatch(/RC2-40|40BitRC2/i);
    expect(pem['pfx-info-legacy']).toMatch(/3DES|TripleDES/i);

    const result = inspect(pfx['good-legacy']!, PASSWORD, { hostname: 'contoso.com' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const modern = inspect(pfx.good!, PASSWORD);
    expect(result.facts).toEqual(modern.facts);

    // Node's OpenSSL 3 cannot open this .pfx itself (no legacy provider), so prove that what
    // inspectPfx returns really works: a TLS handshake that a client trusting the root accepts.
    const server = createServer({ key: result.privateKeyPem, cert: result.certificatePem }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'www.contoso.com', ca: pem.root! }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('accepts an EC (P-256) leaf', () => {
    const result = inspect(pfx.ec!, PASSWORD, { hostname: 'www.contoso.com' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.facts).toMatchObject({ keyType: 'EC', keyBits: 256, signatureAlgorithm: 'sha256WithRSAEncryption' });
  });

  it('refuses a leaf signed with SHA-1', () => {
    const result = inspect(pfx['leaf-sha1']!, PASSWORD);
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual([expect.stringMatching(/^The certificate for www\.contoso\.com is signed with SHA-1 .*SHA-2/)]);
    expect(result.facts?.signatureAlgorithm).toBe('sha1WithRSAEncryption');
  });

  it('refuses a SHA-256 leaf under an intermediate signed with SHA-1, naming the intermediate', () => {
    const result = inspect(pfx['under-sha1-int']!, PASSWORD);
    expect(result.ok).toBe(false);
    expect(result.facts?.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(problemsOf(result)).toEqual([expect.stringMatching(/^The intermediate certificate 'CN=Contoso SHA1 Intermediate CA, O=Contoso Test' is signed with SHA-1 .*SHA-2/)]);
  });

  it('ignores the SHA-1 signature of a self-signed root', () => {
    const result = inspect(pfx['sha1-root']!, PASSWORD);
    expect(problemsOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('refuses an expired certificate, giving the date', () => {
    const result = inspect(pfx.expired!, PASSWORD);
    expect(problemsOf(result)).toEqual([expect.stringMatching(/^The certificate for www\.contoso\.com expired on 2021-01-01 00:00 UTC\./)]);
  });

  it('refuses a certificate that is not valid yet, giving the date', () => {
    const result = inspect(pfx.future!, PASSWORD);
    const notBefore = result.facts!.notBefore;
    expect(notBefore.getTime()).toBeGreaterThan(Date.now());
    const date = `${notBefore.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(problemsOf(result)).toEqual([`The certificate for www.contoso.com is not valid until ${date}. Upload it once it is valid, or use a certificate that is valid now.`]);
    // …and takes the current time from the caller.
    expect(inspect(pfx.future!, PASSWORD, { now: new Date(notBefore.getTime() + 1000) }).ok).toBe(true);
    expect(problemsOf(inspect(pfx.good!, PASSWORD, { now: new Date('2100-01-01T00:00:00Z') }))).toEqual([expect.stringMatching(/expired on/)]);
  });

  it('refuses a certificate that does not cover the host name', () => {
    const result = inspect(pfx.good!, PASSWORD, { hostname: 'www.fabrikam.com' });
    expect(problemsOf(result)).toEqual([
      'The certificate for www.contoso.com does not cover www.fabrikam.com; it covers www.contoso.com, contoso.com. Use a certificate whose subject alternative names include that host name.',
    ]);
    expect(inspect(pfx.good!, PASSWORD, { hostname: 'WWW.Contoso.COM' }).ok).toBe(true);
    expect(inspect(pfx.good!, PASSWORD, { hostname: 'shop.contoso.com' }).ok).toBe(false);
  });

  it('lets a wildcard certificate cover exactly one label', () => {
    expect(inspect(pfx.wildcard!, PASSWORD, { hostname: 'shop.contoso.com' }).ok).toBe(true);
    expect(problemsOf(inspect(pfx.wildcard!, PASSWORD, { hostname: 'a.b.contoso.com' }))).toEqual([expect.stringContaining('does not cover a.b.contoso.com')]);
    expect(problemsOf(inspect(pfx.wildcard!, PASSWORD, { hostname: 'contoso.com' }))).toEqual([expect.stringContaining('does not cover contoso.com')]);
    const facts = inspect(pfx.wildcard!, PASSWORD).facts!;
    expect(facts.sans).toEqual(['*.contoso.com']);
    expect(coversHostname(facts, 'Shop.Contoso.com')).toBe(true);
    expect(coversHostname(facts, 'a.b.contoso.com')).toBe(false);
    expect(coversHostname(facts, 'contoso.com')).toBe(false);
  });

  it('refuses an RSA key under 2048 bits, giving its size', () => {
    const result = inspect(pfx.small!, PASSWORD);
    expect(result.facts).toMatchObject({ keyType: 'RSA', keyBits: 1024 });
    expect(problemsOf(result)).toEqual([expect.stringMatching(/has a 1024-bit RSA key; at least 2048 bits are required/)]);
  });

  it('says, and only says, that a wrong password does not open the file', () => {
    for (const file of [pfx.good!, pfx['good-legacy']!]) {
      const result = inspect(file, 'not-the-password');
      expect(result).toEqual({
        ok: false,
        problems: ['The password does not open the file. Enter the password that was set when the .pfx file was exported.'],
      });
    }
  });

  it('opens a .pfx exported with an empty password', () => {
    expect(inspect(pfx['no-password']!, '').ok).toBe(true);
    expect(problemsOf(inspect(pfx['no-password']!, PASSWORD))).toEqual([expect.stringMatching(/^The password does not open the file\./)]);
  });

  it('says that bytes which are not PKCS#12 are not a .pfx file', () => {
    for (const file of [randomBytes(4096), Buffer.from('hello, world'), Buffer.from(pem.good!), Buffer.alloc(0)]) {
      const result = inspect(file, PASSWORD);
      expect(result.ok).toBe(false);
      expect(problemsOf(result)).toEqual([expect.stringMatching(/^The file (is not a PKCS#12 \(\.pfx\) file\.|is empty\.)/)]);
    }
    expect(problemsOf(inspect(Buffer.from(pem.good!), PASSWORD))[0]).toContain('PEM');
  });

  it('refuses a .pfx without a private key, still describing the certificate', () => {
    const result = inspect(pfx['no-key']!, PASSWORD);
    expect(problemsOf(result)).toEqual([expect.stringMatching(/^The file holds no private key\./)]);
    expect(result.facts).toMatchObject({ commonName: 'www.contoso.com', chainLength: 3 });
  });

  it('refuses a certificate whose extended key usage lacks serverAuth', () => {
    const result = inspect(pfx['client-only']!, PASSWORD);
    expect(problemsOf(result)).toEqual([
      'The certificate for www.contoso.com may not be used by a web server: its extended key usage allows only Client Authentication. Ask for a certificate with Server Authentication (1.3.6.1.5.5.7.3.1) in its extended key usage.',
    ]);
  });

  it('refuses a file over MAX_PFX_BYTES without parsing it', () => {
    const big = Buffer.concat([pfx.good!, Buffer.alloc(MAX_PFX_BYTES + 1 - pfx.good!.length)]);
    expect(big.length).toBe(MAX_PFX_BYTES + 1);
    expect(problemsOf(inspect(big, PASSWORD))).toEqual([expect.stringMatching(/^The file is 101 KB; a certificate file may be at most 100 KB\./)]);
    expect(inspect(pfx.good!, PASSWORD).ok).toBe(true);
  });

  it('reports every problem at once: expired, a 1024-bit key and SHA-1', () => {
    const result = inspect(pfx['everything-wrong']!, PASSWORD, { hostname: 'www.contoso.com' });
    const problems = problemsOf(result);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/is signed with SHA-1/), expect.stringMatching(/expired on 2020-06-01 00:00 UTC/), expect.stringMatching(/1024-bit RSA key/)]),
    );
  });

  it('never puts the password or key material in a message', () => {
    expect(inspections.length).toBeGreaterThan(20);
    for (const result of inspections) {
      for (const problem of problemsOf(result)) {
        expect(problem).not.toContain(PASSWORD);
        expect(problem).not.toMatch(/PRIVATE KEY|BEGIN/);
        expect(problem).toMatch(/^[A-Z].*\.$/); // a sentence
      }
    }
  });
});

describe('coversHostname', () => {
  const facts = (sans: string[], commonName: string | null = null) => ({ sans, commonName });

  it('matches names exactly and case-insensitively', () => {
    expect(coversHostname(facts(['www.contoso.com']), 'www.contoso.com')).toBe(true);
    expect(coversHostname(facts(['www.contoso.com']), 'WWW.CONTOSO.COM')).toBe(true);
    expect(coversHostname(facts(['WWW.Contoso.com']), 'www.contoso.com')).toBe(true);
    expect(coversHostname(facts(['www.contoso.com']), 'contoso.com')).toBe(false);
    expect(coversHostname(facts(['www.contoso.com']), 'a.www.contoso.com')).toBe(false);
  });

  it('lets *.b.c stand for exactly one label', () => {
    const wildcard = facts(['*.contoso.com']);
    expect(coversHostname(wildcard, 'shop.contoso.com')).toBe(true);
    expect(coversHostname(wildcard, 'contoso.com')).toBe(false);
    expect(coversHostname(wildcard, 'a.b.contoso.com')).toBe(false);
    expect(coversHostname(wildcard, 'shopcontoso.com')).toBe(false);
    expect(coversHostname(facts(['*.com']), 'contoso.com')).toBe(false);
  });

  it('uses the common name only when there are no DNS names', () => {
    expect(coversHostname(facts([], 'www.contoso.com'), 'www.contoso.com')).toBe(true);
    expect(coversHostname(facts([], '*.contoso.com'), 'shop.contoso.com')).toBe(true);
    expect(coversHostname(facts(['contoso.com'], 'www.contoso.com'), 'www.contoso.com')).toBe(false);
    expect(coversHostname(facts([], null), 'www.contoso.com')).toBe(false);
  });
});
