import { runTool, type RunTool } from '@deploy-suite/kit';
import { recordingLog } from '../../support/fakes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirflowIgnore } from '../../../actions/sync-dags/src/airflowignore';
import { dagFilesOf } from '../../../actions/sync-dags/src/dag-files';
import { findOnPath } from '../../../actions/sync-dags/src/ports';
import { scanLocalTree } from '../../../actions/sync-dags/src/local-tree';
import { createPathFilter } from '../../../actions/sync-dags/src/filters';
import { validateDags } from '../../../actions/sync-dags/src/validate';
import { makeTree } from './fake-aws';

async function treeOf(root: string) {
  return scanLocalTree(root, { filter: createPathFilter([], []), roots: [root] });
}

async function filesOf(root: string) {
  return (await treeOf(root)).files;
}

const noDags = { syntax: 'regexp' as const, dagFiles: async () => [], timeoutMs: 600_000 };

const python3 = findOnPath('python3', process.env.PATH ?? '');
const withPython = python3 === undefined ? it.skip : it;

describe('validate: syntax', () => {
  withPython('compiles every .py with python3 and reports file:line for each that does not', async () => {
    const root = makeTree({
      'ok.py': 'import os\n\ndef f():\n    return os.sep\n',
      'dags/broken.py': 'x = 1\n\ndef f(:\n    pass\n',
      'indent.py': 'if True:\nprint(1)\n',
      'notes.sql': 'this is not python',
    });
    const log = recordingLog();
    const errors: [string, unknown][] = [];
    log.error = (message, where) => void errors.push([message, where]);
    const run = validateDags(await filesOf(root), { kind: 'syntax' }, root, noDags, {
      runTool: (tool, args, options) => runTool(tool, args, { ...options, quiet: true }),
      findExecutable: (name) => findOnPath(name, process.env.PATH ?? ''),
      log,
      workspace: root,
      tempDir: root,
    });
    await expect(run).rejects.toThrow('2 of 3 DAG .py files do not compile; nothing was uploaded');
    expect(errors).toEqual([
      [
        expect.stringMatching(/^SyntaxError: /),
        { file: join('dags', 'broken.py'), line: 3, title: 'DAG does not compile' },
      ],
      [
        expect.stringMatching(/^IndentationError: /),
        { file: 'indent.py', line: 2, title: 'DAG does not compile' },
      ],
    ]);
  });

  it('warns and goes on when python3 is missing', async () => {
    const root = makeTree({ 'a.py': 'def (' });
    const log = recordingLog();
    const tool: RunTool = jest.fn();
    const result = await validateDags(await filesOf(root), { kind: 'syntax' }, root, noDags, {
      runTool: tool,
      findExecutable: () => undefined,
      log,
      workspace: root,
      tempDir: root,
    });
    expect(result).toBe('syntax not checked (no python3)');
    expect(log.lines[0]).toMatch(/^warning: python3 is not on PATH/);
    expect(tool).not.toHaveBeenCalled();
  });
});

describe('validate: a command', () => {
  it('runs it with DAGS_FOLDER, DAG_FILES_LIST and the ignore syntax set, and fails with its last lines when it fails', async () => {
    const root = makeTree({ 'a.py': '' });
    const tempDir = makeTree({});
    const tool: RunTool = jest.fn(async () => ({
      exitCode: 3,
      stdout: 'checking\nImportError: no module x\n',
      stderr: '',
    }));
    const run = validateDags(
      await filesOf(root),
      { kind: 'command', command: 'python -c "import dags"' },
      root,
      {
        syntax: 'glob',
        dagFiles: async () => [{ path: 'a.py', absolutePath: join(root, 'a.py') }],
        timeoutMs: 600_000,
      },
      { runTool: tool, findExecutable: () => undefined, log: recordingLog(), workspace: '/ws', tempDir },
    );
    await expect(run).rejects.toMatchObject({
      message: 'Validation command failed with exit code 3; nothing was uploaded',
      reasons: ['checking', 'ImportError: no module x'],
    });
    expect(tool).toHaveBeenCalledWith('bash', ['-c', 'python -c "import dags"'], {
      cwd: '/ws',
      env: {
        DAGS_FOLDER: root,
        DAG_FILES_LIST: join(tempDir, 'dag-files.txt'),
        AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX: 'glob',
      },
    });
    expect(readFileSync(join(tempDir, 'dag-files.txt'), 'utf8')).toBe(`${join(root, 'a.py')}\n`);
  });
});

