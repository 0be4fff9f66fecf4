// The certificate a platform that takes the key itself (Power Pages) is given for an SSL binding:
// the stored certificate and its decrypted key as a fresh PKCS#12 under a one-time password. The
// uploaded password was never kept; this one lives only for the upload.
import { randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateRow } from '../db/schema.ts';
import type { BindingCertificate } from '../platform/platform.ts';
import { decryptSecret } from './secrets.ts';

export function bindingCertificate(secretKey: Buffer, certificate: Pick<CertificateRow, 'id' | 'certificatePem' | 'privateKeyEncrypted'>): BindingCertificate {
  const keyPem = decryptSecret(secretKey, certificate.privateKeyEncrypted, certificate.id);
  const password = randomBytes(18).toString('base64url');
  const chain = certificate.certificatePem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    chain.map((pem) => forge.pki.certificateFromPem(pem)),
    password,
    { algorithm: 'aes256', generateLocalKeyId: true },
  );
  const pfx = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const thumbprintSha1 = new X509Certificate(chain[0] ?? certificate.certificatePem).fingerprint.replace(/:/g, '').toUpperCase();
  return { pfx, password, thumbprintSha1 };
}
