import { CallLog } from './calls';
import { VirtualClock } from './clock';
import { Router } from './routing';
import { ScenarioRegistry } from './scenarios';
import type { ServiceInstance, ServiceModule } from './service';

export interface SimulatorCoreOptions {
  readonly services: readonly ServiceModule[];
  readonly clock: VirtualClock;
  readonly accountId: string;
}

/** The simulator's state without HTTP: services, their scenarios, the clock and the call log. */
export class SimulatorCore {
  readonly clock: VirtualClock;
  readonly scenarios = new ScenarioRegistry();
  readonly calls = new CallLog();
  private readonly modules: readonly ServiceModule[];
  private readonly accountId: string;
  private instances = new Map<string, ServiceInstance>();
  private currentRouter: Router;

  constructor(options: SimulatorCoreOptions) {
    this.clock = options.clock;
    this.modules = options.services;
    this.accountId = options.accountId;
    for (const module of this.modules)
      this.scenarios.define(module.service, module.scenarios, module.defaultScenario);
    this.currentRouter = this.createInstances();
  }

  get router(): Router {
    return this.currentRouter;
  }

  /** Empties every service, forgets scenario choices and calls, and puts the clock back to real time. */
  reset(): void {
    this.scenarios.clearChoices();
    this.calls.clear();
    this.clock.reset();
    this.currentRouter = this.createInstances();
  }

  seed(service: string, input: Readonly<Record<string, unknown>>, region: string): unknown {
    const instance = this.instance(service);
    if (!instance.seed) throw new Error(`service ${service} cannot be seeded`);
    return instance.seed(input, region);
  }

  state(service: string): unknown {
    return this.instance(service).state?.() ?? {};
  }

  private instance(service: string): ServiceInstance {
    const instance = this.instances.get(service);
    if (!instance)
      throw new Error(`no service ${service}; services: ${[...this.instances.keys()].join(', ')}`);
    return instance;
  }

  private createInstances(): Router {
    this.instances = new Map(
      this.modules.map((module) => [
        module.service,
        module.create({
          clock: this.clock,
          accountId: this.accountId,
          scenarioFor: (resource) => this.scenarios.resolve(module.service, resource),
        }),
      ]),
    );
    return new Router(
      this.modules.map((module) => ({ module, operations: this.instance(module.service).operations })),
    );
  }
}
