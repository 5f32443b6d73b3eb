import type { Inputs } from './inputs';

/** The engine that builds; `auto` is resolved to one of these before anything runs. */
export type BuilderName = 'docker' | 'buildah';

/** One command to run: data, so plans are compared in tests and printed before they run. */
export interface Command {
  tool: BuilderName;
  args: string[];
}

/** Where the image goes, as ECR answered; registry '' names a local image only (no AWS asked). */
export interface Destination {
  registry: string;
  repository: string;
}

/** Files the commands read and write, made by the caller in a private temporary folder. */
export interface BuildFiles {
  /** buildah only: the credentials login writes and build/push read. */
  authFile: string;
  /** Secret id → file holding the value; the value never reaches an argument. */
  secretFiles: ReadonlyMap<string, string>;
  /** docker: buildx writes the pushed digest here. */
  metadataFile: string;
  /** buildah: one digest file per pushed tag. */
  digestFile: (index: number) => string;
}

export interface CachePolicy {
  read: boolean;
  /** Off for repositories with immutable tags: a cache tag is rewritten on every build. */
  write: boolean;
  /**
   * docker only: the builder cannot export a registry cache (the `docker` driver without the
   * containerd image store), so the cache goes inline into the pushed image and is read back
   * from the image's tags.
   */
  inline?: boolean;
}

export type BuildInputs = Pick<
  Inputs,
  'context' | 'file' | 'target' | 'buildArgs' | 'labels' | 'platforms' | 'tags' | 'push' | 'provenance'
> & {
  /** The tags the builder pushes (all of them, or only the candidate while a gate decides). */
  pushTags: readonly string[];
};

/** The tag that holds docker's registry cache, next to the images in the same repository. */
export const CACHE_TAG = 'buildcache';

// Without image-manifest and OCI media types buildx writes a cache index ECR answers with 400.
const ECR_CACHE_OPTIONS = 'mode=max,image-manifest=true,oci-mediatypes=true';

export function repositoryUri(to: Destination): string {
  return to.registry === '' ? to.repository : `${to.registry}/${to.repository}`;
}

export function tagUris(to: Destination, tags: readonly string[]): string[] {
  return tags.map((tag) => `${repositoryUri(to)}:${tag}`);
}

/**
 * An option with its value in one word. Both builders parse options with Go's pflag, which reads
 * `--name=value` as that value whatever it starts with; `--name value` would let a value such as
 * `--help` be read as an option of its own.
 */
function option(name: string, value: string): string {
  return `--${name}=${value}`;
}

/** A positional word (context, registry, image): never one that a builder could read as an option. */
function positional(value: string): string {
  if (value.startsWith('-'))
    throw new Error(`refusing '${value}' as a positional argument: it reads as an option`);
  return value;
}

export function loginCommand(
  tool: BuilderName,
  registry: string,
  files: Pick<BuildFiles, 'authFile'>,
): Command {
  const args = ['login', option('username', 'AWS'), '--password-stdin'];
  if (tool === 'buildah') args.push(option('authfile', files.authFile));
  return { tool, args: [...args, positional(registry)] };
}

export function logoutCommand(tool: BuilderName, registry: string, authFile: string | undefined): Command {
  const args = ['logout'];
  if (tool === 'buildah' && authFile !== undefined) args.push(option('authfile', authFile));
  return { tool, args: [...args, positional(registry)] };
}

function pairs(name: string, values: ReadonlyMap<string, string>): string[] {
  return [...values].map(([key, value]) => option(name, `${key}=${value}`));
}

function secretArgs(files: ReadonlyMap<string, string>): string[] {
  return [...files].map(([id, path]) => option('secret', `id=${id},src=${path}`));
}

function commonArgs(inputs: BuildInputs, files: BuildFiles): string[] {
  const args = [option('file', inputs.file)];
  if (inputs.target !== undefined) args.push(option('target', inputs.target));
  if (inputs.platforms.length > 0) args.push(option('platform', inputs.platforms.join(',')));
  return [
    ...args,
    ...pairs('build-arg', inputs.buildArgs),
    ...pairs('label', inputs.labels),
    ...secretArgs(files.secretFiles),
  ];
}

/**
 * docker buildx: one command builds and pushes the tags to push and writes the pushed digest to
 * the metadata file. Provenance is off unless asked for, so a single-platform image stays a single
 * manifest (an index breaks Lambda and SageMaker). Without a push every tag names the image
 * loaded into the local image store (`--load` takes all of them).
 */
export function dockerBuildCommands(
  inputs: BuildInputs,
  to: Destination,
  files: BuildFiles,
  cache: CachePolicy,
): Command[] {
  const args = ['buildx', 'build', ...commonArgs(inputs, files)];
  const names = inputs.push ? inputs.pushTags : inputs.tags;
  for (const uri of tagUris(to, names)) args.push(option('tag', uri));
  args.push(option('provenance', String(inputs.provenance)));
  if (cache.inline) {
    // docs.docker.com "Inline cache": exported with type=inline, imported with type=registry.
    if (cache.read)
      for (const uri of tagUris(to, inputs.tags)) args.push(option('cache-from', `type=registry,ref=${uri}`));
    if (cache.write) args.push(option('cache-to', 'type=inline'));
  } else {
    const cacheRef = `${repositoryUri(to)}:${CACHE_TAG}`;
    if (cache.read) args.push(option('cache-from', `type=registry,ref=${cacheRef}`));
    if (cache.write) args.push(option('cache-to', `type=registry,ref=${cacheRef},${ECR_CACHE_OPTIONS}`));
  }
  if (inputs.push) args.push('--push');
  // Without a push, a single-platform image is loaded so later steps can run it.
  else if (inputs.platforms.length <= 1) args.push('--load');
  args.push(
    option('metadata-file', files.metadataFile),
    option('progress', 'plain'),
    positional(inputs.context),
  );
  return [{ tool: 'docker', args }];
}

