/**
 * `npm run action -- <name|path> --input key=value ...`: runs an action's bundle the way the
 * GitHub Actions runner does and prints its log, outputs, job summary and exit status.
 * Exits with main's exit code, or post's when main passed and post failed.
 */
import * as fs from 'node:fs';
import {
  HarnessError,
  overallExitCode,
  parseCliArgs,
  renderReport,
  runAction,
  USAGE,
} from '../tests/support/harness';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const event = args.eventFile === undefined ? undefined : readEvent(args.eventFile);
  const result = await runAction({
    action: args.action,
    inputs: args.inputs,
    env: args.env,
    keepTemp: args.keepTemp,
    onLog: (line) => process.stdout.write(`${line}\n`),
    ...(args.workspace === undefined ? {} : { workspace: args.workspace }),
    ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
    ...(event === undefined ? {} : { event }),
    ...(args.timeoutSeconds === undefined ? {} : { timeoutMs: args.timeoutSeconds * 1000 }),
    ...(args.clockSpeed === undefined ? {} : { clockSpeed: args.clockSpeed }),
  });
  process.stdout.write(`\n${renderReport(result)}\n`);
  return overallExitCode(result);
}

function readEvent(file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new HarnessError(`--event ${file}: ${(error as Error).message}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HarnessError) {
      console.error(`action harness: ${error.message}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 70;
    }
  },
);
