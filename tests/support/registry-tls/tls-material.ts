import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  /** The CA certificate a client trusts (PEM file). */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

function openssl(args: readonly string[]): void {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`openssl ${args[0]} failed: ${result.stderr || result.error?.message}`);
}

/** A throwaway CA valid for a day, and a server certificate it signed for `host`. */
export function createTlsMaterial(dir: string, host: string): TlsMaterial {
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.crt');
  const extensions = join(dir, 'server.ext');
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=deploy-suite test CA',
    '-keyout',
    caKey,
    '-out',
    caFile,
  ]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${host}`, '-keyout', keyFile, '-out', csr]);
  writeFileSync(
    extensions,
    [`subjectAltName=DNS:${host}`, 'basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth', ''].join('\n'),
  );
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    extensions,
    '-out',
    certFile,
  ]);
  return { caFile, certFile, keyFile };
}
