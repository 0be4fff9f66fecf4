// Inspection of an uploaded PKCS#12 (.pfx) file before it is bound as the SSL certificate of a
// custom domain. Framework-free: it takes the bytes and the password and says, in sentences a
// person can act on, everything that is wrong with the file at once.
//
// How the file is read:
// - The PKCS#12 container is walked here with node-forge's ASN.1 reader and ciphers: the MAC
//   (SHA-1/256/384/512, PKCS#12 key derivation) is checked first, then every SafeContents is
//   decrypted — legacy PKCS#12 PBE (3DES, RC2-40, what `openssl pkcs12 -legacy` and old Windows
//   exports write) and PBES2 (PBKDF2 + AES-128/192/256-CBC or 3DES, the OpenSSL 3 default). The
//   walk keeps each certificate's exact DER (for the thumbprint) and each key's PKCS#8 DER.
// - Certificates and keys are then read by Node's crypto (X509Certificate, KeyObject), so RSA and
//   EC keys are treated alike; the few certificate fields Node does not expose (names, validity,
//   signature algorithm, subjectAltName, extended key usage) are read from the DER here.
// - Node's TLS must accept what will be served: the .pfx itself is offered to
//   tls.createSecureContext, and so are the extracted key and chain. Node's OpenSSL 3 has no
//   legacy provider, so it refuses RC2/3DES .pfx files as "Unsupported PKCS12 PFX data"; that
//   refusal alone is not held against the file, because the server is given the extracted key and
//   chain, and those must load.

import { createHash, createHmac, createPrivateKey, type KeyObject, timingSafeEqual, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { domainToASCII } from 'node:url';
import forge from 'node-forge';

export const MAX_PFX_BYTES = 100 * 1024; // uploads above are refused before parsing

export interface CertificateFacts {
  subject: string; // e.g. "CN=www.contoso.com, O=Contoso"
  commonName: string | null;
  sans: string[]; // dNSName subjectAltNames, lower-case
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: string; // of the leaf, e.g. "sha256WithRSAEncryption"
  keyType: 'RSA' | 'EC' | 'OTHER';
  keyBits: number;
  thumbprintSha256: string; // hex, upper-case, no separators, of the leaf's DER
  chainLength: number; // certificates in the file
}

export type PfxInspection = { ok: true; facts: CertificateFacts; privateKeyPem: string; certificatePem: string } | { ok: false; problems: string[]; facts?: CertificateFacts };

const MIN_RSA_BITS = 2048;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

const REEXPORT = 'Export the certificate together with its private key as a .pfx (PKCS#12) file and upload that.';

// ---------------------------------------------------------------------------------------------
// Host name coverage

/** Lower-case, without a trailing dot, internationalised names in their xn-- form. */
function normaliseHostname(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  if (/^[\x21-\x7e]*$/.test(lower)) return lower;
  return domainToASCII(lower) || lower;
}

function nameCovers(pattern: string, hostname: string): boolean {
  const p = normaliseHostname(pattern);
  if (!p || !hostname) return false;
  if (!p.startsWith('*.')) return p === hostname;
  const base = p.slice(2);
  // A wildcard stands for exactly one whole label, and never for a whole registrable suffix.
  if (!base.includes('.') || base.includes('*')) return false;
  if (!hostname.endsWith(`.${base}`)) return false;
  const label = hostname.slice(0, -(base.length + 1));
  return label.length > 0 && !label.includes('.') && !label.includes('*');
}

/**
 * Whether a certificate with these names is valid for `hostname`. Case-insensitive; `*.b.c`
 * covers exactly one more label (`x.b.c`, not `b.c` nor `y.x.b.c`); the common name counts only
 * when there are no DNS subject alternative names.
 */
export function coversHostname(facts: Pick<CertificateFacts, 'sans' | 'commonName'>, hostname: string): boolean {
  const host = normaliseHostname(hostname);
  if (!host) return false;
  const names = facts.sans.length > 0 ? facts.sans : facts.commonName ? [facts.commonName] : [];
  return names.some((name) => nameCovers(name, host));
}

// ---------------------------------------------------------------------------------------------
// ASN.1 helpers (node-forge's reader; byte strings are "binary" JS strings)

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

class NotPkcs12 extends Error {}
class WrongPassword extends Error {}
class Unsupported extends Error {}

function children(node: Asn1 | undefined): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new NotPkcs12('expected a constructed ASN.1 value');
  return node.value;
}

function child(node: Asn1 | undefined, index: number): Asn1 {
  const c = children(node)[index];
  if (!c) throw new NotPkcs12('missing ASN.1 element');
  return c;
}

