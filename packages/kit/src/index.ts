/**
 * What the kit offers actions, and nothing else: every name here is imported by an action's source.
 * Helpers the kit uses internally stay in their modules, where the kit's own unit tests import them
 * by path; test fakes live in tests/support/fakes.ts. Name a new export here when an action starts
 * using it.
 */
export { Cancelled, DeadlineExceeded, DeployFailed, InputError, isThrottling, messageOf } from './errors';
export { createInputReader, hasControlCharacter, type Env, type InputReader } from './inputs';
export { clip, QUOTE_MAX, quoted, visible } from './quote';
export { readTimeout, readWait } from './shared-inputs';
export { newestFirst, planPrune, readKeepVersions, type Dated } from './prune';
export { createAwsClient, TRANSFER_CALL_DEADLINE_MS } from './aws';
export { EventStream, systemClock, waitFor, type Check, type Clock } from './poll';
export {
  formatBytes,
  runnerLog,
  shortDigestText,
  Summary,
  Timeline,
  type Log,
  type OutputValue,
  type TimelineEntry,
} from './report';
export { isFailure, type Status } from './status';
export { failureStatus, quoteOf, withResult, type ActionResult } from './result';
export { maskSecret } from './secrets';
export { runTool, type RunTool, type ToolResult, type ToolRun } from './exec';
export { runToolInGroup, ToolTimedOut, type GroupRun, type GroupRunTool } from './process-group';
export { runSignal } from './cancellation';
export { run } from './run';
export { isValidTag, parseImageReference } from './image';
export { allowedRoots, confinedRealPath, isWithin } from './paths';
export { isMultipartEtag, md5FromEtag, md5OfFile } from './content-hash';
export { compileWildmatch, compileWildmatchLine, excludedBy, WildmatchError } from './gitwildmatch';
export { zipEntriesDeterministically, zipFolderDeterministically, type ZipEntry } from './deterministic-zip';
export { MULTIPART_THRESHOLD, uploadFileToS3, type UploadedObject } from './s3-upload';
export {
  DeploymentRecorder,
  readEnvironmentUrl,
  readGitHubDeploymentInputs,
  runnerGitHub,
  withDeploymentRecord,
  type DeployEnding,
  type GitHubDeploymentInputs,
  type GitHubPort,
} from './deployment-recorder';
