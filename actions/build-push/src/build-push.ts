import {
  Cancelled,
  DeployFailed,
  maskSecret,
  messageOf,
  type Clock,
  type Env,
  type GroupRunTool,
  type Log,
  type ToolResult,
} from '@deploy-suite/kit';
import {
  ensureRepository,
  findImage,
  getManifest,
  getRegistryLogin,
  tagImage,
  type Ecr,
  type RegistryLogin,
} from './ecr';
import { withBuilderDeadline } from './deadline';
import { dockerCacheExport, resolveEngine } from './engine';
import { withBuilderEnvironment } from './environment';
import { secretLikeBuildArgs, type Inputs } from './inputs';
import {
  buildCommands,
  countCacheHits,
  loginCommand,
  repositoryUri,
  tagPlan,
  tagUris,
  type BuildFiles,
  type BuildInputs,
  type BuilderName,
  type CachePolicy,
  type CacheUse,
  type Command,
  type Destination,
  urisPushedBy,
  commandName,
} from './plan';
import { awaitScan, blockingCounts, peekScan, type ScanReport } from './scan';
import { WorkDir } from './workdir';

export interface Ports {
  ecr: Ecr;
  /** True when a region and AWS credentials are there to ask ECR anything. */
  awsAvailable: () => Promise<boolean>;
  /** Runs a builder; the real one stops the builder's whole process group on the run's cancel. */
  exec: GroupRunTool;
  clock: Clock;
  log: Log;
  env: Env;
  /** Hands a value to the post step. */
  saveState: (name: string, value: string) => void;
}

export interface ScanOutcome {
  report?: ScanReport;
  /** The gate could not read the scan (failed, unknown status, deadline). */
  error?: DeployFailed;
  /** Severities at or above fail-on-severity, with counts; empty when the gate passes. */
  blocking: [string, number][];
}

export interface BuildResult {
  engine: BuilderName | undefined;
  destination: Destination;
  /** Full URIs of the tags that name the image now (pushed, added after the gate, or local). */
  tagUris: string[];
  digest: string | undefined;
  skipped: boolean;
  pushed: boolean;
  sizeBytes: number | undefined;
  buildMs: number | undefined;
  cache: CacheUse | undefined;
  scan: ScanOutcome | undefined;
  notes: string[];
}

/**
 * What the run has done so far, kept as it happens: a cancel or a deadline reports from it what
 * the registry holds (the tags pushed, the push that was stopped midway).
 */
export interface BuildProgress {
  destination: Destination | undefined;
  /** Image URIs that name the new image in the registry now. */
  pushed: string[];
  digest: string | undefined;
  /** The builder command running now, with the URIs it pushes when it ends well. */
  running: { name: string; pushes: string[] } | undefined;
}

export function newProgress(): BuildProgress {
  return { destination: undefined, pushed: [], digest: undefined, running: undefined };
}

/** State names the post step reads. */
export const STATE = { engine: 'engine', registry: 'registry', workDir: 'workDir' } as const;

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMMUTABLE_PUSH =
  /cannot be overwritten because the (repository|tag) is immutable|ImageTagAlreadyExists/i;

/** True when the scan was read and nothing in it reaches the threshold. */
export function gatePasses(scan: ScanOutcome): boolean {
  return scan.error === undefined && scan.blocking.length === 0;
}

/**
 * Builds the image; with push, logs in to ECR, pushes and reads the digest back (or, with
 * skip-if-exists, reuses the image the first tag already names), and gates on the scan. Without
 * push, nothing in AWS is asked unless the registry cache is to be read and credentials exist.
 * Every builder command runs with the scrubbed environment of ./environment.
 */
