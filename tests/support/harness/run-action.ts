/**
 * Runs an action's bundle the way the GitHub Actions runner runs a JavaScript action: pre, main
 * and post as separate Node 24 processes, inputs as INPUT_* variables, the file commands read
 * back after each stage, state handed to later stages as STATE_*, workflow commands processed
 * and secrets masked in everything returned.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluateCondition } from './expressions';
import { HarnessError } from './harness-error';
import { resolveInputs } from './inputs';
import { locateAction } from './locate-action';
import { loadManifest, type ActionManifest } from './manifest';
import { SecretMasker } from './masker';
import { requireNode24 } from './node-binary';
import { REPO_ROOT } from './repo-root';
import {
  expressionContext,
  headShaOf,
  hostBasics,
  isTruthy,
  pushEvent,
  runnerDefaults,
  type RunnerLayout,
} from './runner-env';
import { runStageProcess, type CancelTrigger, type StageExit } from './run-stage';
import { preloadSource } from './accelerated-time';
import { createStageFiles, readStageFiles, stageFileEnv } from './stage-files';
import { StepLog, type Annotation } from './step-log';

export type StageName = 'pre' | 'main' | 'post';

export interface RunActionOptions {
  /** A folder name under actions/, or a path to any folder holding an action.yml. */
  readonly action: string;
  readonly inputs?: Readonly<Record<string, string>>;
  /** Step environment, merged over the runner's variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** GITHUB_WORKSPACE; a fresh temporary folder when absent. */
  readonly workspace?: string;
  /** Working directory of the action's processes; the workspace when absent, as on the runner. */
  readonly cwd?: string;
  /** Payload written to GITHUB_EVENT_PATH; a small push event when absent. */
  readonly event?: Readonly<Record<string, unknown>>;
  /** Receives each masked log line as it happens (the CLI prints them). */
  readonly onLog?: (line: string) => void;
  /** Limit for each stage's process. */
  readonly timeoutMs?: number;
  /** Cancel the main stage as GitHub does (SIGINT, SIGTERM 7.5 s later, then a kill). */
  readonly cancel?: CancelTrigger;
  /** Keep the run's temporary folder (files, RUNNER_TEMP, default workspace) for inspection. */
  readonly keepTemp?: boolean;
  readonly repoRoot?: string;
  /** The Node binary; the repository's pinned Node 24 when absent. */
  readonly node?: string;
  /**
   * Time in the action's processes runs this many times faster (Date, performance.now, timers;
   * see accelerated-time.ts for what stays real): pass the simulator's speed, so the action's
   * waits and deadlines keep pace with the rollouts it watches. Real time when absent.
   */
  readonly clockSpeed?: number;
}

export type StageStatus = 'success' | 'failure' | 'skipped';

export interface StageResult {
  readonly stage: StageName;
  readonly status: StageStatus;
  /** The step's exit code: the process's, or 1 when the runner fails the step despite a 0 exit. */
  readonly exitCode?: number;
  readonly processExitCode?: number | null;
  readonly signal?: string | null;
  readonly timedOut?: boolean;
  /** From the cancel's SIGINT to the process's exit, when the stage was cancelled. */
  readonly cancelToExitMs?: number;
  readonly log: string;
}

export interface RunActionResult {
  /** Exit code of main; of pre when pre failed and main was skipped. */
  readonly exitCode: number;
  readonly preExitCode?: number;
  readonly postExitCode?: number;
  /** Masked. */
  readonly outputs: Record<string, string>;
  /** Every stage's GITHUB_STEP_SUMMARY in order, masked. */
  readonly summary: string;
  /** Masked. */
  readonly state: Record<string, string>;
  /** From GITHUB_ENV, masked. */
  readonly exportedEnv: Record<string, string>;
  /** From GITHUB_PATH, in the order added. */
  readonly path: string[];
  /** The whole step log of all stages, masked: both output streams, as the runner logs them. */
  readonly stdout: string;
  readonly annotations: Array<Annotation & { readonly stage: StageName }>;
  /** Values registered with add-mask (raw, for assertions; the harness never prints them). */
  readonly masked: string[];
  readonly stages: StageResult[];
  /** The kept temporary folder, when keepTemp was set. */
  readonly tempDir?: string;
}

