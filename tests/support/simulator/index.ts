export { startSimulator, type Simulator, type SimulatorOptions } from './server';
export { simulatorControl, type SimulatorControl } from './client';
export { VirtualClock, type Clock, type VirtualClockOptions } from './clock';
export { ScenarioRegistry, type ScenarioBase, type ChosenScenario } from './scenarios';
export { CallLog, type Call, type CallFilter } from './calls';
export { ServiceError } from './errors';
export { Router, compilePathTemplate } from './routing';
export {
  defineService,
  type Operation,
  type Route,
  type ServiceModule,
  type ServiceContext,
  type ServiceInstance,
} from './service';
export { ALL_SERVICES } from './services';
export { MWAA_SCENARIOS, updatePhase, type MwaaScenario } from './services/mwaa/timing';
export { mwaaService, MWAA_OBJECT_VERSION_FIELDS } from './services/mwaa';