export async function buildAndPush(
  inputs: Readonly<Inputs>,
  ports: Ports,
  progress: BuildProgress = newProgress(),
): Promise<BuildResult> {
  for (const value of inputs.secrets.values()) maskSecret(value);
  for (const name of secretLikeBuildArgs(inputs.buildArgs)) {
    ports.log.warning(
      `build-args has '${name}', which looks like a credential: a build argument stays in the image for anyone who pulls it; ` +
        'pass it in secrets: and read it with RUN --mount=type=secret in the Dockerfile',
    );
  }
  const exec = withBuilderDeadline(
    withBuilderEnvironment(ports.exec, ports.env),
    inputs.buildTimeoutMs,
    ports.clock,
  );
  const builderPorts = { ...ports, exec };
  const engine = await resolveEngine(inputs.engine, builderPorts.exec);
  ports.log.info(`Engine: ${engine}`);
  const inline = inputs.cache && engine === 'docker' && (await inlineCacheOnly(builderPorts, inputs.push));
  return inputs.push
    ? buildAndPushTo(engine, inputs, builderPorts, progress, inline)
    : buildLocally(engine, inputs, builderPorts, progress, inline);
}

/**
 * True when the docker builder cannot export a registry cache: the build then keeps an inline
 * cache, with a warning that says how to get the registry cache, rather than failing for a cache
 * nobody asked for by name (`cache` is on by default).
 */
async function inlineCacheOnly(ports: Ports, push: boolean): Promise<boolean> {
  if ((await dockerCacheExport(ports.exec)) === 'registry') return false;
  ports.log.warning(
    'The buildx builder uses the docker driver, which cannot export a registry cache (it needs the containerd image store): ' +
      (push
        ? 'the cache goes inline into the pushed image and is read back from its tags. '
        : 'the cache is read back only from images pushed with an inline cache under these tags. ') +
      'For the registry cache of every stage, add a docker/setup-buildx-action step before this one ' +
      '(or run `docker buildx create --use --driver docker-container`), or set cache: false to silence this.',
  );
  return true;
}

/** A build that pushes nothing: every tag names the local image. */
async function buildLocally(
  engine: BuilderName,
  inputs: Readonly<Inputs>,
  ports: Ports,
  progress: BuildProgress,
  inline: boolean,
): Promise<BuildResult> {
  const notes: string[] = [];
  const work = new WorkDir(ports.env.RUNNER_TEMP);
  ports.saveState(STATE.workDir, work.path);
  const login = inputs.cache ? await cacheLogin(engine, work, ports) : undefined;
  // Without ECR's answer the registry host is unknown: the tags name the repository alone.
  const destination: Destination = { registry: login?.registry ?? '', repository: inputs.repository };
  progress.destination = destination;
  if (login === undefined)
    notes.push('Built under local names only: without a registry login the registry host is not known.');
  const build = await runBuild(engine, { ...inputs, pushTags: [] }, destination, work, ports, progress, {
    cache: { read: login !== undefined, write: false, inline },
    password: login?.password,
  });
  if (inputs.failOnSeverity !== undefined) notes.push('Nothing was pushed, so there is no scan to gate on.');
  return {
    engine,
    destination,
    tagUris: tagUris(destination, inputs.tags),
    digest: undefined,
    skipped: false,
    pushed: false,
    sizeBytes: undefined,
    buildMs: build.ms,
    cache: build.cache,
    scan: undefined,
    notes,
  };
}

/**
 * Logs the builder in to read the registry cache, when AWS can be asked; a build that pushes
 * nothing does not fail for want of a cache, so any refusal is a warning and the build goes on.
 */
async function cacheLogin(
  engine: BuilderName,
  work: WorkDir,
  ports: Ports,
): Promise<RegistryLogin | undefined> {
  if (!(await ports.awsAvailable())) {
    ports.log.info(
      'No AWS region or credentials: the registry cache is not read, and nothing in AWS is asked',
    );
    return undefined;
  }
  try {
    const login = await getRegistryLogin(ports.ecr);
    ports.saveState(STATE.engine, engine);
    ports.saveState(STATE.registry, login.registry);
    await logIn(engine, login, work, ports);
    return login;
  } catch (err) {
    if (err instanceof Cancelled) throw err;
    ports.log.warning(`The registry cache is not read: ${messageOf(err)}`);
    return undefined;
  }
}

