export {
  runChain,
  planChain,
  type ChainFacts,
  type ChainObserver,
  type ChainOutcome,
  type StepId,
  type StepRun,
} from './chain';
export { assembleImageContext, NODE_BINARY, type ImageContext } from './image-context';
export {
  startLocalService,
  predict,
  SAMPLE_RECORD,
  type LocalService,
  type Prediction,
} from './local-service';
export { privateNamespacesCommand, whyChainCannotRun } from './private-namespaces';
export { startWorld, type World, type WorldOptions } from './world';
export { BREAKS, isBreakPoint, scenariosFor, type BreakPoint } from './breaks';
export type { BeanstalkView, DagObjects, EcsServiceView, PushedImage, SageMakerView } from './checks';
export type { PreviousRelease, Scenarios } from './seeds';
export * as names from './names';
export { prepareChain, type PrepareOptions, type Prepared } from './prepare';
export { failureReasons } from './failure-reasons';
