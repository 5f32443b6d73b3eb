import {
  combineSettings,
  environmentSettings,
  isSecretSetting,
  maskableSecrets,
  parseOptionSettings,
  showSetting,
  type OptionSetting,
} from '../../../actions/deploy-beanstalk/src/options';
import { readInputs } from '../../../actions/deploy-beanstalk/src/inputs';
import { errorOf, inputsOf } from '../../support/inputs';

const ENV = 'aws:elasticbeanstalk:application:environment';
const LC = 'aws:autoscaling:launchconfiguration';
const setting = (namespace: string, optionName: string, value: string): OptionSetting => ({
  namespace,
  optionName,
  value,
});

describe('option-settings forms', () => {
  // The API's and CloudFormation's list spelling (ConfigurationOptionSetting); .ebextensions'
  // option_settings in its list form (namespace/option_name/value) and its map form
  // (namespace: {OptionName: value}); and the action's own one-line form.
  test.each<[string, string, OptionSetting[]]>([
    ['empty', '  ', []],
    [
      'JSON list, API spelling',
      `[{"Namespace":"${LC}","OptionName":"InstanceType","Value":"t3.small"}]`,
      [setting(LC, 'InstanceType', 't3.small')],
    ],
    [
      'YAML list, API spelling, with ResourceName',
      `- Namespace: aws:autoscaling:scheduledaction\n  ResourceName: ScaleUp\n  OptionName: MinSize\n  Value: 2`,
      [
        {
          namespace: 'aws:autoscaling:scheduledaction',
          resourceName: 'ScaleUp',
          optionName: 'MinSize',
          value: '2',
        },
      ],
    ],
    [
      'YAML list, .ebextensions spelling',
      `- namespace: ${LC}\n  option_name: InstanceType\n  value: t3.small`,
      [setting(LC, 'InstanceType', 't3.small')],
    ],
    [
      'YAML map of namespaces',
      `${LC}:\n  InstanceType: t3.small\naws:autoscaling:asg:\n  MinSize: 2\n  MaxSize: 4`,
      [
        setting(LC, 'InstanceType', 't3.small'),
        setting('aws:autoscaling:asg', 'MinSize', '2'),
        setting('aws:autoscaling:asg', 'MaxSize', '4'),
      ],
    ],
    [
      'short lines, values with = and :',
      `# sizes\n${LC}:InstanceType=t3.small\n${ENV}:API_URL=https://api.example.com/?a=b`,
      [setting(LC, 'InstanceType', 't3.small'), setting(ENV, 'API_URL', 'https://api.example.com/?a=b')],
    ],
    [
      'a boolean value becomes its text',
      `- Namespace: aws:elb:policies\n  OptionName: ConnectionDrainingEnabled\n  Value: true`,
      [setting('aws:elb:policies', 'ConnectionDrainingEnabled', 'true')],
    ],
    [
      'a missing value is empty',
      `[{"Namespace":"${ENV}","OptionName":"EMPTY"}]`,
      [setting(ENV, 'EMPTY', '')],
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseOptionSettings(text)).toEqual(expected);
  });

  test.each<[string, string, RegExp]>([
    ['a line without =', `${LC}:InstanceType`, /line 1 must be namespace:OptionName=value/],
    ['a line without a namespace', 'InstanceType=t3.small', /line 1 must be namespace:OptionName=value/],
    ['a namespace not starting aws:', 'custom:thing:Name=1', /namespace 'custom:thing' must look like aws:/],
    ['an unknown key', `- Namespace: ${LC}\n  Option: InstanceType\n  Value: x`, /unknown key Option/],
    ['no namespace key', `- Name: x`, /must have Namespace, OptionName and Value/],
    [
      'a list as value',
      `- Namespace: ${LC}\n  OptionName: X\n  Value: [1, 2]`,
      /Value must be a string, number or boolean/,
    ],
    ['broken YAML', `- Namespace: "${LC}`, /is not valid YAML or JSON/],
    ['a scalar document', `[`, /is not valid YAML or JSON/],
    [
      'a name with a space',
      `- Namespace: ${LC}\n  OptionName: Instance Type\n  Value: x`,
      /option name 'Instance Type'/,
    ],
    [
      'a namespace mapped to a scalar',
      `${LC}: t3.small`,
      /namespace aws:autoscaling:launchconfiguration must map option names to values/,
    ],
  ])('refused: %s', (_name, text, why) => {
    expect(() => parseOptionSettings(text)).toThrow(why);
  });
});

