import type { Env, GroupRunTool } from '@deploy-suite/kit';

/**
 * What a builder may see of the step's environment. A Dockerfile's RUN lines are code from the
 * repository (and, on pull requests, from whoever opened one): the step's inputs, AWS credentials,
 * the runner's ACTIONS_* tokens and GITHUB_TOKEN stay out of its reach. Kept: what finds and
 * configures the builder and its storage, the network proxies, temp folders and the locale.
 */
const KEPT_NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TZ',
  'LANG',
  'LANGUAGE',
  'TERM',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  // TLS trust for registries behind a private CA.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // containers/image reads registry credentials here when --authfile is not given.
  'REGISTRY_AUTH_FILE',
  // Rootless buildah and podman reach the user's systemd through it.
  'DBUS_SESSION_BUS_ADDRESS',
]);

const KEPT_PREFIXES = [
  'DOCKER_',
  'BUILDX_',
  'BUILDKIT_',
  'BUILDAH_',
  'STORAGE_',
  'CONTAINERS_',
  'XDG_',
  'LC_',
];

/** Names that carry credentials even under a kept prefix (DOCKER_AUTH_CONFIG holds passwords). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH_CONFIG/i;

export function keptForBuilder(name: string): boolean {
  if (SECRET_NAME.test(name)) return false;
  return KEPT_NAMES.has(name) || KEPT_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The builder's whole environment, picked from the step's. */
export function builderEnvironment(env: Env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && keptForBuilder(name)) kept[name] = value;
  }
  return kept;
}

/** Every builder command this action runs goes through this: the builder sees nothing else. */
export function withBuilderEnvironment(exec: GroupRunTool, env: Env): GroupRunTool {
  const kept = builderEnvironment(env);
  return (tool, args, run = {}) =>
    exec(tool, args, { ...run, env: { ...kept, ...run.env }, inheritEnv: false });
}
