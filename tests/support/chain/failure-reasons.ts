import type { RunActionResult } from '../harness';

/**
 * Why a step failed, as its log says it: each error annotation with the evidence the action
 * prints indented under it (stopped tasks, events, health causes).
 */
export function failureReasons(result: RunActionResult): string[] {
  const reasons: string[] = [];
  let current: string[] | undefined;
  for (const line of result.stdout.split('\n')) {
    const error = /^::error[^:]*::(.*)$/.exec(line);
    if (error) {
      current = [error[1] ?? ''];
      reasons.push('');
      continue;
    }
    if (current !== undefined && /^\s+\S/.test(line)) {
      current.push(line.trim());
    } else if (current !== undefined) {
      reasons[reasons.length - 1] = current.join('\n');
      current = undefined;
    }
  }
  if (current !== undefined) reasons[reasons.length - 1] = current.join('\n');
  return reasons.length > 0 ? reasons : [`the step exited with ${result.exitCode}`];
}
