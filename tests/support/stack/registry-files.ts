import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { requireBinary } from './paths';

export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
}

export function generateRegistryAuth(): RegistryAuth {
  return { username: 'stack', password: randomBytes(18).toString('base64url') };
}

/** A bcrypt htpasswd line for the registry; the password goes to htpasswd on stdin, never on argv. */
export function htpasswdLine(auth: RegistryAuth): string {
  const htpasswd = requireBinary('htpasswd');
  const result = spawnSync(htpasswd, ['-niB', auth.username], { input: auth.password, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr || result.error?.message}`);
  return result.stdout.trim();
}

/** Writes htpasswd and config.yml for docker-registry under `dir`; returns the config path. */
export function writeRegistryFiles(dir: string, port: number, auth: RegistryAuth): string {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const htpasswdPath = join(dir, 'htpasswd');
  writeFileSync(htpasswdPath, `${htpasswdLine(auth)}\n`, { mode: 0o600 });
  const config = {
    version: 0.1,
    log: { level: 'warn', fields: { service: 'registry' } },
    storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
    auth: { htpasswd: { realm: 'deploy-suite-local-registry', path: htpasswdPath } },
  };
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, stringify(config), { mode: 0o600 });
  return configPath;
}
