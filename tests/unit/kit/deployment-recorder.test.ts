import {
  DeployFailed,
  DeploymentRecorder,
  readGitHubDeploymentInputs,
  withDeploymentRecord,
  type DeployEnding,
} from '@deploy-suite/kit';
import { endingOfFailure } from '../../../packages/kit/src/deployment-recorder';
import { recordingGitHub, recordingLog } from '../../support/fakes';
import { errorOf, inputsOf } from '../../support/inputs';

const INPUTS = { token: 'ghs_t', environment: 'staging-ecs' };
const WHAT = { description: 'model:2 to default/web' };

function recorder(inputs = INPUTS) {
  const github = recordingGitHub();
  const log = recordingLog();
  return { github, log, recorder: new DeploymentRecorder(inputs, github, log) };
}

describe('readGitHubDeploymentInputs', () => {
  test.each([
    [{}, { token: '', environment: 'web' }],
    [{ 'github-token': 'ghs_t' }, { token: 'ghs_t', environment: 'web' }],
    [
      { 'github-token': 'ghs_t', 'github-environment': ' production-ecs ' },
      { token: 'ghs_t', environment: 'production-ecs' },
    ],
  ])('%p reads as %p (the fallback is the target name)', (given, expected) => {
    expect(readGitHubDeploymentInputs(inputsOf(given), 'web')).toEqual(expected);
  });

  test.each([
    ['two lines', 'a\nb', "Input 'github-environment' must be one line"],
    ['256 characters', 'e'.repeat(256), "Input 'github-environment' must be at most 255 characters; got 256"],
  ])('a name of %s fails', (_what, name, message) => {
    expect(
      errorOf(() => readGitHubDeploymentInputs(inputsOf({ 'github-environment': name }), 'web')),
    ).toContain(message);
  });
});

test.each<[string, unknown, DeployEnding]>([
  [
    'rolled back, with evidence',
    new DeployFailed(
      'Deployment 2 failed; rolled back to web:1',
      ['1 task stopped: OOM', 'event: x'],
      'rolled-back',
    ),
    { kind: 'rolled-back', reason: '1 task stopped: OOM' },
  ],
  [
    'rolled back, without evidence',
    new DeployFailed('Timed out; rolled back to web:1', [], 'rolled-back'),
    { kind: 'rolled-back', reason: 'Timed out; rolled back to web:1' },
  ],
  [
    'failed',
    new DeployFailed('Deployment 2 failed', ['1 task stopped: OOM']),
    { kind: 'failed', reason: 'Deployment 2 failed' },
  ],
  ['any error', new Error('socket hang up'), { kind: 'failed', reason: 'socket hang up' }],
  ['not an error', 'boom', { kind: 'failed', reason: 'boom' }],
])('endingOfFailure: %s', (_name, err, ending) => {
  expect(endingOfFailure(err)).toEqual(ending);
});

describe('DeploymentRecorder', () => {
  test('starts once, however often start is called, and connects with the token', async () => {
    const { github, recorder: r } = recorder();
    await r.start(WHAT);
    await r.start({ description: 'again' });
    expect(github.tokens).toEqual(['ghs_t']);
    expect(github.deployments.map((d) => [d.deployment.environment, d.deployment.description])).toEqual([
      ['staging-ecs', WHAT.description],
    ]);
  });

  test('ending a deployment that never started does nothing', async () => {
    const { github, recorder: r } = recorder();
    await r.end({ kind: 'succeeded', environmentUrl: 'https://x.example' });
    expect(github.tokens).toEqual([]);
  });

  test.each([[{ token: '', environment: 'staging-ecs' }], [{ token: 'ghs_t', environment: '' }]])(
    '%p: nothing is recorded',
    async (inputs) => {
      const { github, recorder: r } = recorder(inputs);
      await r.start(WHAT);
      await r.end({ kind: 'failed', reason: 'x' });
      expect(github.deployments).toEqual([]);
    },
  );

  test('a GitHub that refuses: one warning, and neither start nor end throws', async () => {
    const { github, log, recorder: r } = recorder();
    github.refuse(new Error('Bad credentials'));
    await r.start(WHAT);
    await r.end({ kind: 'succeeded' });
    expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: Could not create a GitHub deployment for staging-ecs: Bad credentials',
    ]);
  });
});

describe('withDeploymentRecord', () => {
  test.each<[DeployEnding, string[]]>([
    [{ kind: 'succeeded', environmentUrl: 'https://x.example' }, ['in_progress', 'success']],
    [{ kind: 'unfollowed' }, ['in_progress']],
  ])('ends the deployment by what the work returns: %p', async (ending, states) => {
    const { github, recorder: r } = recorder();
    await withDeploymentRecord(r, async () => {
      await r.start(WHAT);
      return ending;
    });
    expect(github.deployments[0]?.statuses.map((s) => s.state)).toEqual(states);
  });

  test('a thrown failure ends it and is rethrown unchanged', async () => {
    const { github, recorder: r } = recorder();
    const failure = new DeployFailed('failed; rolled back to web:1', ['1 task stopped: OOM'], 'rolled-back');
    const thrown = await withDeploymentRecord(r, async () => {
      await r.start(WHAT);
      throw failure;
    }).catch((err: unknown) => err);
    expect(thrown).toBe(failure);
    expect(github.deployments[0]?.statuses.at(-1)).toMatchObject({
      state: 'failure',
      description: 'Rolled back: 1 task stopped: OOM',
    });
  });
});
