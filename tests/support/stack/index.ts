export {
  startStack,
  stopStack,
  stackStatus,
  runningStack,
  type Stack,
  type StackOptions,
  type StackStatus,
} from './stack';
export { stackEnv, exportLines, STACK_REGION } from './env';
export { DEFAULT_STATE_DIR, REPO_ROOT } from './paths';
export type { StackEndpoints, StackState, ProcessRecord } from './state';
export type { RegistryAuth } from './registry-files';
