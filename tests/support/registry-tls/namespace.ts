import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostRedirect {
  readonly hostsFile: string;
  readonly containersDir: string;
}

export interface NamespaceIds {
  readonly mnt: string;
  readonly net: string;
}

/** This process's mount and network namespaces, e.g. `net:[4026531840]`. */
export function namespaceIds(): NamespaceIds {
  return { mnt: readlinkSync('/proc/self/ns/mnt'), net: readlinkSync('/proc/self/ns/net') };
}

// The namespaces of whoever started `unshare`, handed down in the environment (reading another
// process's /proc/<pid>/ns is not allowed everywhere).
const OUTSIDE = 'REGISTRY_TLS_OUTSIDE_NAMESPACES';

/** The environment to start `unshare --mount --net` with, so the inside can tell it is inside. */
export function outsideNamespacesEnv(): Record<string, string> {
  return { [OUTSIDE]: JSON.stringify(namespaceIds()) };
}

/**
 * True when this process has its own mount and network namespaces, unlike its starter's: only
 * then may it bind-mount over /etc files and listen on port 443 without touching the machine.
 */
export function inPrivateNamespaces(env: NodeJS.ProcessEnv = process.env): boolean {
  const recorded = env[OUTSIDE];
  if (recorded === undefined) return false;
  const outside = JSON.parse(recorded) as NamespaceIds;
  const inside = namespaceIds();
  return inside.mnt !== outside.mnt && inside.net !== outside.net;
}

/** A new network namespace starts with loopback down: nothing can connect to 127.0.0.1 until it is up. */
export function bringLoopbackUp(): void {
  if (!inPrivateNamespaces())
    throw new Error('refusing to change network links outside a private network namespace');
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
}

/**
 * Inside private namespaces: brings loopback up, points `host` at 127.0.0.1 through a bind-mounted
 * /etc/hosts, and makes containers tools (buildah) trust `caFile` for it through a bind-mounted
 * copy of /etc/containers with certs.d/<host>/ca.crt. The machine's own files are never changed.
 */
export function enterRegistryHost(dir: string, host: string, caFile: string): HostRedirect {
  if (!inPrivateNamespaces()) {
    throw new Error('refusing to redirect a registry host outside private mount and network namespaces');
  }
  bringLoopbackUp();
  const hostsFile = join(dir, 'hosts');
  writeFileSync(hostsFile, `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n127.0.0.1 ${host}\n`);
  execFileSync('mount', ['--bind', hostsFile, '/etc/hosts']);

  const containersDir = join(dir, 'containers');
  if (existsSync('/etc/containers')) cpSync('/etc/containers', containersDir, { recursive: true });
  mkdirSync(join(containersDir, 'certs.d', host), { recursive: true });
  cpSync(caFile, join(containersDir, 'certs.d', host, 'ca.crt'));
  if (!existsSync(join(containersDir, 'policy.json'))) {
    writeFileSync(join(containersDir, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}\n');
  }
  if (!existsSync('/etc/containers')) throw new Error('/etc/containers is missing; install buildah first');
  execFileSync('mount', ['--bind', containersDir, '/etc/containers']);
  return { hostsFile, containersDir };
}
