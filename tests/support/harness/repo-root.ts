import * as path from 'node:path';

/** The monorepo root: this file lives in tests/support/harness/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
