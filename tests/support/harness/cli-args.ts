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
  const draft: Draft = { inputs: {}, env: {}, positional: [], keepTemp: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--keep-temp') {
      draft.keepTemp = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      draft.positional.push(arg);
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
    const apply = VALUE_FLAGS[flag];
    if (apply === undefined) throw new HarnessError(`Unknown option ${flag}\n\n${USAGE}`);
    apply(draft, value, flag);
  }
  return finish(draft);
}

/** The arguments read so far. */
interface Draft {
  readonly inputs: Record<string, string>;
  readonly env: Record<string, string>;
  readonly positional: string[];
  keepTemp: boolean;
  workspace?: string;
  cwd?: string;
  eventFile?: string;
  timeoutSeconds?: number;
  clockSpeed?: number;
}

/** What each option that takes a value (`--flag VALUE` or `--flag=VALUE`) does with it. */
const VALUE_FLAGS: Readonly<Record<string, (draft: Draft, value: string, flag: string) => void>> = {
  '--input': (draft, value, flag) => setPair(draft.inputs, value, flag),
  '--env': (draft, value, flag) => setPair(draft.env, value, flag),
  '--workspace': (draft, value) => void (draft.workspace = value),
  '--cwd': (draft, value) => void (draft.cwd = value),
  '--event': (draft, value) => void (draft.eventFile = value),
  '--timeout': (draft, value) =>
    void (draft.timeoutSeconds = positive(value, `--timeout must be a positive number of seconds`)),
  '--clock-speed': (draft, value) =>
    void (draft.clockSpeed = positive(value, `--clock-speed must be a positive number`)),
};

function positive(value: string, rule: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new HarnessError(`${rule}, got '${value}'`);
  return number;
}

/** Exactly one action, and only the options given. */
function finish(draft: Draft): ParsedCli {
  const { positional } = draft;
  if (positional.length !== 1) {
    throw new HarnessError(
      `${positional.length === 0 ? 'Name the action to run' : `Expected one action, got ${positional.join(' ')}`}\n\n${USAGE}`,
    );
  }
  return {
    help: false,
    action: positional[0] ?? '',
    inputs: draft.inputs,
    env: draft.env,
    keepTemp: draft.keepTemp,
    ...(draft.workspace === undefined ? {} : { workspace: draft.workspace }),
    ...(draft.cwd === undefined ? {} : { cwd: draft.cwd }),
    ...(draft.eventFile === undefined ? {} : { eventFile: draft.eventFile }),
    ...(draft.timeoutSeconds === undefined ? {} : { timeoutSeconds: draft.timeoutSeconds }),
    ...(draft.clockSpeed === undefined ? {} : { clockSpeed: draft.clockSpeed }),
  };
}

function setPair(target: Record<string, string>, pair: string, flag: string): void {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new HarnessError(`${flag} expects NAME=VALUE, got '${pair}'`);
  target[pair.slice(0, eq)] = pair.slice(eq + 1);
}
