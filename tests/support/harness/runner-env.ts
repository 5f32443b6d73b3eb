/**
 * The environment the runner gives a JavaScript action: its GITHUB_* and RUNNER_* variables,
 * plus only the host basics a process needs (PATH, HOME, locale). Nothing else of the caller's
 * shell leaks in, so an action never picks up the developer's AWS_* credentials by accident.
 */
import { execFileSync } from 'node:child_process';
import type { ExpressionContext } from './expressions';

/** A valid-looking commit id for runs outside a git checkout with commits. */
export const FAKE_SHA = '0123456789abcdef0123456789abcdef01234567';
export const DEFAULT_RUN_ID = '1234567890';

const HOST_BASICS = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR'];

export function hostBasics(hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(hostEnv)) {
    if (value === undefined) continue;
    if (HOST_BASICS.includes(key) || key.startsWith('LC_')) env[key] = value;
  }
  return env;
}

export interface RunnerLayout {
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly toolCache: string;
  readonly eventPath: string;
  readonly actionPath: string;
  readonly actionName: string;
  readonly sha: string;
}

export function runnerDefaults(layout: RunnerLayout): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: layout.actionName,
    GITHUB_ACTION_PATH: layout.actionPath,
    GITHUB_ACTOR: 'example-user',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_BASE_REF: '',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: layout.eventPath,
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_HEAD_REF: '',
    GITHUB_JOB: 'harness',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'org/example',
    GITHUB_REPOSITORY_OWNER: 'org',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: DEFAULT_RUN_ID,
    GITHUB_RUN_NUMBER: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: layout.sha,
    GITHUB_WORKFLOW: 'harness',
    GITHUB_WORKSPACE: layout.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'harness',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: layout.runnerTemp,
    RUNNER_TOOL_CACHE: layout.toolCache,
  };
}

/** The `github.*` / `runner.*` values expressions in action.yml may use, read from the step's env. */
export function expressionContext(env: Readonly<Record<string, string>>): ExpressionContext {
  const get = (key: string): string => env[key] ?? '';
  return {
    'github.action_path': get('GITHUB_ACTION_PATH'),
    'github.actor': get('GITHUB_ACTOR'),
    'github.api_url': get('GITHUB_API_URL'),
    'github.event_name': get('GITHUB_EVENT_NAME'),
    'github.ref': get('GITHUB_REF'),
    'github.ref_name': get('GITHUB_REF_NAME'),
    'github.repository': get('GITHUB_REPOSITORY'),
    'github.repository_owner': get('GITHUB_REPOSITORY_OWNER'),
    'github.run_attempt': get('GITHUB_RUN_ATTEMPT'),
    'github.run_id': get('GITHUB_RUN_ID'),
    'github.run_number': get('GITHUB_RUN_NUMBER'),
    'github.server_url': get('GITHUB_SERVER_URL'),
    'github.sha': get('GITHUB_SHA'),
    // The harness has no token to give; actions must cope with an empty one.
    'github.token': '',
    'github.workspace': get('GITHUB_WORKSPACE'),
    'runner.arch': get('RUNNER_ARCH'),
    'runner.os': get('RUNNER_OS'),
    'runner.temp': get('RUNNER_TEMP'),
  };
}

export function pushEvent(env: Readonly<Record<string, string>>): Record<string, unknown> {
  const repository = env['GITHUB_REPOSITORY'] ?? 'org/example';
  const [owner = 'org', name = 'example'] = repository.split('/');
  const sha = env['GITHUB_SHA'] ?? FAKE_SHA;
  return {
    ref: env['GITHUB_REF'] ?? 'refs/heads/main',
    before: '0'.repeat(40),
    after: sha,
    head_commit: { id: sha, message: 'Harness run' },
    repository: { full_name: repository, name, owner: { login: owner }, default_branch: 'main' },
    pusher: { name: env['GITHUB_ACTOR'] ?? 'example-user' },
    sender: { login: env['GITHUB_ACTOR'] ?? 'example-user' },
  };
}

/** HEAD of the first of `dirs` that is a git checkout with a commit; the fake id otherwise. */
export function headShaOf(
  dirs: readonly string[],
  readHead: (dir: string) => string | undefined = gitHead,
): string {
  for (const dir of dirs) {
    const sha = readHead(dir);
    if (sha !== undefined && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return FAKE_SHA;
}

function gitHead(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['true', '1'].includes(value.trim().toLowerCase());
}
