// The fake's TLS: a throwaway certificate authority and a server certificate for 127.0.0.1 and
// localhost, made with the OpenSSL CLI. Child processes trust the CA through NODE_EXTRA_CA_CERTS
// (caPath); an in-process client passes caPem to its agent.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeTls {
  caPath: string;
  caPem: string;
  keyPem: string;
  certPem: string;
}

/** Writes a CA and a server certificate signed by it into `dir` (EC keys: quick to make). */
export function makeFakeTls(dir: string): FakeTls {
  const file = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=portal-ops fake Microsoft CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  run('req', '-new', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  run(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '2',
    '-sha256',
    '-extfile',
    file('server.ext'),
  );
  return {
    caPath: file('ca.crt'),
    caPem: readFileSync(file('ca.crt'), 'utf8'),
    keyPem: readFileSync(file('server.key'), 'utf8'),
    certPem: readFileSync(file('server.crt'), 'utf8'),
  };
}
