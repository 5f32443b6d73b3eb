import { resourceNames } from '../../../actions/deploy-sagemaker/src/plan';
import {
  configsOfEndpoint,
  configsToDelete,
  modelsOfConfig,
  modelsToDelete,
  versionNameMatcher,
  type Listed,
} from '../../../actions/deploy-sagemaker/src/versions';

// keep-versions for SageMaker: which of an endpoint's models and configurations go. The rule is
// deploy-beanstalk's (the kit's planPrune): the newest N stay, and so does every protected one.

/** c1 … c6, c6 the newest. */
const listed = (prefix: string, count: number): Listed[] =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, created: 1_000 * (i + 1) }));
const configs = listed('c', 6);
const models = listed('m', 6);

describe('configsToDelete', () => {
  test.each<[string, number, string[], string[]]>([
    ['0 keeps everything', 0, [], []],
    ['keep 2: the four oldest go, oldest first', 2, [], ['c1', 'c2', 'c3', 'c4']],
    ['the serving one and the rollback target stay', 2, ['c6', 'c5'], ['c1', 'c2', 'c3', 'c4']],
    ['an old configuration served again (re-deployed) stays', 2, ['c2'], ['c1', 'c3', 'c4']],
    ['one used by another endpoint stays', 2, ['c6', 'c5', 'c3'], ['c1', 'c2', 'c4']],
    ['keep 1 with the rollback target older than the newest', 1, ['c6', 'c4'], ['c1', 'c2', 'c3', 'c5']],
    ['keep more than there are: nothing goes', 10, [], []],
    ['in-use names compare without case, as SageMaker compares them', 5, ['C1'], []],
  ])('%s', (_why, keep, inUse, expected) => {
    expect(configsToDelete({ configs, keep, inUse: new Set(inUse) })).toEqual(expected);
  });

  test('the listing order does not matter: the creation time decides', () => {
    const shuffled = [configs[3], configs[0], configs[5], configs[2], configs[4], configs[1]] as Listed[];
    expect(configsToDelete({ configs: shuffled, keep: 3, inUse: new Set() })).toEqual(['c1', 'c2', 'c3']);
  });
});

describe('modelsToDelete', () => {
  test.each<[string, number, string[], string[]]>([
    ['0 keeps everything', 0, [], []],
    ['keep 2: the four oldest go', 2, [], ['m1', 'm2', 'm3', 'm4']],
    ['a model a kept configuration references stays', 2, ['m6', 'm5', 'm2'], ['m1', 'm3', 'm4']],
    ['a model of a configuration another endpoint uses stays', 2, ['m1'], ['m2', 'm3', 'm4']],
  ])('%s', (_why, keep, referenced, expected) => {
    expect(modelsToDelete({ models, keep, referenced: new Set(referenced) })).toEqual(expected);
  });
});

describe('versionNameMatcher: only the names resourceNames gives this endpoint', () => {
  const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/model@sha256:${'a'.repeat(64)}`;
  const model = { image, executionRoleArn: 'arn:aws:iam::123456789012:role/r', environment: {} };
  const variant = { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 1 };
  const charges = versionNameMatcher('charges');

  test('what the action names for the endpoint matches, model and configuration alike', () => {
    const names = resourceNames('charges', model, variant);
    expect(charges(names.modelName)).toBe(true);
    expect(charges(names.endpointConfigName)).toBe(true);
    expect(charges(names.modelName.toUpperCase())).toBe(true);
  });

  test.each([
    ['another endpoint whose name starts the same', resourceNames('charges-eu', model, variant).modelName],
    ['a name written by hand', 'charges-config-1'],
    ['a longer prefix', `xcharges-aaaaaaaaaaaa-0123abcd`],
    ['a missing hash', 'charges-aaaaaaaaaaaa'],
    ['a digest that is not hex', 'charges-zzzzzzzzzzzz-0123abcd'],
  ])('%s does not match', (_why, name) => {
    expect(charges(name)).toBe(false);
  });

  test('a long endpoint name matches the names it was cut to', () => {
    const long = `a${'-b'.repeat(30)}`;
    const names = resourceNames(long, model, variant);
    expect(names.endpointConfigName.length).toBeLessThanOrEqual(63);
    expect(versionNameMatcher(long)(names.endpointConfigName)).toBe(true);
  });
});

test('modelsOfConfig reads production and shadow variants (API reference, DescribeEndpointConfig)', () => {
  expect(
    modelsOfConfig({
      ProductionVariants: [{ ModelName: 'm1' }, { ModelName: 'm2' }],
      ShadowProductionVariants: [{ ModelName: 'm3' }, {}],
    }),
  ).toEqual(['m1', 'm2', 'm3']);
  expect(modelsOfConfig({})).toEqual([]);
});

test('configsOfEndpoint: the configuration served and the one an update moves to', () => {
  expect(
    configsOfEndpoint({ EndpointConfigName: 'c1', PendingDeploymentSummary: { EndpointConfigName: 'c2' } }),
  ).toEqual(['c1', 'c2']);
  expect(configsOfEndpoint({ EndpointConfigName: 'c1' })).toEqual(['c1']);
});
