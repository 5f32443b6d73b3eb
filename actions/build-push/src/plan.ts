import type { Inputs } from './inputs';

/** The engine that builds; `auto` is resolved to one of these before anything runs. */
export type BuilderName = 'docker' | 'buildah';

/** One command to run: data, so plans are compared in tests and printed before they run. */
export interface Command {
  tool: BuilderName;
  args: string[];
}

/** Where the image goes, as ECR answered. */
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
}

export type BuildInputs = Pick<
  Inputs,
  'context' | 'file' | 'target' | 'buildArgs' | 'labels' | 'platforms' | 'tags' | 'push' | 'provenance'
>;

/** The tag that holds docker's registry cache, next to the images in the same repository. */
export const CACHE_TAG = 'buildcache';

// Without image-manifest and OCI media types buildx writes a cache index ECR answers with 400.
const ECR_CACHE_OPTIONS = 'mode=max,image-manifest=true,oci-mediatypes=true';

export function repositoryUri(to: Destination): string {
  return `${to.registry}/${to.repository}`;
}

export function tagUris(to: Destination, tags: readonly string[]): string[] {
  return tags.map((tag) => `${repositoryUri(to)}:${tag}`);
}

export function loginCommand(
  tool: BuilderName,
  registry: string,
  files: Pick<BuildFiles, 'authFile'>,
): Command {
  const args = ['login', '--username', 'AWS', '--password-stdin'];
  if (tool === 'buildah') args.push('--authfile', files.authFile);
  return { tool, args: [...args, registry] };
}

export function logoutCommand(tool: BuilderName, registry: string, authFile: string | undefined): Command {
  const args = ['logout'];
  if (tool === 'buildah' && authFile !== undefined) args.push('--authfile', authFile);
  return { tool, args: [...args, registry] };
}

function pairs(flag: string, values: ReadonlyMap<string, string>): string[] {
  return [...values].flatMap(([key, value]) => [flag, `${key}=${value}`]);
}

function secretArgs(files: ReadonlyMap<string, string>): string[] {
  return [...files].flatMap(([id, path]) => ['--secret', `id=${id},src=${path}`]);
}

function commonArgs(inputs: BuildInputs, files: BuildFiles): string[] {
  const args = ['--file', inputs.file];
  if (inputs.target !== undefined) args.push('--target', inputs.target);
  if (inputs.platforms.length > 0) args.push('--platform', inputs.platforms.join(','));
  return [
    ...args,
    ...pairs('--build-arg', inputs.buildArgs),
    ...pairs('--label', inputs.labels),
    ...secretArgs(files.secretFiles),
  ];
}

/**
 * docker buildx: one command builds and pushes every tag and writes the pushed digest to the
 * metadata file. Provenance is off unless asked for, so a single-platform image stays a single
 * manifest (an index breaks Lambda and SageMaker).
 */
export function dockerBuildCommands(
  inputs: BuildInputs,
  to: Destination,
  files: BuildFiles,
  cache: CachePolicy,
): Command[] {
  const args = ['buildx', 'build', ...commonArgs(inputs, files)];
  for (const uri of tagUris(to, inputs.tags)) args.push('--tag', uri);
  args.push(`--provenance=${inputs.provenance}`);
  const cacheRef = `${repositoryUri(to)}:${CACHE_TAG}`;
  if (cache.read) args.push('--cache-from', `type=registry,ref=${cacheRef}`);
  if (cache.write) args.push('--cache-to', `type=registry,ref=${cacheRef},${ECR_CACHE_OPTIONS}`);
  if (inputs.push) args.push('--push');
  // Without a push, a single-platform image is loaded so later steps can run it.
  else if (inputs.platforms.length <= 1) args.push('--load');
  args.push('--metadata-file', files.metadataFile, '--progress', 'plain', inputs.context);
  return [{ tool: 'docker', args }];
}

/**
 * buildah: build into local storage in Docker's format (keeps HEALTHCHECK and matches what docker
 * pushes), then push each tag, reading back the digest the registry stored from --digestfile.
 * Several platforms are built into a manifest list and pushed with all their images.
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
  const args = ['build', '--authfile', files.authFile, '--format', 'docker', ...commonArgs(inputs, files)];
  if (list) args.push('--manifest', first);
  else args.push('--tag', first);
  if (cache.read || cache.write) args.push('--layers');
  if (cache.read) args.push('--cache-from', repositoryUri(to));
  if (cache.write) args.push('--cache-to', repositoryUri(to));
  args.push(inputs.context);
  const commands: Command[] = [{ tool: 'buildah', args }];
  if (!inputs.push) return commands;
  [first, ...others].forEach((uri, index) => {
    const push = list ? ['manifest', 'push', '--all'] : ['push'];
    commands.push({
      tool: 'buildah',
      args: [
        ...push,
        '--authfile',
        files.authFile,
        '--digestfile',
        files.digestFile(index),
        first,
        `docker://${uri}`,
      ],
    });
  });
  return commands;
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