function isUniversal(node: Asn1 | undefined, type: number): node is Asn1 {
  return !!node && node.tagClass === Class.UNIVERSAL && node.type === type;
}

function isContext(node: Asn1 | undefined, tag: number): node is Asn1 {
  return !!node && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

function oidOf(node: Asn1 | undefined): string {
  if (!isUniversal(node, Type.OID) || typeof node.value !== 'string') throw new NotPkcs12('expected an OID');
  return forge.asn1.derToOid(node.value);
}

/** The bytes of an OCTET STRING, primitive or (BER) constructed. */
function octets(node: Asn1 | undefined): string {
  if (!isUniversal(node, Type.OCTETSTRING)) throw new NotPkcs12('expected an OCTET STRING');
  if (typeof node.value === 'string') return node.value;
  return node.value.map((part) => octets(part)).join('');
}

function integerOf(node: Asn1 | undefined): number {
  if (!isUniversal(node, Type.INTEGER) || typeof node.value !== 'string') throw new NotPkcs12('expected an INTEGER');
  let n = 0;
  for (const ch of node.value) n = n * 256 + ch.charCodeAt(0);
  return n;
}

function fromDer(bytes: string): Asn1 {
  // Not strict: PKCS#12 files from Windows and Java are BER (indefinite lengths, constructed strings).
  return forge.asn1.fromDer(bytes, false);
}

// ---------------------------------------------------------------------------------------------
// PKCS#12 container

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

const MAC_DIGESTS: Record<string, { forge: () => forge.md.MessageDigest; node: string; bytes: number }> = {
  '1.3.14.3.2.26': { forge: () => forge.md.sha1.create(), node: 'sha1', bytes: 20 },
  '2.16.840.1.101.3.4.2.1': { forge: () => forge.md.sha256.create(), node: 'sha256', bytes: 32 },
  '2.16.840.1.101.3.4.2.2': { forge: () => forge.md.sha384.create(), node: 'sha384', bytes: 48 },
  '2.16.840.1.101.3.4.2.3': { forge: () => forge.md.sha512.create(), node: 'sha512', bytes: 64 },
};

interface PbeApi {
  getCipher(oid: string, params: Asn1, password: string | null): forge.cipher.BlockCipher;
}
const pbe = (forge.pki as unknown as { pbe: PbeApi }).pbe;

interface Pkcs12Contents {
  certificates: Buffer[]; // DER, in file order
  keys: Buffer[]; // PKCS#8 PrivateKeyInfo DER
}

/** The PKCS#12 "password" for the MAC and legacy PBE is BMP; for PBES2 it is UTF-8. */
interface Password {
  bmp: string | null;
  utf8: string;
}

/** Reads the outer PFX structure: the authenticated contents (still encoded) and the password MAC, if any. */
function readPfxEnvelope(bytes: Buffer): { authSafe: string; mac?: { digest: string; algorithm: string; salt: string; iterations: number } } {
  let pfx: Asn1;
  try {
    pfx = fromDer(bytes.toString('binary'));
  } catch {
    throw new NotPkcs12('not ASN.1');
  }
  const [version, authSafe, macData] = children(pfx);
  if (integerOf(version) !== 3) throw new NotPkcs12('not PKCS#12 version 3');
  const [contentType, content] = children(authSafe);
  const type = oidOf(contentType);
  if (type !== OID.data) {
    // Public-key integrity mode (signed PFX) is not something certificate exports produce.
    throw new Unsupported('public-key integrity mode');
  }
  if (!isContext(content, 0)) throw new NotPkcs12('authSafe has no content');
  const data = octets(child(content, 0));
  if (!macData) return { authSafe: data };
  const [digestInfo, salt, iterations] = children(macData);
  const [algorithm, digest] = children(digestInfo);
  return {
    authSafe: data,
    mac: {
      algorithm: oidOf(child(algorithm, 0)),
      digest: octets(digest),
      salt: octets(salt),
      iterations: iterations ? integerOf(iterations) : 1,
    },
  };
}

function macMatches(mac: NonNullable<ReturnType<typeof readPfxEnvelope>['mac']>, authSafe: string, password: string | null): boolean {
  if (mac.algorithm === OID.pbmac1) throw new Unsupported('PBMAC1 integrity');
  const digest = MAC_DIGESTS[mac.algorithm];
  if (!digest) throw new Unsupported(`MAC digest ${mac.algorithm}`);
  const salt = forge.util.createBuffer(mac.salt);
  const key = forge.pkcs12.generateKey(password, salt, 3, mac.iterations, digest.bytes, digest.forge());
  const computed = createHmac(digest.node, Buffer.from(key.getBytes(), 'binary')).update(Buffer.from(authSafe, 'binary')).digest();
  const expected = Buffer.from(mac.digest, 'binary');
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** Decrypts an EncryptedContentInfo / EncryptedPrivateKeyInfo body: AlgorithmIdentifier + bytes. */
function decrypt(algorithmIdentifier: Asn1, encrypted: string, password: Password): string {
  const oid = oidOf(child(algorithmIdentifier, 0));
  const params = child(algorithmIdentifier, 1);
  let cipher: forge.cipher.BlockCipher;
  try {
    cipher = pbe.getCipher(oid, params, oid === OID.pbes2 ? password.utf8 : password.bmp);
  } catch (error) {
    throw new Unsupported(`encryption ${oid}: ${error instanceof Error ? error.message : String(error)}`);
  }
  cipher.update(forge.util.createBuffer(encrypted));
  // A wrong password shows as bad padding (or, rarely, as garbage that does not parse).
  if (!cipher.finish()) throw new WrongPassword('decryption failed');
  return cipher.output.getBytes();
}

function readSafeContents(bytes: string, password: Password, out: Pkcs12Contents): void {
  let safeContents: Asn1;
  try {
    safeContents = fromDer(bytes);
  } catch {
    throw new WrongPassword('decrypted contents are not ASN.1');
  }
  for (const safeBag of children(safeContents)) {
    const [bagId, bagValue] = children(safeBag);
    const type = oidOf(bagId);
    if (!isContext(bagValue, 0)) throw new NotPkcs12('SafeBag without a value');
    const value = child(bagValue, 0);
    switch (type) {
      case OID.certBag: {
        const [certId, certValue] = children(value);
        if (oidOf(certId) !== OID.x509Certificate || !isContext(certValue, 0)) continue; // SDSI etc.
        out.certificates.push(Buffer.from(octets(child(certValue, 0)), 'binary'));
        break;
      }
      case OID.pkcs8ShroudedKeyBag:
        // EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }
        out.keys.push(Buffer.from(decrypt(child(value, 0), octets(child(value, 1)), password), 'binary'));
        break;
      case OID.keyBag:
        out.keys.push(Buffer.from(forge.asn1.toDer(value).getBytes(), 'binary'));
        break;
      case OID.safeContentsBag:
        readSafeContents(forge.asn1.toDer(value).getBytes(), password, out);
        break;
      default:
        break; // CRL and secret bags carry nothing we bind.
    }
  }
}

/** More rounds than any common exporter uses (OpenSSL 2,048; Windows 2,000 to 10,000; Java 10,000). */
export const MAX_ITERATIONS = 200_000;

const PBE_OIDS = new Set([OID.pbes2, '1.2.840.113549.1.5.12']);
const isPkcs12Pbe = (oid: string) => oid.startsWith('1.2.840.113549.1.12.1.');

/**
 * The largest iteration count the file asks for, in its MAC or in the parameters of a password-based
 * encryption it shows before decryption; 0 when it cannot tell (the parser reports such files).
 */
function largestIterationCount(bytes: Buffer): number {
  let largest = 0;
  try {
    const { mac } = readPfxEnvelope(bytes);
    if (mac) largest = mac.iterations;
    const visit = (node: Asn1, inParams: boolean, depth: number): void => {
      if (depth > 40 || !Array.isArray(node.value)) {
        if (inParams && isUniversal(node, Type.INTEGER)) largest = Math.max(largest, integerOf(node));
        return;
      }
      const [first, second] = node.value;
      const oid = isUniversal(first, Type.OID) ? oidOf(first) : undefined;
      const algorithm = oid !== undefined && (PBE_OIDS.has(oid) || isPkcs12Pbe(oid));
      for (const part of node.value) visit(part, inParams || (algorithm && part === second), depth + 1);
      // OCTET STRINGs and content wrappers may hold the next level (the authenticated safe, its bags).
    };
    const whole = fromDer(bytes.toString('binary'));
    visit(whole, false, 0);
    const authSafe = readPfxEnvelope(bytes).authSafe;
    visit(fromDer(authSafe), false, 0);
    for (const contentInfo of children(fromDer(authSafe))) {
      const [type, content] = children(contentInfo);
      if (oidOf(type) === OID.data && content) visit(fromDer(octets(child(content, 0))), false, 0);
    }
  } catch {
    return largest;
  }
  return largest;
}

function readPkcs12(bytes: Buffer, password: string): Pkcs12Contents {
  const { authSafe, mac } = readPfxEnvelope(bytes);

  // OpenSSL writes an empty password as an empty BMP string (two zero bytes) but also accepts a
  // MAC made with no password at all; so do we.
  const candidates: Array<string | null> = password === '' ? ['', null] : [password];
  let bmp: string | null = password;
  if (mac) {
    const matching = candidates.find((candidate) => macMatches(mac, authSafe, candidate));
    if (matching === undefined) throw new WrongPassword('MAC mismatch');
    bmp = matching;
  }
  const secret: Password = { bmp, utf8: forge.util.encodeUtf8(password) };

  let authenticatedSafe: Asn1;
  try {
    authenticatedSafe = fromDer(authSafe);
  } catch {
    throw new NotPkcs12('authSafe is not ASN.1');
  }
  const out: Pkcs12Contents = { certificates: [], keys: [] };
  for (const contentInfo of children(authenticatedSafe)) {
    const [contentType, content] = children(contentInfo);
    const type = oidOf(contentType);
    if (type === OID.data) {
      if (!isContext(content, 0)) continue;
      readSafeContents(octets(child(content, 0)), secret, out);
    } else if (type === OID.encryptedData) {
      if (!isContext(content, 0)) continue;
      // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT bytes } }
      const encryptedContentInfo = child(child(content, 0), 1);
      const encrypted = children(encryptedContentInfo)[2];
      if (!isContext(encrypted, 0)) continue; // detached content: nothing in the file
      const bytes = typeof encrypted.value === 'string' ? encrypted.value : encrypted.value.map((p) => octets(p)).join('');
      readSafeContents(decrypt(child(encryptedContentInfo, 1), bytes, secret), secret, out);
    } else if (type === OID.envelopedData) {
      throw new Unsupported('public-key privacy mode');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Certificates

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'G',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

interface SignatureAlgorithm {
  name: string;
  weakHash: string | null; // 'SHA-1', 'MD5'… when the signature is not SHA-2 strength
}

const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', weakHash: 'MD2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', weakHash: 'MD4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weakHash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weakHash: 'SHA-1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', weakHash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', weakHash: null },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', weakHash: null },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', weakHash: null },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', weakHash: null },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weakHash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', weakHash: null },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', weakHash: null },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', weakHash: null },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', weakHash: null },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', weakHash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', weakHash: null },
  '1.3.101.112': { name: 'ED25519', weakHash: null },
  '1.3.101.113': { name: 'ED448', weakHash: null },
};

