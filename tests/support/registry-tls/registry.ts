import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { htpasswdLine, type RegistryAuth } from '../stack/registry-files';
import { launch, stopProcessGroup } from '../stack/processes';
import { requireBinary } from '../stack/paths';
import type { TlsMaterial } from './tls-material';

export interface TlsRegistryOptions {
  readonly dir: string;
  /** The name clients use; the certificate is made for it. */
  readonly host: string;
  /** Where to listen, e.g. 127.0.0.1:443 inside a private network namespace. */
  readonly listen: string;
  readonly tls: TlsMaterial;
  readonly auth: RegistryAuth;
}

export interface TlsRegistry {
  readonly logFile: string;
  get(path: string, headers?: Readonly<Record<string, string>>): Promise<RegistryResponse>;
  stop(): Promise<void>;
}

export interface RegistryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** docker-registry serving HTTPS with basic auth, started attached (it ends with this process). */
export async function startTlsRegistry(options: TlsRegistryOptions): Promise<TlsRegistry> {
  mkdirSync(join(options.dir, 'data'), { recursive: true });
  const htpasswd = join(options.dir, 'htpasswd');
  writeFileSync(htpasswd, `${htpasswdLine(options.auth)}\n`, { mode: 0o600 });
  const config = join(options.dir, 'config.yml');
  writeFileSync(
    config,
    stringify({
      version: 0.1,
      log: { level: 'warn' },
      storage: { filesystem: { rootdirectory: join(options.dir, 'data') }, delete: { enabled: true } },
      http: {
        addr: options.listen,
        tls: { certificate: options.tls.certFile, key: options.tls.keyFile },
      },
      auth: { htpasswd: { realm: 'deploy-suite-tls-registry', path: htpasswd } },
    }),
    { mode: 0o600 },
  );
  const logFile = join(options.dir, 'registry.log');
  const child: ChildProcess = launch({
    command: requireBinary('docker-registry'),
    args: ['serve', config],
    logFile,
    mode: 'attached',
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('docker-registry did not start');
  const [address = '127.0.0.1', port = '443'] = options.listen.split(':');
  const ca = readFileSync(options.tls.caFile);
  const authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  const get = (path: string, headers: Readonly<Record<string, string>> = {}): Promise<RegistryResponse> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: address,
          port: Number(port),
          servername: options.host,
          ca,
          path,
          headers: { host: options.host, authorization, ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const stop = () => stopProcessGroup(pid);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await get('/v2/').catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `docker-registry did not answer on https://${options.host} (${options.listen}); see ${logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { logFile, get, stop };
}