describe('validation has a deadline', () => {
  const failing = (exitCode: number) =>
    jest.fn<ReturnType<RunTool>, Parameters<RunTool>>(async () => ({
      exitCode,
      stdout: 'importing dags\n',
      stderr: '',
    }));
  const ports = (tool: RunTool, timeout: string | undefined) => ({
    runTool: tool,
    findExecutable: (name: string) => (name === 'timeout' ? timeout : `/usr/bin/${name}`),
    log: recordingLog(),
    workspace: '/ws',
    tempDir: makeTree({}),
  });
  const context = { syntax: 'regexp' as const, dagFiles: async () => [], timeoutMs: 90_000 };

  it('runs a command under coreutils timeout (SIGTERM at the deadline, SIGKILL 10 s later) and says when it ran out', async () => {
    const tool = failing(124);
    const run = validateDags(
      [],
      { kind: 'command', command: 'python check.py' },
      '/ws/dags',
      context,
      ports(tool, '/usr/bin/timeout'),
    );
    await expect(run).rejects.toMatchObject({
      message:
        'Validation command did not finish within 1.5 minutes (validate-timeout-minutes); nothing was uploaded',
      reasons: ['importing dags'],
    });
    expect(tool.mock.calls[0]?.slice(0, 2)).toEqual([
      '/usr/bin/timeout',
      ['--kill-after=10', '90', 'bash', '-c', 'python check.py'],
    ]);
  });

  it('runs the syntax check under the same deadline', async () => {
    const root = makeTree({ 'a.py': 'x = 1\n' });
    const tool = failing(124);
    const run = validateDags(
      await filesOf(root),
      { kind: 'syntax' },
      root,
      context,
      ports(tool, '/usr/bin/timeout'),
    );
    await expect(run).rejects.toThrow(
      'The syntax check of 1 .py files did not finish within 1.5 minutes (validate-timeout-minutes); nothing was uploaded',
    );
    expect(tool.mock.calls[0]?.[1].slice(0, 3)).toEqual(['--kill-after=10', '90', '/usr/bin/python3']);
  });

  it('runs without a deadline where timeout is not installed, and says so', async () => {
    const tool = failing(0);
    const given = ports(tool, undefined);
    await validateDags([], { kind: 'command', command: 'true' }, '/ws/dags', context, given);
    expect(tool.mock.calls[0]?.[0]).toBe('bash');
    expect(given.log.lines).toContain(
      "timeout (coreutils) is not on PATH: validation runs without a deadline; the job's timeout-minutes applies",
    );
  });
});

// The files Airflow parses: find_dag_file_paths (not ignored, .py or zip) and the safe-mode
// heuristic might_contain_dag_via_default_heuristic ("airflow" and "dag" in the bytes, any case).
describe('the DAG files Airflow would parse', () => {
  it('are the .py files outside .airflowignore that mention both airflow and dag, and zips', async () => {
    const root = makeTree({
      '.airflowignore': 'helpers/\n',
      'etl.py': 'from airflow import DAG\n',
      'upper.py': '# AIRFLOW pipeline, one Dag\n',
      'plain.py': 'x = 1  # no airflow import here\n',
      'helpers/io.py': 'from airflow.models import DAG\n',
      'packaged.zip': 'PK',
      'query.sql': 'select 1 -- airflow dag',
    });
    const tree = await treeOf(root);
    const ignore = new AirflowIgnore('glob', tree.ignoreFiles);
    const dags = await dagFilesOf(tree.files, ignore);
    expect(dags.map((file) => file.path)).toEqual(['etl.py', 'packaged.zip', 'upper.py']);
  });
});