const HASH_NAMES: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '1.2.840.113549.2.5': 'MD5',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
};

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'Email Protection',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '2.5.29.37.0': 'Any Purpose',
};

interface Certificate {
  der: Buffer;
  x509: X509Certificate;
  subject: string;
  commonName: string | null;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  signature: SignatureAlgorithm;
  sans: string[];
  extendedKeyUsage: string[] | null; // OIDs; null when the extension is absent
}

const UNIVERSAL_STRING = 28; // UCS-4; not in node-forge's Type enum

function stringValue(node: Asn1): string {
  if (typeof node.value !== 'string') return '';
  switch (node.type as number) {
    case Type.UTF8:
      return forge.util.decodeUtf8(node.value);
    case Type.BMPSTRING: {
      let s = '';
      for (let i = 0; i + 1 < node.value.length; i += 2) s += String.fromCharCode((node.value.charCodeAt(i) << 8) | node.value.charCodeAt(i + 1));
      return s;
    }
    case UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < node.value.length; i += 4) {
        const cp = ((node.value.charCodeAt(i) << 24) | (node.value.charCodeAt(i + 1) << 16) | (node.value.charCodeAt(i + 2) << 8) | node.value.charCodeAt(i + 3)) >>> 0;
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      return node.value; // Printable, IA5, T61, Visible: single bytes
  }
}

