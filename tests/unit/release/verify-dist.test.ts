import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smokeTestBundle } from '../../../scripts/release/verify-dist';

const ACTION_YML = `
name: x
inputs:
  bucket:
    required: true
runs:
  using: node24
  main: dist/index.js
`;

describe('smokeTestBundle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smoke-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'action.yml'), ACTION_YML);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = (code: string) => writeFileSync(join(dir, 'dist', 'index.js'), code);

  test('a bundle that rejects its missing input with ::error:: and exit 1 passes', () => {
    bundle(`console.log("::error::Input 'bucket' is required and was empty"); process.exitCode = 1;`);
    expect(smokeTestBundle(process.execPath, dir)).toBeUndefined();
  });

  test('runs without the caller’s environment: no inputs leak in', () => {
    process.env['INPUT_BUCKET'] = 'leaked';
    try {
      bundle(
        `if (process.env.INPUT_BUCKET) process.exit(0); console.log("::error::Input 'bucket' missing"); process.exit(1);`,
      );
      expect(smokeTestBundle(process.execPath, dir)).toBeUndefined();
    } finally {
      delete process.env['INPUT_BUCKET'];
    }
  });

  test.each([
    [
      'a crash with a stack',
      'throw new Error("Cannot find module ./chunk.js")',
      /exited 1 without an ::error:: naming an input:\n[\s\S]*Cannot find module/,
    ],
    ['success without inputs', 'process.exit(0)', /exited 0/],
    ['an error about something else', 'console.log("::error::boom"); process.exit(1)', /::error::boom/],
  ])('%s fails', (_what, code, problem) => {
    bundle(code);
    expect(smokeTestBundle(process.execPath, dir)).toMatch(problem);
  });

  test('a missing bundle fails', () => {
    expect(smokeTestBundle(process.execPath, dir)).toMatch(/exited 1/);
  });
});
