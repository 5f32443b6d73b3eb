export { runAction, overallExitCode } from './run-action';
export type { RunActionOptions, RunActionResult, StageResult, StageName, StageStatus } from './run-action';
export type { Annotation, AnnotationLevel } from './step-log';
export { HarnessError } from './harness-error';
export { inputEnvName } from './inputs';
export { renderReport } from './render-report';
export { parseCliArgs, USAGE } from './cli-args';