async function buildAndPushTo(
  engine: BuilderName,
  inputs: Readonly<Inputs>,
  ports: Ports,
  progress: BuildProgress,
  inline: boolean,
): Promise<BuildResult> {
  const { ecr, log } = ports;
  const login = await getRegistryLogin(ecr);
  const destination: Destination = { registry: login.registry, repository: inputs.repository };
  progress.destination = destination;
  const repository = await ensureRepository(ecr, inputs.repository, {
    create: inputs.createRepository,
    tagMutability: inputs.tagMutability,
  });
  const notes: string[] = [];
  if (repository.created)
    notes.push(`Created repository ${inputs.repository} with scan on push (${inputs.tagMutability} tags).`);
  const [firstTag] = inputs.tags;
  if (firstTag === undefined) throw new Error('inputs always carry at least one tag');

  if (inputs.skipIfExists) {
    const existing = await findImage(ecr, inputs.repository, { imageTag: firstTag });
    if (existing !== undefined) {
      log.info(
        `${repositoryUri(destination)}:${firstTag} already exists (${existing.digest}); nothing is built`,
      );
      const carried = inputs.tags.filter((tag) => existing.tags.includes(tag));
      const missing = inputs.tags.filter((tag) => !existing.tags.includes(tag));
      if (missing.length > 0) {
        notes.push(`Tags not on the existing image, left as they are: ${missing.join(', ')}.`);
      }
      const result: BuildResult = {
        engine: undefined,
        destination,
        tagUris: tagUris(destination, carried),
        digest: existing.digest,
        skipped: true,
        pushed: false,
        sizeBytes: existing.sizeBytes,
        buildMs: undefined,
        cache: undefined,
        scan: undefined,
        notes,
      };
      result.scan = await scanFor(inputs, ports, existing.digest);
      return result;
    }
  }

  const gated = inputs.failOnSeverity !== undefined;
  const before =
    repository.immutableTags || gated ? await digestsOf(ecr, inputs.repository, inputs.tags) : new Map();
  if (repository.immutableTags) {
    const taken = inputs.tags.find((tag) => before.has(tag));
    if (taken !== undefined) {
      throw new DeployFailed(
        `Tag '${taken}' already exists in ${inputs.repository}, whose tags are immutable, so it cannot be pushed again; ` +
          'use a new tag, or set skip-if-exists: true to reuse the image the first tag names',
        [`${repositoryUri(destination)}:${taken} is ${before.get(taken)}`],
      );
    }
  }
  const tags = tagPlan(inputs.tags, gated, new Set(before.keys()));
  // An inline cache travels in the image itself, so immutable tags do not stop it.
  const cache = { read: inputs.cache, write: inputs.cache && (inline || !repository.immutableTags), inline };
  if (inputs.cache && repository.immutableTags && !inline) {
    notes.push(
      'Cache is read but not written: the repository has immutable tags and a cache tag is rewritten on every build.',
    );
  }

  const work = new WorkDir(ports.env.RUNNER_TEMP);
  // Saved before login so the post step cleans up even when login fails halfway.
  ports.saveState(STATE.engine, engine);
  ports.saveState(STATE.registry, login.registry);
  ports.saveState(STATE.workDir, work.path);
  await logIn(engine, login, work, ports);

  const build = await runBuild(
    engine,
    { ...inputs, pushTags: tags.pushed },
    destination,
    work,
    ports,
    progress,
    { cache, password: login.password },
  );
  const digest = pushedDigest(engine, work, build.files, tags.pushed.length, log);
  progress.digest = digest;
  const sizeBytes = (await findImage(ecr, inputs.repository, { imageDigest: digest }).catch(() => undefined))
    ?.sizeBytes;
  log.info(`Pushed ${tagUris(destination, tags.pushed).join(', ')} as ${digest}`);
  const result: BuildResult = {
    engine,
    destination,
    tagUris: tagUris(destination, tags.pushed),
    digest,
    skipped: false,
    pushed: true,
    sizeBytes,
    buildMs: build.ms,
    cache: build.cache,
    scan: await scanFor(inputs, ports, digest),
    notes,
  };
  if (!gated || result.scan === undefined) return result;
  if (gatePasses(result.scan)) {
    await addTags(ports, inputs.repository, digest, tags.afterGate, (tag) =>
      progress.pushed.push(...tagUris(destination, [tag])),
    );
    result.tagUris = tagUris(destination, inputs.tags);
    return result;
  }
  if (tags.afterGate.length > 0) {
    notes.push(`The gate failed, so these tags were left where they were: ${tags.afterGate.join(', ')}.`);
  }
  const [candidate = firstTag] = tags.pushed;
  const previous = before.get(candidate);
  if (previous !== undefined && previous !== digest) {
    result.tagUris = [];
    notes.push(await putBack(ports, inputs.repository, candidate, previous));
  }
  return result;
}

