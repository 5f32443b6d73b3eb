export {
  FAULT_KINDS,
  DEFAULT_FAULT_KINDS,
  chooseFault,
  faultAnswer,
  isFaultKind,
  type FaultKind,
  type FaultAnswer,
} from './faults';
export { FaultInjector, type FaultSettings, type FaultStats } from './injector';
export {
  matchesRequest,
  ruleFires,
  validateRules,
  type FaultMatch,
  type FaultRule,
  type RequestFacts,
  type RuleProgress,
} from './rules';
export { createPrng, type Prng } from './prng';
export { detectProtocol, operationName, signingName, signingRegion, type AwsProtocol } from './protocol';
export { startFaultProxy, FAULT_CONTROL_PATH, type FaultProxy, type FaultProxyOptions } from './server';
export { faultProxyControl, type FaultProxyControl } from './client';
