import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SUMMARY_LIMIT_BYTES,
  createStageFiles,
  readStageFiles,
  stageFileEnv,
} from '../../support/harness/stage-files';

describe('stage files', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-files-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates empty files and names them in the runner variables', () => {
    const files = createStageFiles(path.join(dir, 'main'));
    const env = stageFileEnv(files);
    expect(Object.keys(env).sort()).toEqual([
      'GITHUB_ENV',
      'GITHUB_OUTPUT',
      'GITHUB_PATH',
      'GITHUB_STATE',
      'GITHUB_STEP_SUMMARY',
    ]);
    for (const file of Object.values(env)) expect(fs.readFileSync(file, 'utf8')).toBe('');
  });

  it('reads back what a stage wrote', () => {
    const files = createStageFiles(dir);
    fs.writeFileSync(files.output, 'a=1\nb<<E\nx\ny\nE\n');
    fs.writeFileSync(files.state, 'pid=7\n');
    fs.writeFileSync(files.env, 'FOO=bar\n');
    fs.writeFileSync(files.path, '/opt/bin\n');
    fs.writeFileSync(files.summary, '# Title\n');
    expect(readStageFiles(files)).toEqual({
      outputs: { a: '1', b: 'x\ny' },
      state: { pid: '7' },
      env: { FOO: 'bar' },
      path: ['/opt/bin'],
      summary: '# Title\n',
      errors: [],
      summaryErrors: [],
    });
  });

  it("reports a malformed file in the runner's words and keeps the others", () => {
    const files = createStageFiles(dir);
    fs.writeFileSync(files.output, 'x<<EOF\nno end\n');
    fs.writeFileSync(files.state, 'ok=1\n');
    const read = readStageFiles(files);
    expect(read.errors).toEqual([
      "Unable to process file command 'output' successfully.",
      "Invalid value. Matching delimiter not found 'EOF'",
    ]);
    expect(read.state).toEqual({ ok: '1' });
  });

  it('drops a summary over the size limit with an error', () => {
    const files = createStageFiles(dir);
    fs.writeFileSync(files.summary, 'x'.repeat(SUMMARY_LIMIT_BYTES + 1));
    const read = readStageFiles(files);
    expect(read.summary).toBe('');
    expect(read.summaryErrors[0]).toMatch(/upload aborted, supports content up to a size of 1024k/);
  });

  it('treats a file the stage deleted as empty', () => {
    const files = createStageFiles(dir);
    fs.rmSync(files.output);
    expect(readStageFiles(files).outputs).toEqual({});
  });
});