/** The digest each tag names in the repository now; tags it does not hold are absent. */
async function digestsOf(
  ecr: Ecr,
  repository: string,
  tags: readonly string[],
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const tag of tags) {
    const image = await findImage(ecr, repository, { imageTag: tag });
    if (image !== undefined) digests.set(tag, image.digest);
  }
  return digests;
}

/** The tags that waited for the gate, added to the pushed image without pushing it again. */
async function addTags(
  ports: Ports,
  repository: string,
  digest: string,
  tags: readonly string[],
  onTagged: (tag: string) => void,
): Promise<void> {
  if (tags.length === 0) return;
  const image = await getManifest(ports.ecr, repository, digest);
  const done: string[] = [];
  for (const tag of tags) {
    try {
      const outcome = await tagImage(ports.ecr, repository, image, tag);
      ports.log.info(outcome === 'tagged' ? `Tagged ${digest} as ${tag}` : `${tag} already names ${digest}`);
      done.push(tag);
      onTagged(tag);
    } catch (err) {
      const immutable = err instanceof Error && /ImageTagAlreadyExists|ImageAlreadyExists/.test(err.name);
      throw new DeployFailed(
        immutable
          ? `The gate passed, but tag '${tag}' names another image in ${repository}, whose tags are immutable; use a new tag`
          : `The gate passed, but adding tag '${tag}' to ${digest} failed: ${messageOf(err)}`,
        done.length > 0 ? [`tags added before: ${done.join(', ')}`] : [],
      );
    }
  }
}

/** After a failed gate, the candidate tag (a re-run's only choice) goes back where it was. */
async function putBack(ports: Ports, repository: string, tag: string, previous: string): Promise<string> {
  try {
    await tagImage(ports.ecr, repository, await getManifest(ports.ecr, repository, previous), tag);
    return `The gate failed, so tag '${tag}' was put back on ${previous}.`;
  } catch (err) {
    ports.log.warning(`Could not put tag '${tag}' back on ${previous}: ${messageOf(err)}`);
    return `The gate failed, and tag '${tag}' could not be put back on ${previous}: it names the failing image.`;
  }
}

interface BuildRun {
  ms: number;
  cache: CacheUse | undefined;
  files: BuildFiles;
}

/** Runs the plan's builder commands with the secrets as files that exist for the build only. */
async function runBuild(
  engine: BuilderName,
  inputs: BuildInputs & Pick<Inputs, 'secrets'>,
  destination: Destination,
  work: WorkDir,
  ports: Ports,
  progress: BuildProgress,
  options: { cache: CachePolicy; password: string | undefined },
): Promise<BuildRun> {
  const secretFiles = work.writeSecrets(inputs.secrets);
  const files = work.files(secretFiles);
  const commands = buildCommands(engine, inputs, destination, files, options.cache);
  const secrets = [...inputs.secrets.values(), ...(options.password === undefined ? [] : [options.password])];
  const started = ports.clock.now();
  let output = '';
  try {
    for (const command of commands) {
      const pushes = urisPushedBy(command);
      progress.running = { name: commandName(command), pushes };
      const result = await runStep(command, ports, secrets);
      progress.running = undefined;
      progress.pushed.push(...pushes);
      output += `${result.stdout}\n${result.stderr}\n`;
    }
  } finally {
    work.removeSecrets();
  }
  return { ms: ports.clock.now() - started, cache: countCacheHits(engine, output), files };
}

