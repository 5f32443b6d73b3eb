import { ScenarioRegistry } from '../../support/simulator';

function registry(): ScenarioRegistry {
  const scenarios = new ScenarioRegistry();
  scenarios.define(
    'mwaa',
    { healthy: { description: 'works' }, 'update-fails': { description: 'fails' } },
    'healthy',
  );
  return scenarios;
}

describe('ScenarioRegistry', () => {
  it('gives each resource the default until a scenario is chosen for it', () => {
    const scenarios = registry();
    scenarios.choose('mwaa', 'prod', 'update-fails');
    expect(scenarios.resolve('mwaa', 'prod').name).toBe('update-fails');
    expect(scenarios.resolve('mwaa', 'staging').name).toBe('healthy');
  });

  it('names what can be chosen when a choice is unknown', () => {
    const scenarios = registry();
    expect(() => scenarios.choose('mwaa', 'prod', 'explodes')).toThrow(
      'no scenario explodes for mwaa; scenarios: healthy, update-fails',
    );
    expect(() => scenarios.choose('ecs', 'svc', 'healthy')).toThrow('no service ecs; services: mwaa');
  });

  it('describes services, scenarios and choices, and forgets choices on clear', () => {
    const scenarios = registry();
    scenarios.choose('mwaa', 'prod', 'update-fails');
    expect(scenarios.describe()).toEqual({
      available: { mwaa: { default: 'healthy', scenarios: { healthy: 'works', 'update-fails': 'fails' } } },
      chosen: [{ service: 'mwaa', resource: 'prod', scenario: 'update-fails' }],
    });
    scenarios.clearChoices();
    expect(scenarios.resolve('mwaa', 'prod').name).toBe('healthy');
  });

  it('refuses a default that is not among the scenarios', () => {
    expect(() => new ScenarioRegistry().define('x', { a: { description: 'a' } }, 'b')).toThrow(
      /default scenario b/,
    );
  });
});