describe('secrets', () => {
  test.each([
    ['DB_PASSWORD', true],
    ['api_token', true],
    ['STRIPE_SECRET', true],
    ['EC2KeyName', true],
    ['AWS_ACCESS_KEY_ID', true],
    ['InstanceType', false],
    ['LOG_LEVEL', false],
  ])('%s is secret: %p', (optionName, secret) => {
    expect(isSecretSetting({ optionName })).toBe(secret);
  });

  test('only secret values long and unusual enough are registered for the runner to mask', () => {
    expect(
      maskableSecrets([
        setting(ENV, 'DB_PASSWORD', 'hunter2'),
        setting(ENV, 'USE_KEY', 'true'),
        setting(ENV, 'API_TOKEN', 'abc'),
        setting(ENV, 'LOG_LEVEL', 'verbose-debug'),
      ]),
    ).toEqual(['hunter2']);
  });

  test('a secret is shown as ***', () => {
    expect(showSetting(setting(ENV, 'DB_PASSWORD', 'hunter2'))).toBe(`${ENV}:DB_PASSWORD=***`);
    expect(showSetting(setting(ENV, 'LOG_LEVEL', 'debug'))).toBe(`${ENV}:LOG_LEVEL=debug`);
  });
});

describe('combining option-settings and environment-variables', () => {
  test('variables go into the environment namespace after the options', () => {
    const variables = environmentSettings(new Map([['LOG_LEVEL', 'debug']]));
    expect(combineSettings([setting(LC, 'InstanceType', 't3.small')], variables).settings).toEqual([
      setting(LC, 'InstanceType', 't3.small'),
      setting(ENV, 'LOG_LEVEL', 'debug'),
    ]);
  });

  test('a setting named in both inputs is refused', () => {
    const variables = environmentSettings(new Map([['LOG_LEVEL', 'debug']]));
    expect(combineSettings([setting(ENV, 'LOG_LEVEL', 'info')], variables).problem).toEqual({
      input: 'environment-variables',
      why: `sets ${ENV}:LOG_LEVEL twice; give each setting once`,
    });
  });

  // `eb setenv`: "the total size of all properties cannot exceed 4096 bytes".
  test.each([
    [4096 - 'BIG='.length, undefined],
    [4097 - 'BIG='.length, 'environment properties total 4097 bytes; Elastic Beanstalk takes at most 4096'],
  ])('environment properties of %p value bytes: %p', (size, why) => {
    const variables = environmentSettings(new Map([['BIG', 'x'.repeat(size)]]));
    expect(combineSettings([], variables).problem?.why).toBe(why);
  });
});

describe('the inputs', () => {
  const defaults = {
    'application-name': 'insurance',
    'environment-name': 'insurance-prod',
    'version-label': 'v1',
    'container-port': '8080',
    wait: 'true',
    'timeout-minutes': '30',
    'healthy-states': 'Green',
    'rollback-on-failure': 'true',
    'keep-versions': '0',
    'health-grace-seconds': '60',
  };
  const read = (overrides: Record<string, string>) => readInputs(inputsOf({ ...defaults, ...overrides }), {});

  test('both inputs become one list; the grace is in milliseconds', () => {
    const inputs = read({
      'option-settings': `${LC}:InstanceType=t3.small`,
      'environment-variables': 'LOG_LEVEL=debug\nDB_PASSWORD=hunter2',
      'health-grace-seconds': '90',
    });
    expect(inputs.settings).toEqual([
      setting(LC, 'InstanceType', 't3.small'),
      setting(ENV, 'LOG_LEVEL', 'debug'),
      setting(ENV, 'DB_PASSWORD', 'hunter2'),
    ]);
    expect(inputs.healthGraceMs).toBe(90_000);
  });

  test.each([
    [{ 'option-settings': 'nonsense' }, "Input 'option-settings' line 1 must be namespace:OptionName=value"],
    [{ 'environment-variables': 'NO_EQUALS' }, "Input 'environment-variables' line 1 must be KEY=VALUE"],
    [{ 'environment-variables': 'A B=1' }, "Input 'environment-variables' option name 'A B'"],
    [
      { 'environment-name': '', 'environment-variables': 'A=1' },
      "Input 'environment-variables' needs environment-name",
    ],
    [
      { 'rollback-to': 'previous', 'option-settings': `${LC}:InstanceType=t3.small` },
      "Input 'option-settings' cannot be combined with rollback-to",
    ],
    [{ 'health-grace-seconds': '-1' }, "Input 'health-grace-seconds'"],
  ])('%p is refused', (overrides, message) => {
    expect(errorOf(() => read(overrides))).toContain(message);
  });
});