/**
 * buildah: build into local storage in Docker's format (keeps HEALTHCHECK and matches what docker
 * pushes) under every tag, then push the tags to push, reading back the digest the registry
 * stored from --digestfile. Several platforms are built into a manifest list named by the first
 * tag, pushed with all their images; `buildah tag` gives it the other names.
 */
export function buildahBuildCommands(
  inputs: BuildInputs,
  to: Destination,
  files: BuildFiles,
  cache: CachePolicy,
): Command[] {
  const [first, ...others] = tagUris(to, inputs.tags);
  if (first === undefined) throw new Error('a build needs at least one tag');
  const list = inputs.platforms.length > 1;
  const args = [
    'build',
    option('authfile', files.authFile),
    option('format', 'docker'),
    ...commonArgs(inputs, files),
  ];
  if (list) args.push(option('manifest', first));
  else for (const uri of [first, ...others]) args.push(option('tag', uri));
  if (cache.read || cache.write) args.push('--layers');
  if (cache.read) args.push(option('cache-from', repositoryUri(to)));
  if (cache.write) args.push(option('cache-to', repositoryUri(to)));
  args.push(positional(inputs.context));
  const commands: Command[] = [{ tool: 'buildah', args }];
  if (list && others.length > 0) {
    commands.push({ tool: 'buildah', args: ['tag', positional(first), ...others.map(positional)] });
  }
  if (!inputs.push) return commands;
  tagUris(to, inputs.pushTags).forEach((uri, index) => {
    const push = list ? ['manifest', 'push', '--all'] : ['push'];
    commands.push({
      tool: 'buildah',
      args: [
        ...push,
        option('authfile', files.authFile),
        option('digestfile', files.digestFile(index)),
        positional(first),
        positional(`docker://${uri}`),
      ],
    });
  });
  return commands;
}

/**
 * The image URIs a command pushes when it ends well: buildx's `--push` pushes every `--tag`,
 * buildah's push and manifest push their `docker://` destination. What a cancel or a deadline
 * leaves in the registry is read from this.
 */
export function urisPushedBy(command: Command): string[] {
  if (command.tool === 'docker') {
    if (!command.args.includes('--push')) return [];
    return command.args.flatMap((arg) => (arg.startsWith('--tag=') ? [arg.slice('--tag='.length)] : []));
  }
  const pushing =
    command.args[0] === 'push' || (command.args[0] === 'manifest' && command.args[1] === 'push');
  const destination = command.args.at(-1);
  return pushing && destination?.startsWith('docker://') ? [destination.slice('docker://'.length)] : [];
}

/** A command's name for people: the tool and its subcommands, without options or values. */
export function commandName(command: { tool: string; args: readonly string[] }): string {
  const words: string[] = [];
  for (const arg of command.args) {
    if (arg.startsWith('-') || words.length === 2 || !/^[a-z]+$/.test(arg)) break;
    words.push(arg);
  }
  return [command.tool, ...words].join(' ');
}

export function buildCommands(
  tool: BuilderName,
  inputs: BuildInputs,
  to: Destination,
  files: BuildFiles,
  cache: CachePolicy,
): Command[] {
  return tool === 'docker'
    ? dockerBuildCommands(inputs, to, files, cache)
    : buildahBuildCommands(inputs, to, files, cache);
}

/**
 * Which tags the builder pushes and which wait for the scan gate. Without a gate every tag is
 * pushed at once. With one, only a candidate is pushed: the first tag the repository does not
 * hold yet (so pushing it moves nothing), or the first tag when all exist (a re-run; it is put
 * back if the gate fails). The others are added with ECR's PutImage once the gate passes.
 */
export interface TagPlan {
  pushed: string[];
  afterGate: string[];
}

export function tagPlan(tags: readonly string[], gated: boolean, existing: ReadonlySet<string>): TagPlan {
  const [first] = tags;
  if (first === undefined) throw new Error('a build needs at least one tag');
  if (!gated) return { pushed: [...tags], afterGate: [] };
  const candidate = tags.find((tag) => !existing.has(tag)) ?? first;
  return { pushed: [candidate], afterGate: tags.filter((tag) => tag !== candidate) };
}

export interface CacheUse {
  hits: number;
  /** Steps the engine reported, when it reports them. */
  steps?: number;
}

/** Cache hits as the engine printed them: buildah's "Using cache", buildx's plain-progress CACHED. */
export function countCacheHits(tool: BuilderName, output: string): CacheUse | undefined {
  const lines = output.split('\n').map((line) => line.trim());
  if (tool === 'buildah') {
    const steps = lines.filter((line) => /^STEP \d+\/\d+:/.test(line) && !/^STEP \d+\/\d+: FROM /.test(line));
    if (steps.length === 0) return undefined;
    return { hits: lines.filter((line) => line.startsWith('--> Using cache')).length, steps: steps.length };
  }
  const cached = new Set(lines.flatMap((line) => /^#(\d+) CACHED$/.exec(line)?.[1] ?? []));
  const steps = new Set(lines.flatMap((line) => /^#(\d+) \[[^\]]*\d+\/\d+\]/.exec(line)?.[1] ?? []));
  if (cached.size === 0 && steps.size === 0) return undefined;
  return steps.size > 0 ? { hits: cached.size, steps: steps.size } : { hits: cached.size };
}