function escapeDnValue(value: string): string {
  return value
    .replace(/([\\,+"<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** A Name in RFC 4514 order (most specific first), separated by ", " as Windows shows it. */
function readName(name: Asn1): { text: string; commonName: string | null } {
  let commonName: string | null = null;
  const rdns = children(name).map((rdn) =>
    children(rdn)
      .map((attribute) => {
        const [type, value] = children(attribute);
        const oid = oidOf(type);
        const text = value ? stringValue(value) : '';
        if (oid === '2.5.4.3') commonName = text; // the last (most specific) CN wins
        return `${ATTRIBUTE_NAMES[oid] ?? oid}=${escapeDnValue(text)}`;
      })
      .join('+'),
  );
  return { text: rdns.reverse().join(', '), commonName };
}

function readTime(node: Asn1 | undefined): Date {
  if (!node || typeof node.value !== 'string') throw new Error('certificate validity is not a time');
  const time = node.type === Type.UTCTIME ? forge.asn1.utcTimeToDate(node.value) : forge.asn1.generalizedTimeToDate(node.value);
  // A damaged time field parses to an invalid date; such a certificate cannot be read.
  if (Number.isNaN(time.getTime())) throw new Error('certificate validity is not a valid time');
  return time;
}

function readSignatureAlgorithm(algorithmIdentifier: Asn1): SignatureAlgorithm {
  const oid = oidOf(child(algorithmIdentifier, 0));
  const known = SIGNATURE_ALGORITHMS[oid];
  if (known) return known;
  if (oid === '1.2.840.113549.1.1.10') {
    // RSASSA-PSS: the hash is in the parameters, and SHA-1 when absent.
    let hash = 'SHA-1';
    const params = children(algorithmIdentifier)[1];
    const hashAlgorithm = params && Array.isArray(params.value) ? params.value.find((p) => isContext(p, 0)) : undefined;
    if (hashAlgorithm) {
      const hashOid = oidOf(child(child(hashAlgorithm, 0), 0));
      hash = HASH_NAMES[hashOid] ?? hashOid;
    }
    return { name: `rsassaPss (${hash})`, weakHash: hash === 'SHA-1' || hash === 'MD5' ? hash : null };
  }
  return { name: oid, weakHash: null };
}

function readCertificate(der: Buffer): Certificate {
  const x509 = new X509Certificate(der);
  const certificate = fromDer(der.toString('binary'));
  const tbs = child(certificate, 0);
  const fields = children(tbs);
  const offset = isContext(fields[0], 0) ? 1 : 0; // [0] EXPLICIT version
  const issuer = readName(child(tbs, offset + 2));
  const validity = child(tbs, offset + 3);
  const subject = readName(child(tbs, offset + 4));

  let sans: string[] = [];
  let extendedKeyUsage: string[] | null = null;
  const extensions = fields.find((f) => isContext(f, 3));
  if (extensions) {
    for (const extension of children(child(extensions, 0))) {
      const parts = children(extension);
      const oid = oidOf(parts[0]);
      const value = parts[parts.length - 1];
      if (oid === '2.5.29.17') {
        const names = children(fromDer(octets(value)));
        sans = names.filter((n) => isContext(n, 2) && typeof n.value === 'string').map((n) => (n.value as string).toLowerCase());
      } else if (oid === '2.5.29.37') {
        extendedKeyUsage = children(fromDer(octets(value))).map((n) => oidOf(n));
      }
    }
  }

  return {
    der,
    x509,
    subject: subject.text,
    commonName: subject.commonName,
    issuer: issuer.text,
    notBefore: readTime(child(validity, 0)),
    notAfter: readTime(child(validity, 1)),
    signature: readSignatureAlgorithm(child(certificate, 1)),
    sans,
    extendedKeyUsage,
  };
}

function isSelfSigned(c: Certificate): boolean {
  try {
    return c.x509.checkIssued(c.x509) && c.x509.verify(c.x509.publicKey);
  } catch {
    return false;
  }
}

function issued(issuer: Certificate, subject: Certificate): boolean {
  return issuer !== subject && subject.x509.checkIssued(issuer.x509);
}

function keyFacts(key: KeyObject): { keyType: CertificateFacts['keyType']; keyBits: number } {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { keyType: 'RSA', keyBits: details.modulusLength ?? 0 };
    case 'ec':
      return { keyType: 'EC', keyBits: CURVE_BITS[details.namedCurve ?? ''] ?? 0 };
    case 'ed25519':
    case 'x25519':
      return { keyType: 'OTHER', keyBits: 256 };
    case 'ed448':
      return { keyType: 'OTHER', keyBits: 456 };
    default:
      return { keyType: 'OTHER', keyBits: details.modulusLength ?? 0 };
  }
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function describeLeaf(c: Pick<Certificate, 'commonName' | 'sans' | 'subject'>): string {
  const name = c.commonName ?? c.sans[0];
  return name ? `The certificate for ${name}` : `The certificate '${c.subject}'`;
}

const TLS_REASONS: Record<string, string> = {
  'mac absent': 'the file has no MAC integrity check',
  'key values mismatch': 'the private key does not belong to the certificate',
};

function tlsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // "error:0A00018E:SSL routines::ca md too weak" → "ca md too weak"
  const reason = message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '').trim() || 'unknown error';
  return TLS_REASONS[reason] ?? reason;
}

// ---------------------------------------------------------------------------------------------
// Inspection

export function inspectPfx(pfx: Buffer, password: string, options: { now?: Date; hostname?: string } = {}): PfxInspection {
  try {
    return inspect(pfx, password, options);
  } catch {
    // A damaged file can trip the parser anywhere; whatever it threw, the file is not usable.
    return { ok: false, problems: ['The file is not a valid PKCS#12 (.pfx) file: it is damaged or incomplete. Export it again.'] };
  }
}

function inspect(pfx: Buffer, password: string, options: { now?: Date; hostname?: string }): PfxInspection {
  const refusal = refusalBeforeReading(pfx);
  if (refusal) return { ok: false, problems: [refusal] };
  // Node's TLS is asked first: its verdict on the password backs ours, and its refusal is a problem.
  const pfxLoadError = tlsRefusal(() => createSecureContext({ pfx, passphrase: password }));
  const contents = openPfx(pfx, password, pfxLoadError);
  if (typeof contents === 'string') return { ok: false, problems: [contents] };

  const findings: Findings = { problems: [], explained: new Set() };
  const { certificates, keys } = readContents(contents, findings);
  if (certificates.length === 0) {
    findings.problems.push(`The file holds no certificate. ${REEXPORT}`);
    return { ok: false, problems: findings.problems };
  }
  const { leaf, key } = findLeaf(certificates, keys, contents.keys.length, findings);
  const leafKey = keyFacts(key ?? leaf.x509.publicKey);
  const intermediates = certificates.filter((c) => c !== leaf && !isSelfSigned(c));
  runChecks({ leaf, leafKey, intermediates, now: options.now ?? new Date(), hostname: options.hostname }, findings);

  const facts = factsOf(leaf, leafKey, certificates.length);
  const certificatePem = chainOf(leaf, certificates)
    .map((c) => `${c.x509.toString().trim()}\n`)
    .join('');
  const privateKeyPem = key ? (key.export({ type: 'pkcs8', format: 'pem' }) as string) : null;
  const unloadable = tlsCrossCheck(pfxLoadError, certificatePem, privateKeyPem, findings.explained);
  if (unloadable) findings.problems.push(unloadable);

  if (findings.problems.length > 0 || !privateKeyPem) return { ok: false, problems: findings.problems, facts };
  return { ok: true, facts, privateKeyPem, certificatePem };
}

/** A TLS refusal that a problem already found explains, so the refusal is not repeated. */
type Explanation = 'key' | 'hash' | 'rsa';

/** The problems found so far, and which TLS refusals they explain. */
interface Findings {
  problems: string[];
  explained: Set<Explanation>;
}

/** Why the file is refused before any of it is read: its size, or the work it asks for. */
function refusalBeforeReading(pfx: Buffer): string | undefined {
  if (pfx.length > MAX_PFX_BYTES) {
    return `The file is ${Math.ceil(pfx.length / 1024)} KB; a certificate file may be at most ${MAX_PFX_BYTES / 1024} KB. Export only the certificate, its chain and its private key as a .pfx file.`;
  }
  if (pfx.length === 0) return `The file is empty. ${REEXPORT}`;
  // Key derivation runs as many rounds as the file asks, on the event loop (forge) or in OpenSSL:
  // a crafted file could ask for billions. Refuse that before deriving anything.
  const rounds = largestIterationCount(pfx);
  if (rounds > MAX_ITERATIONS) return `The file asks for ${rounds} key derivation rounds; at most ${MAX_ITERATIONS} are accepted. ${REEXPORT}`;
  return undefined;
}

/** Node's TLS's reason for refusing what `load` gives it, or null when it loads. */
function tlsRefusal(load: () => unknown): string | null {
  try {
    load();
    return null;
  } catch (error) {
    return tlsReason(error);
  }
}

/** The decrypted contents of the file, or the one problem that stops reading it. */
function openPfx(pfx: Buffer, password: string, pfxLoadError: string | null): Pkcs12Contents | string {
  try {
    return readPkcs12(pfx, password);
  } catch (error) {
    if (error instanceof WrongPassword || pfxLoadError === 'mac verify failure') {
      return 'The password does not open the file. Enter the password that was set when the .pfx file was exported.';
    }
    if (error instanceof Unsupported) {
      return 'The file is protected with an encryption or integrity method that is not supported. Export it again with AES-256 encryption (the default of OpenSSL 3 and of Windows "AES256-SHA256") or with 3DES.';
    }
    const text = pfx.subarray(0, 64).toString('latin1');
    const hint = /-----BEGIN /.test(text) ? ' It looks like a PEM (text) certificate or key.' : /^[\x20-\x7e\r\n\t]*$/.test(text) ? ' It looks like a text file.' : '';
    return `The file is not a PKCS#12 (.pfx) file.${hint} ${REEXPORT}`;
  }
}

/** The certificates and private keys that can be read; each one that cannot is a problem. */
function readContents(contents: Pkcs12Contents, findings: Findings): { certificates: Certificate[]; keys: KeyObject[] } {
  const unreadable = (what: string) => {
    findings.problems.push(`The file holds ${what} that cannot be read. ${REEXPORT}`);
    findings.explained.add('key');
  };
  const certificates: Certificate[] = [];
  for (const der of contents.certificates) {
    try {
      certificates.push(readCertificate(der));
    } catch {
      unreadable('a certificate');
    }
  }
  const keys: KeyObject[] = [];
  for (const der of contents.keys) {
    try {
      keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    } catch {
      unreadable('a private key');
    }
  }
  return { certificates, keys };
}

/** The leaf: the certificate of the private key; failing that, the one that issued no other. */
function findLeaf(certificates: Certificate[], keys: KeyObject[], keysInFile: number, findings: Findings): { leaf: Certificate; key?: KeyObject } {
  for (const key of keys) {
    const leaf = certificates.find((c) => {
      try {
        return c.x509.checkPrivateKey(key);
      } catch {
        return false;
      }
    });
    if (leaf) return { leaf, key };
  }
  if (keys.length === 0 && keysInFile === 0) {
    findings.problems.push('The file holds no private key. Export the certificate again together with its private key (in Windows: "Yes, export the private key").');
    findings.explained.add('key');
  } else if (keys.length > 0) {
    findings.problems.push('The private key in the file does not belong to any certificate in it. Export the certificate together with its own private key.');
    findings.explained.add('key');
  }
  return { leaf: certificates.find((c) => !certificates.some((other) => other !== c && issued(c, other))) ?? certificates[0]! };
}

/** The chain that will be served: the leaf, then each issuer found in the file. */
function chainOf(leaf: Certificate, certificates: readonly Certificate[]): Certificate[] {
  const chain: Certificate[] = [leaf];
  for (let current = leaf; !isSelfSigned(current); ) {
    const parent = certificates.find((c) => !chain.includes(c) && issued(c, current));
    if (!parent) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

function factsOf(leaf: Certificate, leafKey: ReturnType<typeof keyFacts>, certificatesInFile: number): CertificateFacts {
  return {
    subject: leaf.subject,
    commonName: leaf.commonName,
    sans: leaf.sans,
    issuer: leaf.issuer,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    signatureAlgorithm: leaf.signature.name,
    keyType: leafKey.keyType,
    keyBits: leafKey.keyBits,
    thumbprintSha256: createHash('sha256').update(leaf.der).digest('hex').toUpperCase(),
    chainLength: certificatesInFile,
  };
}

/**
 * Node's TLS must load what will be served. A .pfx refused only for its legacy encryption (RC2/3DES,
 * not in Node's OpenSSL 3 default provider) is fine when the key and chain load. A refusal a problem
 * already explains is not repeated; the first other one is the problem returned.
 */
function tlsCrossCheck(pfxLoadError: string | null, certificatePem: string, privateKeyPem: string | null, explained: ReadonlySet<Explanation>): string | undefined {
  const tlsProblems: string[] = [];
  if (pfxLoadError && pfxLoadError !== 'Unsupported PKCS12 PFX data') tlsProblems.push(pfxLoadError);
  const servedLoadError = privateKeyPem ? tlsRefusal(() => createSecureContext({ key: privateKeyPem, cert: certificatePem })) : null;
  if (servedLoadError) tlsProblems.push(servedLoadError);
  const reason = tlsProblems.find(
    (found) =>
      !(explained.has('key') && /private key|no certificate|PFX/i.test(found)) &&
      !(explained.has('hash') && /md too weak/i.test(found)) &&
      !(explained.has('rsa') && /key too small/i.test(found)),
  );
  return reason ? `The web server cannot load the certificate and private key from this file (${reason}). ${REEXPORT}` : undefined;
}

// ---------------------------------------------------------------------------------------------
// The named checks of an uploaded certificate

/** What of a certificate the checks read. */
export type CheckedCertificate = Pick<Certificate, 'subject' | 'commonName' | 'sans' | 'notBefore' | 'notAfter' | 'signature' | 'extendedKeyUsage'>;

/** What the checks look at: the leaf and its key, the other certificates that are not roots, the time, the host name to serve. */
export interface CheckedFile {
  leaf: CheckedCertificate;
  leafKey: { keyType: CertificateFacts['keyType']; keyBits: number };
  intermediates: readonly CheckedCertificate[];
  now: Date;
  hostname: string | undefined;
}

/** One rule an uploaded certificate must meet: its name, and the problems (messages) it finds. */
export interface CertificateCheck {
  name: string;
  problems(file: CheckedFile): string[];
  /** The TLS refusal its problems explain, which is then not repeated. */
  explains?: Explanation;
}

const SHA2_REQUIRED = 'SHA-2 (for example SHA-256) is required.';

export const leafSignedWithSha2: CertificateCheck = {
  name: 'the certificate is signed with SHA-2',
  explains: 'hash',
  problems: ({ leaf }) =>
    leaf.signature.weakHash
      ? [`${describeLeaf(leaf)} is signed with ${leaf.signature.weakHash} (${leaf.signature.name}); ${SHA2_REQUIRED} Ask the certificate authority to reissue it with SHA-256.`]
      : [],
};

export const intermediatesSignedWithSha2: CertificateCheck = {
  name: 'every intermediate certificate is signed with SHA-2',
  explains: 'hash',
  problems: ({ intermediates }) =>
    intermediates
      .filter((c) => c.signature.weakHash)
      .map(
        (c) =>
          `The intermediate certificate '${c.subject}' is signed with ${c.signature.weakHash} (${c.signature.name}); ${SHA2_REQUIRED} Use the current SHA-256 intermediate certificate of your certificate authority.`,
      ),
};

export const validAlready: CertificateCheck = {
  name: 'the certificate is valid already',
  problems: ({ leaf, now }) =>
    now.getTime() < leaf.notBefore.getTime()
      ? [`${describeLeaf(leaf)} is not valid until ${formatDate(leaf.notBefore)}. Upload it once it is valid, or use a certificate that is valid now.`]
      : [],
};

export const notExpired: CertificateCheck = {
  name: 'the certificate has not expired',
  problems: ({ leaf, now }) => (now.getTime() > leaf.notAfter.getTime() ? [`${describeLeaf(leaf)} expired on ${formatDate(leaf.notAfter)}. Renew it and upload the new certificate.`] : []),
};

export const rsaKeyLongEnough: CertificateCheck = {
  name: `an RSA key has at least ${MIN_RSA_BITS} bits`,
  explains: 'rsa',
  problems: ({ leaf, leafKey }) =>
    leafKey.keyType === 'RSA' && leafKey.keyBits < MIN_RSA_BITS
      ? [
          `${describeLeaf(leaf)} has a ${leafKey.keyBits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required. Create a new key of ${MIN_RSA_BITS} bits or more and have the certificate reissued.`,
        ]
      : [],
};

export const servesWebSites: CertificateCheck = {
  name: 'the certificate may be used by a web server',
  problems: ({ leaf }) => {
    if (!leaf.extendedKeyUsage || leaf.extendedKeyUsage.includes(SERVER_AUTH)) return [];
    const allowed = leaf.extendedKeyUsage.map((oid) => EKU_NAMES[oid] ?? oid).join(', ') || 'nothing';
    return [
      `${describeLeaf(leaf)} may not be used by a web server: its extended key usage allows only ${allowed}. Ask for a certificate with Server Authentication (${SERVER_AUTH}) in its extended key usage.`,
    ];
  },
};

export const coversTheHostname: CertificateCheck = {
  name: 'the certificate covers the host name',
  problems: ({ leaf, hostname }) => {
    if (hostname === undefined || coversHostname(leaf, hostname)) return [];
    const names = leaf.sans.length > 0 ? leaf.sans : leaf.commonName ? [leaf.commonName] : [];
    return [
      `${describeLeaf(leaf)} does not cover ${normaliseHostname(hostname) || hostname}; it covers ${names.join(', ') || 'no host name'}. Use a certificate whose subject alternative names include that host name.`,
    ];
  },
};

/** The checks every uploaded certificate goes through, in the order their problems are listed. */
export const CERTIFICATE_CHECKS: readonly CertificateCheck[] = [
  leafSignedWithSha2,
  intermediatesSignedWithSha2,
  validAlready,
  notExpired,
  rsaKeyLongEnough,
  servesWebSites,
  coversTheHostname,
];

function runChecks(file: CheckedFile, findings: Findings): void {
  for (const check of CERTIFICATE_CHECKS) {
    const problems = check.problems(file);
    findings.problems.push(...problems);
    if (problems.length > 0 && check.explains) findings.explained.add(check.explains);
  }
}
