import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM file of the CA that signed the node certificate (for `tlsCAFile`). */
  caFile: string;
  /** PEM file of another CA, which did not (a wrong `tlsCAFile`). */
  otherCaFile: string;
  key: Buffer;
  cert: Buffer;
  /** Deletes the files. */
  remove(): void;
}

/**
 * A throw-away CA and a `localhost` node certificate it signed, made with the openssl CLI at test time
 * (never checked in), the way deploy/generate-certs.sh makes the cluster's.
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'esdb-stand-in-tls-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  const ca = (name: string): void =>
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${name}`,
      '-keyout', path(`${name}.key`), '-out', path(`${name}.crt`));
  ca('test-ca');
  ca('other-ca');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-keyout', path('node.key'), '-out', path('node.csr'));
  writeFileSync(path('node.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl('x509', '-req', '-in', path('node.csr'), '-CA', path('test-ca.crt'), '-CAkey', path('test-ca.key'), '-CAcreateserial', '-days', '1',
    '-extfile', path('node.ext'), '-out', path('node.crt'));
  return {
    caFile: path('test-ca.crt'),
    otherCaFile: path('other-ca.crt'),
    key: readFileSync(path('node.key')),
    cert: readFileSync(path('node.crt')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
