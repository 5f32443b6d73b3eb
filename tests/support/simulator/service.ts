import type { Clock } from './clock';
import type { ScenarioBase } from './scenarios';

/** How requests reach an operation, one variant per AWS wire protocol. */
export type Route =
  /** JSON 1.0/1.1: the full `X-Amz-Target` value, e.g. `AmazonEC2ContainerServiceV20141113.DescribeServices`. */
  | { readonly protocol: 'json'; readonly target: string }
  /** Query: the `Action` form parameter, e.g. `DescribeEnvironments`. */
  | { readonly protocol: 'query'; readonly action: string }
  /** REST-JSON: method and a path template with `{Param}` segments, e.g. `GET /environments/{Name}`. */
  | {
      readonly protocol: 'rest-json';
      readonly method: string;
      readonly path: string;
      /** The input member that takes the whole body as text (a blob payload such as InvokeEndpoint's Body). */
      readonly payload?: string;
    };

export interface OperationRequest {
  /**
   * The operation input as the SDK command took it: the JSON body (json); the form fields without
   * Action/Version, flat as sent (query); body fields merged with path and query parameters (rest-json).
   */
  readonly input: Readonly<Record<string, unknown>>;
  readonly region: string;
}

export interface Operation {
  readonly name: string;
  readonly route: Route;
  /** Returns the output shape (Dates are encoded as the protocol wants) or throws ServiceError. */
  readonly handle: (request: OperationRequest) => unknown;
}

export interface ServiceContext<S extends ScenarioBase> {
  readonly clock: Clock;
  readonly accountId: string;
  /** The scenario a resource follows right now (chosen by the test, else the service default). */
  scenarioFor(resource: string): { readonly name: string; readonly definition: S };
}

/** One simulated service's state and operations; made afresh on every reset. */
export interface ServiceInstance {
  readonly operations: readonly Operation[];
  /** Control `POST /_sim/services/<service>/seed`: put a resource in place without going through the API. */
  seed?(input: Readonly<Record<string, unknown>>, region: string): unknown;
  /** Control `GET /_sim/services/<service>/state`: what the service holds, for assertions. */
  state?(): unknown;
}

export interface ServiceModule<S extends ScenarioBase = ScenarioBase> {
  /** Name used for scenarios, calls and control paths, e.g. `mwaa`. */
  readonly service: string;
  /** SigV4 signing name (`airflow` for MWAA): keeps routes of different services with equal paths or actions apart. */
  readonly signingName: string;
  /** XML namespace of query-protocol answers (query services only). */
  readonly xmlNamespace?: string;
  readonly scenarios: Readonly<Record<string, S>>;
  readonly defaultScenario: string;
  create(context: ServiceContext<S>): ServiceInstance;
}

/** Keeps the scenario type of a module checked where it is written, and erased where modules are listed. */
export function defineService<S extends ScenarioBase>(module: ServiceModule<S>): ServiceModule {
  return module as unknown as ServiceModule;
}
