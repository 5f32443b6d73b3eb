/**
 * The part of the CLI's output after the step log: outputs, job summary and how each stage
 * ended. Everything here is already masked by runAction.
 */
import type { RunActionResult, StageResult } from './run-action';

export function renderReport(result: RunActionResult): string {
  const sections = [
    section('Outputs', renderOutputs(result.outputs)),
    section('Job summary', result.summary.trimEnd() === '' ? '(empty)' : result.summary.trimEnd()),
  ];
  if (Object.keys(result.exportedEnv).length > 0)
    sections.push(section('Exported env (GITHUB_ENV)', renderOutputs(result.exportedEnv)));
  if (result.path.length > 0) sections.push(section('Added to PATH (GITHUB_PATH)', result.path.join('\n')));
  const annotated = result.annotations;
  if (annotated.length > 0) {
    const counts = (['error', 'warning', 'notice'] as const)
      .map((level) => `${annotated.filter((a) => a.level === level).length} ${level}(s)`)
      .join(', ');
    sections.push(section('Annotations', counts));
  }
  sections.push(section('Result', result.stages.map(renderStage).join('\n')));
  if (result.tempDir !== undefined) sections.push(section('Temporary folder (kept)', result.tempDir));
  return sections.join('\n\n');
}

function renderOutputs(values: Readonly<Record<string, string>>): string {
  const entries = Object.entries(values);
  if (entries.length === 0) return '(none)';
  return entries
    .map(([name, value]) =>
      value.includes('\n')
        ? `${name}:\n${value
            .split('\n')
            .map((line) => `  | ${line}`)
            .join('\n')}`
        : `${name} = ${value}`,
    )
    .join('\n');
}

function renderStage(stage: StageResult): string {
  if (stage.status === 'skipped') return `${stage.stage}: skipped`;
  const detail = [`exit ${stage.exitCode}`];
  if (stage.processExitCode === 0 && stage.exitCode !== 0)
    detail.push('failed by the runner: see the errors above');
  if (stage.signal) detail.push(`ended by ${stage.signal}`);
  if (stage.timedOut) detail.push('timed out');
  return `${stage.stage}: ${stage.status} (${detail.join(', ')})`;
}

function section(title: string, body: string): string {
  return `── ${title} ${'─'.repeat(Math.max(3, 60 - title.length))}\n${body}`;
}
