import {
  DeployFailed,
  maskSecret,
  messageOf,
  type Clock,
  type Env,
  type Log,
  type RunTool,
  type ToolResult,
} from '@deploy-suite/kit';
import { ensureRepository, findImage, getRegistryLogin, type Ecr, type RegistryLogin } from './ecr';
import { resolveEngine } from './engine';
import type { Inputs } from './inputs';
import {
  buildCommands,
  countCacheHits,
  loginCommand,
  repositoryUri,
  tagUris,
  type BuilderName,
  type CacheUse,
  type Command,
  type Destination,
} from './plan';
import { awaitScan, blockingCounts, peekScan, type ScanReport } from './scan';
import { WorkDir } from './workdir';

export interface Ports {
  ecr: Ecr;
  exec: RunTool;
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
  /** Full URIs of the tags pushed (or, when skipped, those the stored image carries). */
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

/** State names the post step reads. */
export const STATE = { engine: 'engine', registry: 'registry', workDir: 'workDir' } as const;

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMMUTABLE_PUSH =
  /cannot be overwritten because the (repository|tag) is immutable|ImageTagAlreadyExists/i;

/**
 * Logs in to ECR, builds, pushes every tag and reads the digest back from the push; or, with
 * skip-if-exists, reuses the image the first tag already names. Then waits for the scan when a
 * gate is set. Everything that can be checked is checked before anything is built or created.
 */
export async function buildAndPush(inputs: Readonly<Inputs>, ports: Ports): Promise<BuildResult> {
  const { ecr, log } = ports;
  for (const value of inputs.secrets.values()) maskSecret(value);
  const engine = await resolveEngine(inputs.engine, ports.exec);
  log.info(`Engine: ${engine}`);

  const login = await getRegistryLogin(ecr);
  const destination: Destination = { registry: login.registry, repository: inputs.repository };
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

  if (repository.immutableTags && inputs.push) {
    for (const tag of inputs.tags) {
      const taken = await findImage(ecr, inputs.repository, { imageTag: tag });
      if (taken !== undefined) {
        throw new DeployFailed(
          `Tag '${tag}' already exists in ${inputs.repository}, whose tags are immutable, so it cannot be pushed again; ` +
            'use a new tag, or set skip-if-exists: true to reuse the image the first tag names',
          [`${repositoryUri(destination)}:${tag} is ${taken.digest}`],
        );
      }
    }
  }
  const cache = { read: inputs.cache, write: inputs.cache && inputs.push && !repository.immutableTags };
  if (inputs.cache && inputs.push && repository.immutableTags) {
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

  const secretFiles = work.writeSecrets(inputs.secrets);
  const files = work.files(secretFiles);
  const commands = buildCommands(engine, inputs, destination, files, cache);
  const started = ports.clock.now();
  let output = '';
  try {
    for (const command of commands) {
      const result = await runStep(command, ports, [...inputs.secrets.values(), login.password]);
      output += `${result.stdout}\n${result.stderr}\n`;
    }
  } finally {
    work.removeSecrets();
  }
  const buildMs = ports.clock.now() - started;

  let digest: string | undefined;
  let sizeBytes: number | undefined;
  if (inputs.push) {
    digest = pushedDigest(engine, work, files, inputs.tags.length, log);
    sizeBytes = (await findImage(ecr, inputs.repository, { imageDigest: digest }).catch(() => undefined))
      ?.sizeBytes;
    log.info(`Pushed ${repositoryUri(destination)}@${digest}`);
  }
  const result: BuildResult = {
    engine,
    destination,
    tagUris: tagUris(destination, inputs.tags),
    digest,
    skipped: false,
    pushed: inputs.push,
    sizeBytes,
    buildMs,
    cache: countCacheHits(engine, output),
    scan: undefined,
    notes,
  };
  if (digest !== undefined) result.scan = await scanFor(inputs, ports, digest);
  else if (inputs.failOnSeverity !== undefined)
    notes.push('Nothing was pushed, so there is no scan to gate on.');
  return result;
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
