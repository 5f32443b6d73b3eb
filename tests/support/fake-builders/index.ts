/**
 * Fake `buildah` and `docker` for build-push's integration tests (fake-builder.cjs): they record
 * each call (argv, environment, stdin for logins, a hash of each secret file) and play the
 * registry's part of ECR (a push stores the image through moto's PutImage), so ECR's view after a
 * run is what it is after a real push. The action hands builders a scrubbed environment, so each
 * workspace gets wrapper scripts on PATH that name the fake's settings file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAKE_BUILDER_SCRIPT = join(__dirname, 'fake-builder.cjs');
/** What moto's GetAuthorizationToken hands out for its default account. */
export const MOTO_REGISTRY_PASSWORD = '123456789012-auth-token';
export const MOTO_REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

export interface BuilderCall {
  tool: string;
  args: string[];
  cmdline: string[];
  env: Record<string, string>;
  stdin?: string;
  secrets?: Record<string, string>;
  /** Names the image got in local storage. */
  local?: string[];
  /** A hanging build: its own pid and its child's, which must be gone after the run. */
  pids?: number[];
}

export interface FakeBuilderSettings {
  /** moto's URL: a push stores the image there with PutImage. */
  moto: string;
  /** `up`: `docker version` answers, so engine auto picks docker. */
  daemon?: 'up';
  /** The driver `docker buildx inspect` names (default `docker-container`). */
  driver?: string;
  /** What `docker info` prints for DriverStatus (default: the legacy overlay2 image store). */
  driverStatus?: string;
  /** `build`: the build starts a child, ignores SIGTERM and never ends. */
  hang?: 'build';
}

/**
 * A build folder under `dir`: `ws` (a small Dockerfile and a file it copies), the fake's state,
 * a DOCKER_CONFIG folder and `bin` with the wrapper scripts.
 */
export function makeBuildFolder(
  dir: string,
  dockerfile = 'FROM scratch\nARG MODEL_VERSION\nCOPY model.txt /model.txt\n',
  model = 'weights\n',
): string {
  for (const sub of ['ws', 'state', 'docker', 'bin']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'ws', 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'ws', 'model.txt'), model);
  for (const tool of ['buildah', 'docker']) {
    const wrapper = join(dir, 'bin', tool);
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec node '${FAKE_BUILDER_SCRIPT}' '${join(dir, 'fake.json')}' ${tool} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
  }
  return dir;
}

/**
 * Sets up the fakes of a build folder for the next run, with a fresh call log, and returns what
 * the action's environment needs to find them (PATH, DOCKER_CONFIG).
 */
export function armFakeBuilders(dir: string, settings: FakeBuilderSettings): Record<string, string> {
  const log = join(dir, 'calls.jsonl');
  rmSync(log, { force: true });
  writeFileSync(
    join(dir, 'fake.json'),
    JSON.stringify({ ...settings, log, state: join(dir, 'state'), password: MOTO_REGISTRY_PASSWORD }),
  );
  return { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: join(dir, 'docker') };
}

/** The calls the fakes of a build folder recorded since it was last armed. */
export function builderCalls(dir: string): BuilderCall[] {
  const log = join(dir, 'calls.jsonl');
  return existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as BuilderCall)
    : [];
}

/** Running, not a zombie waiting to be reaped (/proc/<pid>/stat, the field after the name). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is gone within a few seconds: SIGKILL is delivered by the kernel after kill()
 * returns, so on a loaded machine a killed process may still be listed for a moment.
 */
export async function goneSoon(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isRunning(pid);
}