async function logIn(engine: BuilderName, login: RegistryLogin, work: WorkDir, ports: Ports): Promise<void> {
  const command = loginCommand(engine, login.registry, work.files(new Map()));
  const result = await ports.exec(command.tool, command.args, {
    stdin: login.password,
    secrets: [login.password],
    quiet: true,
  });
  if (result.exitCode !== 0) {
    throw new DeployFailed(
      `${engine} login to ${login.registry} failed (exit code ${result.exitCode})`,
      tail(result),
    );
  }
  ports.log.info(`Logged in to ${login.registry}`);
}

async function runStep(command: Command, ports: Ports, secrets: string[]): Promise<ToolResult> {
  const result = await ports.exec(command.tool, command.args, { secrets });
  if (result.exitCode === 0) return result;
  const text = `${result.stdout}\n${result.stderr}`;
  const step = command.args.includes('push') ? 'push' : 'build';
  if (IMMUTABLE_PUSH.test(text)) {
    throw new DeployFailed(
      `The push was refused: a tag already exists in a repository with immutable tags; use a new tag, or set skip-if-exists: true`,
      tail(result),
    );
  }
  throw new DeployFailed(`${command.tool} ${step} failed (exit code ${result.exitCode})`, tail(result));
}

function tail(result: ToolResult, lines = 15): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-lines);
}

/** The digest the registry stored, as the engine read it back from the push. */
function pushedDigest(
  engine: BuilderName,
  work: WorkDir,
  files: ReturnType<WorkDir['files']>,
  tagCount: number,
  log: Log,
): string {
  let digests: (string | undefined)[];
  if (engine === 'docker') {
    const metadata = work.read(files.metadataFile);
    let digest: string | undefined;
    try {
      const value: unknown =
        metadata === undefined ? undefined : JSON.parse(metadata)['containerimage.digest'];
      digest = typeof value === 'string' ? value : undefined;
    } catch (err) {
      log.debug(`metadata file unreadable: ${messageOf(err)}`);
    }
    digests = [digest];
  } else {
    digests = Array.from({ length: tagCount }, (_, i) => work.read(files.digestFile(i))?.trim());
  }
  const [digest] = digests;
  if (digest === undefined || !DIGEST.test(digest)) {
    throw new DeployFailed(
      `${engine} pushed, but reported no digest for the image (got '${digest ?? 'nothing'}')`,
    );
  }
  const others = digests.filter((d) => d !== digest);
  if (others.length > 0) {
    throw new DeployFailed(
      `The tags were pushed with different digests; expected ${digest} for all`,
      others.map(String),
    );
  }
  return digest;
}

async function scanFor(inputs: Readonly<Inputs>, ports: Ports, digest: string): Promise<ScanOutcome> {
  const target = { repository: inputs.repository, digest };
  if (inputs.failOnSeverity === undefined) {
    const report = await peekScan(ports.ecr, target);
    return report === undefined ? { blocking: [] } : { report, blocking: [] };
  }
  try {
    const report = await awaitScan(ports.ecr, target, {
      timeoutMs: inputs.scanTimeoutMs,
      clock: ports.clock,
      log: ports.log,
    });
    return { report, blocking: blockingCounts(report.counts, inputs.failOnSeverity) };
  } catch (err) {
    if (err instanceof DeployFailed) return { error: err, blocking: [] };
    throw err;
  }
}
