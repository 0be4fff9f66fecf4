// The named checks of an uploaded certificate, each on its own, with certificates described as data.
// core/certificates.test.ts runs them through real .pfx files made with OpenSSL.
import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_CHECKS,
  type CheckedCertificate,
  type CheckedFile,
  coversTheHostname,
  intermediatesSignedWithSha2,
  leafSignedWithSha2,
  notExpired,
  rsaKeyLongEnough,
  servesWebSites,
  validAlready,
} from './certificates.ts';

const SHA256 = { name: 'sha256WithRSAEncryption', weakHash: null };
const SHA1 = { name: 'sha1WithRSAEncryption', weakHash: 'SHA-1' };

function certificate(overrides: Partial<CheckedCertificate> = {}): CheckedCertificate {
  return {
    subject: 'CN=www.contoso.com, O=Contoso',
    commonName: 'www.contoso.com',
    sans: ['www.contoso.com', 'contoso.com'],
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    signature: SHA256,
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
    ...overrides,
  };
}

function file(overrides: Partial<CheckedFile> = {}): CheckedFile {
  return {
    leaf: certificate(),
    leafKey: { keyType: 'RSA', keyBits: 2048 },
    intermediates: [certificate({ subject: 'CN=Contoso CA', commonName: 'Contoso CA', sans: [], extendedKeyUsage: null })],
    now: new Date('2026-06-01T00:00:00Z'),
    hostname: 'www.contoso.com',
    ...overrides,
  };
}

describe('the named certificate checks', () => {
  it('find nothing wrong with a good certificate', () => {
    expect(CERTIFICATE_CHECKS.flatMap((check) => check.problems(file()))).toEqual([]);
  });

  it('each have a name of their own', () => {
    const names = CERTIFICATE_CHECKS.map((check) => check.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('the certificate has not expired');
  });

  it('refuse a leaf signed with SHA-1, and explain the TLS "md too weak"', () => {
    expect(leafSignedWithSha2.problems(file({ leaf: certificate({ signature: SHA1 }) }))).toEqual([
      'The certificate for www.contoso.com is signed with SHA-1 (sha1WithRSAEncryption); SHA-2 (for example SHA-256) is required. Ask the certificate authority to reissue it with SHA-256.',
    ]);
    expect(leafSignedWithSha2.explains).toBe('hash');
  });

  it('name each intermediate signed with SHA-1', () => {
    const weak = certificate({ subject: 'CN=Old CA', signature: SHA1 });
    const problems = intermediatesSignedWithSha2.problems(file({ intermediates: [certificate(), weak] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^The intermediate certificate 'CN=Old CA' is signed with SHA-1 \(sha1WithRSAEncryption\)/);
  });

  it('refuse a certificate that is not valid yet, and one that expired, giving the date', () => {
    const early = file({ now: new Date('2025-12-31T23:59:00Z') });
    expect(validAlready.problems(early)).toEqual([
      'The certificate for www.contoso.com is not valid until 2026-01-01 00:00 UTC. Upload it once it is valid, or use a certificate that is valid now.',
    ]);
    expect(notExpired.problems(early)).toEqual([]);
    const late = file({ now: new Date('2027-01-01T00:01:00Z') });
    expect(notExpired.problems(late)).toEqual(['The certificate for www.contoso.com expired on 2027-01-01 00:00 UTC. Renew it and upload the new certificate.']);
    expect(validAlready.problems(late)).toEqual([]);
  });

  it('refuse an RSA key under 2048 bits, but not an EC key of 256', () => {
    expect(rsaKeyLongEnough.problems(file({ leafKey: { keyType: 'RSA', keyBits: 1024 } }))[0]).toMatch(/has a 1024-bit RSA key; at least 2048 bits are required/);
    expect(rsaKeyLongEnough.problems(file({ leafKey: { keyType: 'EC', keyBits: 256 } }))).toEqual([]);
    expect(rsaKeyLongEnough.explains).toBe('rsa');
  });

  it('refuse a certificate whose extended key usage leaves out Server Authentication, naming what it allows', () => {
    expect(servesWebSites.problems(file({ leaf: certificate({ extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'] }) }))[0]).toMatch(
      /may not be used by a web server: its extended key usage allows only Client Authentication\./,
    );
    // Without the extension, any use is allowed.
    expect(servesWebSites.problems(file({ leaf: certificate({ extendedKeyUsage: null }) }))).toEqual([]);
  });

  it('refuse a certificate that does not cover the host name, and check none when there is no host name', () => {
    expect(coversTheHostname.problems(file({ hostname: 'Portal.Fabrikam.com.' }))).toEqual([
      'The certificate for www.contoso.com does not cover portal.fabrikam.com; it covers www.contoso.com, contoso.com. Use a certificate whose subject alternative names include that host name.',
    ]);
    expect(coversTheHostname.problems(file({ hostname: undefined }))).toEqual([]);
  });

  it('describe a leaf with no name by its subject', () => {
    const nameless = certificate({ commonName: null, sans: [], subject: 'O=Contoso', signature: SHA1 });
    expect(leafSignedWithSha2.problems(file({ leaf: nameless }))[0]).toMatch(/^The certificate 'O=Contoso' is signed with SHA-1/);
  });
});
