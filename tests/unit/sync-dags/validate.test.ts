import { runTool, type RunTool } from '@deploy-suite/kit';
import { recordingLog } from '../../support/fakes';
import { join } from 'node:path';
import { findOnPath } from '../../../actions/sync-dags/src/ports';
import { scanLocalTree } from '../../../actions/sync-dags/src/local-tree';
import { createPathFilter } from '../../../actions/sync-dags/src/filters';
import { validateDags } from '../../../actions/sync-dags/src/validate';
import { makeTree } from './fake-aws';

async function filesOf(root: string) {
  return (await scanLocalTree(root, { respectAirflowignore: true, filter: createPathFilter([], []) })).files;
}

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
    const run = validateDags(await filesOf(root), { kind: 'syntax' }, root, {
      runTool: (tool, args, options) => runTool(tool, args, { ...options, quiet: true }),
      findExecutable: () => python3,
      log,
      workspace: root,
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
    const result = await validateDags(await filesOf(root), { kind: 'syntax' }, root, {
      runTool: tool,
      findExecutable: () => undefined,
      log,
      workspace: root,
    });
    expect(result).toBe('syntax not checked (no python3)');
    expect(log.lines[0]).toMatch(/^warning: python3 is not on PATH/);
    expect(tool).not.toHaveBeenCalled();
  });
});

describe('validate: a command', () => {
  it('runs it with DAGS_FOLDER set and fails the step with its last lines when it fails', async () => {
    const root = makeTree({ 'a.py': '' });
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
        runTool: tool,
        findExecutable: () => undefined,
        log: recordingLog(),
        workspace: '/ws',
      },
    );
    await expect(run).rejects.toMatchObject({
      message: 'Validation command failed with exit code 3; nothing was uploaded',
      reasons: ['checking', 'ImportError: no module x'],
    });
    expect(tool).toHaveBeenCalledWith('bash', ['-c', 'python -c "import dags"'], {
      cwd: '/ws',
      env: { DAGS_FOLDER: root },
    });
  });
});
