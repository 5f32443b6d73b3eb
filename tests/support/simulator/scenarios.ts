/** What every scenario says about itself; a service adds its own parameters. */
export interface ScenarioBase {
  readonly description: string;
}

export interface ChosenScenario {
  readonly service: string;
  readonly resource: string;
  readonly scenario: string;
}

/**
 * Named behaviours per service (defined by the service modules) and which one each resource follows
 * (chosen by tests). A resource nobody chose a scenario for follows the service's default.
 */
export class ScenarioRegistry {
  private readonly definitions = new Map<string, Map<string, ScenarioBase>>();
  private readonly defaults = new Map<string, string>();
  private readonly chosen = new Map<string, string>();

  define(service: string, scenarios: Readonly<Record<string, ScenarioBase>>, defaultScenario: string): void {
    if (!(defaultScenario in scenarios)) {
      throw new Error(`default scenario ${defaultScenario} of ${service} is not among its scenarios`);
    }
    this.definitions.set(service, new Map(Object.entries(scenarios)));
    this.defaults.set(service, defaultScenario);
  }

  choose(service: string, resource: string, scenario: string): void {
    const known = this.definitions.get(service);
    if (!known)
      throw new Error(`no service ${service}; services: ${[...this.definitions.keys()].join(', ')}`);
    if (!known.has(scenario)) {
      throw new Error(`no scenario ${scenario} for ${service}; scenarios: ${[...known.keys()].join(', ')}`);
    }
    this.chosen.set(key(service, resource), scenario);
  }

  /** The scenario a resource follows now: the chosen one, else the service default. */
  resolve<S extends ScenarioBase>(
    service: string,
    resource: string,
  ): { readonly name: string; readonly definition: S } {
    const name = this.chosen.get(key(service, resource)) ?? this.defaults.get(service);
    const definition = name === undefined ? undefined : this.definitions.get(service)?.get(name);
    if (name === undefined || definition === undefined)
      throw new Error(`no scenarios defined for ${service}`);
    return { name, definition: definition as S };
  }

  /** Everything a test can choose from, with descriptions, and the choices made. */
  describe(): {
    readonly available: Record<string, { default: string; scenarios: Record<string, string> }>;
    readonly chosen: ChosenScenario[];
  } {
    const available: Record<string, { default: string; scenarios: Record<string, string> }> = {};
    for (const [service, scenarios] of this.definitions) {
      available[service] = {
        default: this.defaults.get(service) ?? '',
        scenarios: Object.fromEntries([...scenarios].map(([name, s]) => [name, s.description])),
      };
    }
    const chosen = [...this.chosen].map(([k, scenario]) => {
      const [service = '', resource = ''] = JSON.parse(k) as [string, string];
      return { service, resource, scenario };
    });
    return { available, chosen };
  }

  /** Forgets the choices; definitions stay. */
  clearChoices(): void {
    this.chosen.clear();
  }
}

function key(service: string, resource: string): string {
  return JSON.stringify([service, resource]);
}
