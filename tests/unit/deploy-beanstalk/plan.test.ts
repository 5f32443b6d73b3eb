import {
  settingsChange,
  bundleKey,
  checksumInDescription,
  chooseVersion,
  describeVersion,
  judge,
  planPrune,
  renderDockerrun,
  type EnvironmentView,
  type KnownVersion,
  type VerdictContext,
} from '../../../actions/deploy-beanstalk/src/plan';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('the bundle checksum in the description', () => {
  test.each([
    [undefined, `[bundle md5 ${A}]`],
    ['  ', `[bundle md5 ${A}]`],
    ['model 1.4', `model 1.4 [bundle md5 ${A}]`],
  ])('%p becomes %p', (description, expected) => {
    expect(describeVersion(description, A)).toBe(expected);
    expect(checksumInDescription(describeVersion(description, A))).toBe(A);
  });

  test('a long description is shortened to fit 200 characters and keeps the checksum', () => {
    const text = describeVersion('x'.repeat(500), A);
    expect(text).toHaveLength(200);
    expect(checksumInDescription(text)).toBe(A);
  });

  test.each([undefined, 'hand-made version', `[bundle md5 ${A}] then more`])('%p holds no checksum', (d) => {
    expect(checksumInDescription(d)).toBeUndefined();
  });
});

test('bundle keys are per application, label and checksum', () => {
  expect(bundleKey('insurance', 'c0ffee1-2', A)).toBe('insurance/c0ffee1-2-aaaaaaaaaaaa.zip');
});

test('the Dockerrun file is version 1 with the image and the port', () => {
  expect(JSON.parse(renderDockerrun('repo/model:1', 9000))).toEqual({
    AWSEBDockerrunVersion: '1',
    Image: { Name: 'repo/model:1', Update: 'true' },
    Ports: [{ ContainerPort: 9000 }],
  });
});

describe('chooseVersion', () => {
  const versions: KnownVersion[] = [
    { label: 'v1', md5: A, created: 1 },
    { label: 'legacy', md5: undefined, created: 2 },
    { label: 'c0ffee1-1', md5: A, created: 3 },
    { label: 'c0ffee1-2', md5: B, created: 4 },
  ];
  test.each<[string, Parameters<typeof chooseVersion>[0], ReturnType<typeof chooseVersion>['kind'], string]>([
    ['same label, same bundle', { label: 'v1', commit: undefined, md5: A }, 'reuse', 'v1'],
    ['same label, other bundle', { label: 'v1', commit: undefined, md5: B }, 'refuse', 'v1'],
    ['same label, unknown bundle', { label: 'legacy', commit: undefined, md5: A }, 'refuse', 'legacy'],
    ['new label', { label: 'v2', commit: undefined, md5: A }, 'create', 'v2'],
    [
      're-run of a commit with the same bundle',
      { label: 'c0ffee1-3', commit: 'c0ffee1', md5: A },
      'reuse',
      'c0ffee1-1',
    ],
    [
      're-run of a commit with a new bundle',
      { label: 'c0ffee1-3', commit: 'c0ffee1', md5: 'c'.repeat(32) },
      'create',
      'c0ffee1-3',
    ],
    ['an explicit label never borrows another', { label: 'v9', commit: undefined, md5: B }, 'create', 'v9'],
    ['existing version by label', { label: 'legacy', commit: undefined, md5: undefined }, 'reuse', 'legacy'],
    [
      'existing version of a commit: the newest',
      { label: 'c0ffee1-7', commit: 'c0ffee1', md5: undefined },
      'reuse',
      'c0ffee1-2',
    ],
    ['missing existing version', { label: 'nope', commit: undefined, md5: undefined }, 'refuse', 'nope'],
  ])('%s', (_name, request, kind, label) => {
    const choice = chooseVersion(request, versions);
    expect(choice).toMatchObject({ kind, label });
  });

  test('a refused label names both checksums', () => {
    const choice = chooseVersion({ label: 'v1', commit: undefined, md5: B }, versions);
    expect(choice.kind === 'refuse' && choice.why).toBe(
      `version v1 exists with a different bundle: existing md5 ${A}, this bundle md5 ${B}; give a new version-label`,
    );
  });
});

describe('planPrune', () => {
  const versions = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'].map((label, i) => ({ label, created: i }));
  test.each<[number, string[], string[]]>([
    [0, [], []],
    [3, [], ['v1', 'v2', 'v3', 'v4']],
    [3, ['v2'], ['v1', 'v3', 'v4']],
    [3, ['v7', 'v1'], ['v2', 'v3', 'v4']],
    [10, [], []],
    [1, ['v7', 'v6'], ['v1', 'v2', 'v3', 'v4', 'v5']],
  ])('keep %p protecting %p deletes %p', (keep, protect, expected) => {
    expect(planPrune(versions, keep, new Set(protect))).toEqual(expected);
  });
});

