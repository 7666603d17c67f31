/**
 * Throwaway certificates for the syslog TLS tests, made with the `openssl` CLI in a temp dir: a
 * CA, a collector certificate it signed for 127.0.0.1 and localhost, a client certificate it
 * signed (mutual TLS), and a second, unrelated CA (the wrong one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether the `openssl` CLI is installed (Debian package `openssl`). */
export const hasOpenssl = existsSync('/usr/bin/openssl');

/** Paths of the PEM files, and a way to read one. */
export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly otherCaFile: string;
  /** The PEM text of one of the files above. */
  pem(file: string): string;
  /** Deletes the directory. */
  remove(): void;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ca(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

function signed(dir: string, name: string, extensions: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  execFileSync('sh', ['-c', `printf '%s\\n' "${extensions}" > ${name}.ext`], { cwd: dir });
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
}

/** Makes the CA, the collector's and the client's certificates, and another CA. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'periscope-pki-'));
  ca(dir, 'ca');
  ca(dir, 'other-ca');
  signed(dir, 'collector', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth');
  signed(dir, 'client', 'extendedKeyUsage=clientAuth');
  const at = (file: string) => join(dir, file);
  return {
    dir,
    caFile: at('ca.pem'),
    serverCertFile: at('collector.pem'),
    serverKeyFile: at('collector.key'),
    clientCertFile: at('client.pem'),
    clientKeyFile: at('client.key'),
    otherCaFile: at('other-ca.pem'),
    pem: (file) => readFileSync(file, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
