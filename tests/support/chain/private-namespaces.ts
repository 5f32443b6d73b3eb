/**
 * The chain pushes to the ECR host name on port 443, so it runs in its own mount and network
 * namespaces (`unshare --mount --net`): there /etc/hosts, /etc/containers and loopback are private
 * to it, and the machine's files and ports are never touched.
 */
import { spawnSync } from 'node:child_process';
import { outsideNamespacesEnv } from '../registry-tls';
import { TSX_BIN } from '../stack/paths';

const TOOLS: Readonly<Record<string, string>> = {
  unshare: 'util-linux',
  mount: 'util-linux',
  ip: 'iproute2',
  ldd: 'libc-bin',
  openssl: 'openssl',
  buildah: 'scripts/install-debian-deps.sh',
  'docker-registry': 'scripts/install-debian-deps.sh',
  htpasswd: 'scripts/install-debian-deps.sh',
  moto_server: "pip install 'moto[server]'",
  aws: 'pip install awscli',
};

/** Why the chain cannot run on this machine, or undefined when it can. */
export function whyChainCannotRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'it needs root (unshare --mount --net, bind mounts, port 443)';
  const missing = Object.keys(TOOLS).filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length === 0) return undefined;
  return `missing ${missing.map((tool) => `${tool} (${TOOLS[tool] ?? 'install it'})`).join(', ')}`;
}

/** How to run a TypeScript entry point inside private namespaces; it can tell it is inside. */
export function privateNamespacesCommand(
  script: string,
  args: readonly string[] = [],
): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: 'unshare',
    args: ['--mount', '--net', '--fork', '--', TSX_BIN, script, ...args],
    env: { ...process.env, ...outsideNamespacesEnv() },
  };
}
