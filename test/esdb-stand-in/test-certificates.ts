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
  const openssl = (...args: string[]): void => {
    try {
      execFileSync('openssl', args, { stdio: 'pipe' });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(missing ? 'the TLS specs need the openssl CLI (Debian package openssl; .ci/run installs it)' : `openssl ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
  };
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
