// The entry the runner starts (bundled into dist/ by ncc): it runs the action. The action itself is
// main.ts's run(), which @github/local-action calls directly (CONTRIBUTING.md).
import { run } from './main';

void run();
