export {
  FAULT_KINDS,
  chooseFault,
  faultAnswer,
  isFaultKind,
  type FaultKind,
  type FaultAnswer,
} from './faults';
export { FaultInjector, type FaultSettings, type FaultStats } from './injector';
export { createPrng, type Prng } from './prng';
export { detectProtocol, signingName, signingRegion, type AwsProtocol } from './protocol';
export { startFaultProxy, FAULT_CONTROL_PATH, type FaultProxy, type FaultProxyOptions } from './server';
export { faultProxyControl, type FaultProxyControl } from './client';
