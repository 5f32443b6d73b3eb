/**
 * The per-stage files behind GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH and
 * GITHUB_STEP_SUMMARY: created empty before a stage runs, read back after it, with each
 * failure reported the way the runner reports it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseKeyValueFile, parsePathFile, toRecord } from './file-commands';

export interface StageFiles {
  readonly output: string;
  readonly state: string;
  readonly env: string;
  readonly path: string;
  readonly summary: string;
}

/** The runner aborts a step summary larger than this. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export function createStageFiles(dir: string): StageFiles {
  fs.mkdirSync(dir, { recursive: true });
  const files: StageFiles = {
    output: path.join(dir, 'set_output'),
    state: path.join(dir, 'save_state'),
    env: path.join(dir, 'set_env'),
    path: path.join(dir, 'add_path'),
    summary: path.join(dir, 'step_summary'),
  };
  for (const file of Object.values(files)) fs.writeFileSync(file, '');
  return files;
}

export function stageFileEnv(files: StageFiles): Record<string, string> {
  return {
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
  };
}

export interface StageFileResults {
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly env: Record<string, string>;
  readonly path: string[];
  readonly summary: string;
  /** Errors as the runner words them; any of them fails the step. */
  readonly errors: string[];
  /** Problems the runner reports without failing the step. */
  readonly summaryErrors: string[];
}

export function readStageFiles(files: StageFiles): StageFileResults {
  const errors: string[] = [];
  const keyValues = (file: string, contextName: string): Record<string, string> => {
    try {
      return toRecord(parseKeyValueFile(readIfExists(file)));
    } catch (error) {
      errors.push(`Unable to process file command '${contextName}' successfully.`, (error as Error).message);
      return {};
    }
  };
  const pathEntries = parsePathFile(readIfExists(files.path));
  const env = keyValues(files.env, 'env');
  const outputs = keyValues(files.output, 'output');
  const state = keyValues(files.state, 'state');
  const summaryErrors: string[] = [];
  let summary = readIfExists(files.summary);
  const size = Buffer.byteLength(summary, 'utf8');
  if (size > SUMMARY_LIMIT_BYTES) {
    summaryErrors.push(
      `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${SUMMARY_LIMIT_BYTES / 1024}k, got ${Math.floor(size / 1024)}k.`,
    );
    summary = '';
  }
  return { outputs, state, env, path: pathEntries, summary, errors, summaryErrors };
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