export async function runAction(options: RunActionOptions): Promise<RunActionResult> {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const manifest = loadManifest(locateAction(options.action, repoRoot));
  const node = requireNode24(repoRoot, options.node);
  const scripts = stageScripts(manifest);
  const clockPreload = options.clockSpeed === undefined ? undefined : clockPreloadSource(options.clockSpeed);

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'action-harness-'));
  try {
    const preload =
      clockPreload === undefined ? undefined : writeFile(tempDir, 'accelerated-time.cjs', clockPreload);
    const run = prepareRun(options, { repoRoot, manifest, node, tempDir, preload });
    const stages = await runStages(run, scripts);
    return runResult(run, stages, options.keepTemp ? tempDir : undefined);
  } finally {
    if (!options.keepTemp) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Everything a run's stages share: where it runs, its inputs and what earlier stages handed on. */
interface Run {
  readonly options: RunActionOptions;
  readonly manifest: ActionManifest;
  readonly node: string;
  readonly tempDir: string;
  readonly preload: string | undefined;
  readonly layout: RunnerLayout;
  readonly callerEnv: Readonly<Record<string, string>>;
  readonly inputs: ReturnType<typeof resolveInputs>;
  readonly debug: boolean;
  readonly masker: SecretMasker;
  readonly handedOn: RunState;
  readonly logLines: string[];
}

/** Lays out the runner's folders, writes the event and resolves the inputs, before any stage runs. */
function prepareRun(
  options: RunActionOptions,
  where: Pick<Run, 'manifest' | 'node' | 'tempDir' | 'preload'> & { readonly repoRoot: string },
): Run {
  const { manifest, tempDir, repoRoot } = where;
  const callerEnv = options.env ?? {};
  const workspace = options.workspace ? path.resolve(options.workspace) : makeDir(tempDir, 'workspace');
  const layout: RunnerLayout = {
    workspace,
    runnerTemp: makeDir(tempDir, 'runner-temp'),
    toolCache: makeDir(tempDir, 'tool-cache'),
    eventPath: path.join(tempDir, 'event.json'),
    actionPath: manifest.dir,
    actionName: path.basename(manifest.dir),
    sha: headShaOf(options.workspace ? [workspace, repoRoot] : [repoRoot]),
  };
  const baseEnv = { ...hostBasics(process.env), ...runnerDefaults(layout), ...callerEnv };
  fs.writeFileSync(layout.eventPath, JSON.stringify(options.event ?? pushEvent(baseEnv), null, 2));
  const inputs = resolveInputs(manifest.inputs, options.inputs ?? {}, expressionContext(baseEnv));
  // Refuse an unsupported pre-if/post-if before anything runs rather than halfway through.
  if (manifest.runs.preIf !== undefined)
    evaluateCondition(manifest.runs.preIf, { failed: false }, 'runs.pre-if');
  if (manifest.runs.postIf !== undefined)
    evaluateCondition(manifest.runs.postIf, { failed: false }, 'runs.post-if');
  const debug = isTruthy(callerEnv['ACTIONS_STEP_DEBUG']) || isTruthy(callerEnv['RUNNER_DEBUG']);
  return {
    options,
    ...where,
    layout,
    callerEnv,
    inputs,
    debug,
    masker: new SecretMasker(),
    handedOn: new RunState(),
    logLines: [],
  };
}

/** Pre (when its condition holds), main unless pre failed, then post (when main ran and its condition holds). */
async function runStages(run: Run, scripts: ReturnType<typeof stageScripts>): Promise<StageResult[]> {
  const { manifest } = run;
  const stages: StageResult[] = [];
  const warnings = [...run.inputs.warnings];
  let failed = false;
  if (scripts.pre !== undefined) {
    const runPre = evaluateCondition(manifest.runs.preIf ?? 'always()', { failed }, 'runs.pre-if');
    const pre = runPre ? await runStage(run, 'pre', scripts.pre, warnings) : skipped('pre');
    stages.push(pre);
    failed = pre.status === 'failure';
  }
  // A failed pre stops the step: main does not run, so no post is registered either.
  const main = failed ? skipped('main') : await runStage(run, 'main', scripts.main, warnings);
  stages.push(main);
  failed = failed || main.status === 'failure';
  if (scripts.post !== undefined && main.status !== 'skipped') {
    const runPost = evaluateCondition(manifest.runs.postIf ?? 'always()', { failed }, 'runs.post-if');
    stages.push(runPost ? await runStage(run, 'post', scripts.post, warnings) : skipped('post'));
  }
  return stages;
}

/** One stage's process, its file commands read back and handed on; `pendingWarnings` are logged first. */
async function runStage(
  run: Run,
  stage: StageName,
  script: string,
  pendingWarnings: string[],
): Promise<StageResult> {
  const { options, callerEnv } = run;
  const stageLines: string[] = [];
  const emit = (line: string): void => {
    run.logLines.push(line);
    options.onLog?.(line);
  };
  const log = new StepLog({
    masker: run.masker,
    debug: run.debug,
    allowUnsecureCommands: isTruthy(callerEnv['ACTIONS_ALLOW_UNSECURE_COMMANDS']),
    write: (line) => {
      stageLines.push(line);
      emit(line);
    },
  });
  emit(`${STAGE_TITLE[stage]} ${run.manifest.name}`);
  for (const warning of pendingWarnings.splice(0)) log.warning(warning);

  const files = createStageFiles(path.join(run.tempDir, 'files', stage));
  const exit = await runStageProcess({
    node: run.node,
    script,
    env: stageEnv(run, stageFileEnv(files)),
    cwd: options.cwd ? path.resolve(options.cwd) : run.layout.workspace,
    onLine: (line) => log.line(line),
    ...(run.preload === undefined ? {} : { preload: run.preload }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(stage === 'main' && options.cancel !== undefined ? { cancel: options.cancel } : {}),
  });
  if (exit.timedOut) log.error(`The action has timed out after ${options.timeoutMs} ms.`);

  const read = readStageFiles(files);
  for (const message of [...read.errors, ...read.summaryErrors]) log.error(message);
  run.handedOn.absorb(stage, read, log);
  for (const annotation of log.annotations) run.handedOn.annotations.push({ ...annotation, stage });
  const runnerFailed = log.commandFailed || read.errors.length > 0 || exit.timedOut;
  if (exit.signal) log.info(`The process was ended by ${exit.signal}.`);
  return stageResult(stage, exit, runnerFailed, stageLines.join('\n'));
}

/** The stage's environment: the runner's, what earlier stages exported, the caller's, files, inputs, state. */
function stageEnv(run: Run, fileEnv: Record<string, string>): Record<string, string> {
  const { callerEnv, handedOn } = run;
  const env: Record<string, string> = {
    ...hostBasics(process.env),
    ...runnerDefaults(run.layout),
    ...handedOn.exportedEnv,
    ...callerEnv,
    ...fileEnv,
    ...run.inputs.env,
    ...prefixKeys('STATE_', handedOn.state),
    ...(run.debug ? { RUNNER_DEBUG: '1' } : {}),
  };
  env['PATH'] = [...[...handedOn.path].reverse(), callerEnv['PATH'] ?? process.env['PATH'] ?? '']
    .filter((entry) => entry !== '')
    .join(path.delimiter);
  return env;
}

/** The step fails on a non-zero exit, or with 1 when the runner failed it (::error:: file commands, timeout). */
function stageResult(stage: StageName, exit: StageExit, runnerFailed: boolean, log: string): StageResult {
  const processCode = exit.code ?? 1;
  const exitCode = processCode !== 0 ? processCode : runnerFailed ? 1 : 0;
  return {
    stage,
    status: exitCode === 0 ? 'success' : 'failure',
    exitCode,
    processExitCode: exit.code,
    signal: exit.signal,
    timedOut: exit.timedOut,
    ...(exit.cancelToExitMs === undefined ? {} : { cancelToExitMs: exit.cancelToExitMs }),
    log,
  };
}

function runResult(run: Run, stages: StageResult[], keptTemp: string | undefined): RunActionResult {
  const { masker, handedOn } = run;
  const exitOf = (stage: StageName): number | undefined => stages.find((s) => s.stage === stage)?.exitCode;
  const preExitCode = exitOf('pre');
  const postExitCode = exitOf('post');
  return {
    exitCode: exitOf('main') ?? preExitCode ?? 1,
    ...(preExitCode === undefined ? {} : { preExitCode }),
    ...(postExitCode === undefined ? {} : { postExitCode }),
    outputs: masker.maskRecord(handedOn.outputs),
    summary: masker.mask(handedOn.summaries.join('\n')),
    state: masker.maskRecord(handedOn.state),
    exportedEnv: masker.maskRecord(handedOn.exportedEnv),
    path: handedOn.path.map((entry) => masker.mask(entry)),
    stdout: run.logLines.join('\n'),
    annotations: handedOn.annotations,
    masked: masker.values(),
    stages,
    ...(keptTemp === undefined ? {} : { tempDir: keptTemp }),
  };
}

/** The CLI's exit status: main's, or post's when main passed and post failed. */
export function overallExitCode(result: Pick<RunActionResult, 'exitCode' | 'postExitCode'>): number {
  if (result.exitCode !== 0) return result.exitCode;
  return result.postExitCode ?? 0;
}

const STAGE_TITLE: Readonly<Record<StageName, string>> = {
  pre: '▶ Pre Run',
  main: '▶ Run',
  post: '▶ Post Run',
};

/** What the stages have handed on so far: env and PATH for later stages, state, outputs. */
class RunState {
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  readonly exportedEnv: Record<string, string> = {};
  readonly path: string[] = [];
  readonly summaries: string[] = [];
  readonly annotations: Array<Annotation & { readonly stage: StageName }> = [];

  absorb(stage: StageName, files: ReturnType<typeof readStageFiles>, log: StepLog): void {
    for (const entry of [...log.path, ...files.path]) {
      const existing = this.path.indexOf(entry);
      if (existing >= 0) this.path.splice(existing, 1);
      this.path.push(entry);
    }
    Object.assign(this.exportedEnv, log.env, files.env);
    Object.assign(this.state, log.state, files.state);
    // Outputs of a post stage reach nothing on the runner, so they are not reported either.
    if (stage !== 'post') Object.assign(this.outputs, log.outputs, files.outputs);
    if (files.summary !== '') this.summaries.push(files.summary);
  }
}

function stageScripts(manifest: ActionManifest): { main: string; pre?: string; post?: string } {
  const resolve = (relative: string, key: string): string => {
    const absolute = path.resolve(manifest.dir, relative);
    if (!fs.existsSync(absolute)) {
      throw new HarnessError(
        `runs.${key} of ${manifest.file} points to ${absolute}, which does not exist; build the bundle first (npm run build)`,
      );
    }
    return absolute;
  };
  return {
    main: resolve(manifest.runs.main, 'main'),
    ...(manifest.runs.pre === undefined ? {} : { pre: resolve(manifest.runs.pre, 'pre') }),
    ...(manifest.runs.post === undefined ? {} : { post: resolve(manifest.runs.post, 'post') }),
  };
}

function clockPreloadSource(speed: number): string {
  try {
    return preloadSource(speed);
  } catch (error) {
    throw new HarnessError(`clockSpeed: ${(error as Error).message}`);
  }
}

function skipped(stage: StageName): StageResult {
  return { stage, status: 'skipped', log: '' };
}

function writeFile(parent: string, name: string, text: string): string {
  const file = path.join(parent, name);
  fs.writeFileSync(file, text);
  return file;
}

function makeDir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function prefixKeys(prefix: string, record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) out[prefix + key] = value;
  return out;
}
