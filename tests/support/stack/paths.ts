import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const TSX_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
export const FAULT_PROXY_ENTRY = join(REPO_ROOT, 'tests', 'support', 'fault-proxy', 'serve.ts');
export const SIMULATOR_ENTRY = join(REPO_ROOT, 'tests', 'support', 'simulator', 'serve.ts');
/** Where `stack up` keeps pids, ports and passwords (git-ignored). */
export const DEFAULT_STATE_DIR = join(REPO_ROOT, '.stack');

const INSTALL_HINTS: Readonly<Record<string, string>> = {
  'docker-registry': 'run scripts/install-debian-deps.sh as root (Debian package docker-registry)',
  htpasswd: 'run scripts/install-debian-deps.sh as root (Debian package apache2-utils)',
  moto_server: "install Python moto with its server: pip install 'moto[server]'",
};

/** The absolute path of an executable on PATH, or an error that says how to install it. */
export function requireBinary(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const candidates = name.includes('/')
    ? [name]
    : (env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  const hint = INSTALL_HINTS[name] ?? 'install it';
  throw new Error(`${name} was not found on PATH; ${hint}.`);
}