describe('judge', () => {
  const context: VerdictContext = { label: 'v2', healthyStates: ['Green'], errors: [], seenUpdating: true };
  const view = (overrides: Partial<EnvironmentView>): EnvironmentView => ({
    status: 'Ready',
    health: 'Green',
    healthStatus: 'Ok',
    versionLabel: 'v2',
    ...overrides,
  });
  test.each<[string, EnvironmentView, Partial<VerdictContext>, string]>([
    ['Ready, Green, this label', view({}), {}, 'succeeded'],
    ['still updating', view({ status: 'Updating', health: 'Grey' }), {}, 'waiting'],
    ['Ready but Yellow', view({ health: 'Yellow', healthStatus: 'Warning' }), {}, 'waiting'],
    [
      'Yellow counted healthy',
      view({ health: 'Yellow' }),
      { healthyStates: ['Green', 'Yellow'] },
      'succeeded',
    ],
    ['Ready but Red', view({ health: 'Red', healthStatus: 'Severe' }), {}, 'failed'],
    [
      'Severe by status word',
      view({ health: 'Yellow', healthStatus: 'Severe' }),
      { healthyStates: ['Green', 'Yellow'] },
      'failed',
    ],
    ['an ERROR event', view({ status: 'Updating' }), { errors: ['Instance deployment failed.'] }, 'failed'],
    ['Ready on another label after updating', view({ versionLabel: 'v1' }), {}, 'failed'],
    [
      'Ready on the old label before the update shows',
      view({ versionLabel: 'v1' }),
      { seenUpdating: false },
      'waiting',
    ],
    ['Red while updating is not final', view({ status: 'Updating', health: 'Red' }), {}, 'waiting'],
    ['terminated', view({ status: 'Terminated' }), {}, 'failed'],
    // health-grace-seconds: Red or Degraded once Ready on the label is watched while grace is left.
    [
      'Red within the grace',
      view({ health: 'Red', healthStatus: 'Degraded' }),
      { graceMs: 60_000, graceLeftMs: 15_000 },
      'waiting',
    ],
    [
      'Red when the grace is spent',
      view({ health: 'Red', healthStatus: 'Degraded' }),
      { graceMs: 60_000, graceLeftMs: 0 },
      'failed',
    ],
    [
      'Severe status within the grace',
      view({ health: 'Yellow', healthStatus: 'Severe' }),
      { graceMs: 60_000, graceLeftMs: 1 },
      'waiting',
    ],
    [
      'an ERROR event fails within the grace',
      view({ health: 'Red' }),
      { graceMs: 60_000, graceLeftMs: 60_000, errors: ['Failed to deploy application.'] },
      'failed',
    ],
    [
      'Yellow within the grace still waits for Green',
      view({ health: 'Yellow', healthStatus: 'Warning' }),
      { graceMs: 60_000, graceLeftMs: 0 },
      'waiting',
    ],
    [
      'Ready on another label is not graced',
      view({ versionLabel: 'v1', health: 'Red' }),
      { graceMs: 60_000, graceLeftMs: 60_000 },
      'failed',
    ],
  ])('%s', (_name, environment, overrides, kind) => {
    expect(judge(environment, { ...context, ...overrides }).kind).toBe(kind);
  });

  test('a Red that outlasts the grace says so', () => {
    expect(
      judge(view({ health: 'Red', healthStatus: 'Degraded' }), {
        ...context,
        graceMs: 60_000,
        graceLeftMs: -5,
      }),
    ).toEqual({
      kind: 'failed',
      why: 'the environment is Ready but its health is Red (Degraded) and did not recover within the 60 s health grace',
    });
  });

  test('a failure names the first error', () => {
    expect(judge(view({}), { ...context, errors: ['first', 'second'] })).toEqual({
      kind: 'failed',
      why: 'Elastic Beanstalk reported an error: first',
    });
  });
});

describe('settingsChange', () => {
  const ns = 'aws:elasticbeanstalk:application:environment';
  const it = (optionName: string, value: string, namespace = ns) => ({ namespace, optionName, value });
  test.each([
    ['nothing held changes nothing', [it('A', '1')], [it('A', '1')], { changed: [], before: [], added: [] }],
    [
      'a new value: the old one is kept to restore',
      [it('A', '2')],
      [it('A', '1')],
      { changed: [it('A', '2')], before: [it('A', '1')], added: [] },
    ],
    [
      'a setting the environment lacks is added, and removed by a rollback',
      [it('B', '1')],
      [it('A', '1')],
      { changed: [it('B', '1')], before: [], added: [it('B', '1')] },
    ],
    [
      'the same name in another namespace is another setting',
      [it('InstanceType', 't3.large', 'aws:autoscaling:launchconfiguration')],
      [it('InstanceType', 't3.micro')],
      {
        changed: [it('InstanceType', 't3.large', 'aws:autoscaling:launchconfiguration')],
        before: [],
        added: [it('InstanceType', 't3.large', 'aws:autoscaling:launchconfiguration')],
      },
    ],
  ])('%s', (_name, given, current, expected) => {
    expect(settingsChange(given, current)).toEqual(expected);
  });
});
