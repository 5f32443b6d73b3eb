/**
 * Command-line arguments of `npm run action`. A value may itself contain `=` and newlines: only
 * the first `=` separates an input's name from its value.
 */
import { HarnessError } from './harness-error';

export interface CliArgs {
  readonly action: string;
  readonly inputs: Record<string, string>;
  readonly env: Record<string, string>;
  readonly workspace?: string;
  readonly cwd?: string;
  readonly eventFile?: string;
  readonly timeoutSeconds?: number;
  readonly clockSpeed?: number;
  readonly keepTemp: boolean;
}

export const USAGE = `Usage: npm run action -- <name|path> [options]

Runs actions/<name>/ (or the action in <path>) the way the GitHub Actions runner does.

Options:
  --input NAME=VALUE   an input (repeatable; VALUE may contain '=' and newlines)
  --env NAME=VALUE     a step environment variable (repeatable)
  --workspace DIR      GITHUB_WORKSPACE (default: a fresh temporary folder)
  --cwd DIR            working directory of the action (default: the workspace)
  --event FILE         JSON payload for GITHUB_EVENT_PATH (default: a small push event)
  --timeout SECONDS    end each stage after this long
  --clock-speed N      run the action's time N times faster (match the local simulator's speed)
  --keep-temp          keep the run's temporary folder and print where it is
  --help               this text`;

export type ParsedCli = { readonly help: true } | ({ readonly help: false } & CliArgs);

export function parseCliArgs(argv: readonly string[]): ParsedCli {
  const inputs: Record<string, string> = {};
  const env: Record<string, string> = {};
  const positional: string[] = [];
  let workspace: string | undefined;
  let cwd: string | undefined;
  let eventFile: string | undefined;
  let timeoutSeconds: number | undefined;
  let clockSpeed: number | undefined;
  let keepTemp = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--keep-temp') {
      keepTemp = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new HarnessError(`${flag} needs a value`);
      value = next;
      i++;
    }
    switch (flag) {
      case '--input':
        setPair(inputs, value, flag);
        break;
      case '--env':
        setPair(env, value, flag);
        break;
      case '--workspace':
        workspace = value;
        break;
      case '--cwd':
        cwd = value;
        break;
      case '--event':
        eventFile = value;
        break;
      case '--timeout': {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds <= 0)
          throw new HarnessError(`--timeout must be a positive number of seconds, got '${value}'`);
        timeoutSeconds = seconds;
        break;
      }
      case '--clock-speed': {
        const speed = Number(value);
        if (!Number.isFinite(speed) || speed <= 0)
          throw new HarnessError(`--clock-speed must be a positive number, got '${value}'`);
        clockSpeed = speed;
        break;
      }
      default:
        throw new HarnessError(`Unknown option ${flag}\n\n${USAGE}`);
    }
  }
  if (positional.length !== 1) {
    throw new HarnessError(
      `${positional.length === 0 ? 'Name the action to run' : `Expected one action, got ${positional.join(' ')}`}\n\n${USAGE}`,
    );
  }
  return {
    help: false,
    action: positional[0] ?? '',
    inputs,
    env,
    keepTemp,
    ...(workspace === undefined ? {} : { workspace }),
    ...(cwd === undefined ? {} : { cwd }),
    ...(eventFile === undefined ? {} : { eventFile }),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    ...(clockSpeed === undefined ? {} : { clockSpeed }),
  };
}

function setPair(target: Record<string, string>, pair: string, flag: string): void {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new HarnessError(`${flag} expects NAME=VALUE, got '${pair}'`);
  target[pair.slice(0, eq)] = pair.slice(eq + 1);
}
