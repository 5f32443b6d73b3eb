/**
 * The GitHub deployment deploy-ecs records around a service update, with an in-memory GitHub: when
 * it starts, how each outcome ends it, and that GitHub's own failures never fail the deploy.
 */
import {
  DescribeServicesCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import { PREVIOUS_TAG } from '../../../actions/deploy-ecs/src/previous-record';
import { ecsMock, failureOf, inputs, mine, setUp, snapshot, TD, v1Again } from './ecs-fixture';

const TOKEN = 'ghs_unitToken';
const github = { token: TOKEN, environment: 'production-ecs' };
const completed = snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })]);
const failed = snapshot(TD(2), [
  mine({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }),
]);
const backOnV1 = snapshot(TD(1), [v1Again]);

test('a healthy deploy: created before the task definition is registered, in progress, then success with the URL', async () => {
  const { ports, journal, github: gh } = setUp([completed]);
  let recordedBeforeRegister: number | undefined;
  ecsMock.on(RegisterTaskDefinitionCommand).callsFake(() => {
    recordedBeforeRegister = gh.deployments[0]?.statuses.length;
    return { taskDefinition: { taskDefinitionArn: TD(2) } };
  });

  await deployToEcs(inputs({ github, environmentUrl: 'https://api.example/health' }), ports, journal);

  expect(journal.status).toBe('succeeded');
  expect(recordedBeforeRegister).toBe(1);
  expect(gh.tokens).toEqual([TOKEN]);
  expect(gh.deployments).toHaveLength(1);
  const [recorded] = gh.deployments;
  expect(recorded?.deployment).toMatchObject({
    ref: 'c0ffee',
    environment: 'production-ecs',
    description: 'repo/model:2 to default/web',
    task: 'deploy',
    productionEnvironment: true,
    payload: { cluster: 'default', service: 'web', image: 'repo/model:2' },
  });
  expect(recorded?.statuses.map((s) => [s.state, s.description, s.environmentUrl])).toEqual([
    ['in_progress', 'Deploying', undefined],
    ['success', 'Deployed', 'https://api.example/health'],
  ]);
});

test('rolled back by the action: failure, saying it was rolled back and why', async () => {
  const { ports, journal, github: gh } = setUp([failed, backOnV1]);
  const failure = await failureOf(deployToEcs(inputs({ github }), ports, journal));
  expect(failure.status).toBe('rolled-back');
  const [start, end] = gh.deployments[0]?.statuses ?? [];
  expect(start?.state).toBe('in_progress');
  expect(end?.state).toBe('failure');
  // The first piece of evidence, cut to GitHub's 140 characters.
  expect(end?.description).toMatch(
    /^Rolled back: 1 task stopped: EssentialContainerExited: Essential container in task exited; model: exit 137 .*…$/,
  );
  expect(end?.description).toHaveLength(140);
});

test('failed and left failed (rollback-on-failure false): failure with the verdict', async () => {
  const { ports, journal, github: gh } = setUp([failed]);
  await failureOf(deployToEcs(inputs({ github, rollbackOnFailure: false }), ports, journal));
  expect(gh.deployments[0]?.statuses.map((s) => [s.state, s.description])).toEqual([
    ['in_progress', 'Deploying'],
    ['failure', 'Failed: Deployment ecs-svc/2 of web:2 failed: tasks failed to start'],
  ]);
});

test('an AWS error after the start ends it as failed, and the error still fails the step', async () => {
  const { ports, journal, github: gh } = setUp([completed]);
  ecsMock
    .on(RegisterTaskDefinitionCommand)
    .rejects(Object.assign(new Error('Too many revisions'), { name: 'ClientException', $metadata: {} }));
  await expect(deployToEcs(inputs({ github }), ports, journal)).rejects.toThrow('Too many revisions');
  expect(gh.deployments[0]?.statuses.at(-1)).toMatchObject({
    state: 'failure',
    description: 'Failed: Too many revisions',
  });
});

test('wait false: the deployment is left in progress, since its end is not seen', async () => {
  const { ports, journal, github: gh } = setUp([snapshot(TD(2), [mine()])]);
  await deployToEcs(inputs({ github, wait: false }), ports, journal);
  expect(journal.status).toBe('started');
  expect(gh.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress']);
});

const registerOnly = {
  service: undefined,
  taskDefinition: {
    path: 'td.json',
    document: { family: 'web', containerDefinitions: [{ name: 'model', image: 'repo/model:1' }] },
  },
};

test.each([
  ['no token', inputs({ github: { token: '', environment: 'production-ecs' } }), 'succeeded'],
  ['register only (no service)', inputs({ github, ...registerOnly }), 'succeeded'],
])('%s: nothing is recorded and GitHub is never called', async (_name, given, status) => {
  const { ports, journal, github: gh } = setUp([completed]);
  await deployToEcs(given, ports, journal);
  expect(journal.status).toBe(status);
  expect(gh.tokens).toEqual([]);
  expect(gh.deployments).toEqual([]);
});

test('a GitHub that refuses every call: warnings, and the deploy succeeds all the same', async () => {
  const { ports, journal, log, github: gh } = setUp([completed]);
  gh.refuse(new Error('Resource not accessible by integration'));
  await deployToEcs(inputs({ github }), ports, journal);
  expect(journal.status).toBe('succeeded');
  expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
    'warning: Could not create a GitHub deployment for production-ecs: Resource not accessible by integration',
  ]);
});

test('rollback-to: recorded as a rollback, and the deployment it replaced marked inactive', async () => {
  const { ports, journal, github: gh } = setUp([backOnV1]);
  // The release being rolled back, recorded as running by an earlier deploy.
  const earlier = gh.connectGitHub(TOKEN, { apiUrl: '', owner: 'org', repo: 'repo', sha: 'bad', logUrl: '' });
  const bad = await earlier.createDeployment({
    ref: 'bad',
    environment: 'production-ecs',
    description: 'repo/model:2 to default/web',
    task: 'deploy',
    productionEnvironment: true,
    transientEnvironment: false,
    payload: {},
  });
  await earlier.createStatus(bad ?? 0, { state: 'success', description: 'Deployed', logUrl: '' });
  ecsMock.on(ListTagsForResourceCommand).resolves({ tags: [{ key: PREVIOUS_TAG, value: TD(1) }] });
  const current = snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })]);
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({ services: [current] })
    .resolves({ services: [backOnV1] });

  await deployToEcs(
    inputs({ github, image: undefined, containerNames: [], rollbackTo: { kind: 'previous' } }),
    ports,
    journal,
  );

  expect(journal.status).toBe('succeeded');
  const rollback = gh.deployments[1];
  expect(rollback?.deployment).toMatchObject({
    description: 'Roll back default/web to web:1',
    task: 'deploy:rollback',
    payload: { cluster: 'default', service: 'web', 'task-definition': TD(1) },
  });
  expect(rollback?.statuses.map((s) => [s.state, s.description])).toEqual([
    ['in_progress', 'Rolling back'],
    ['success', 'Rolled back'],
  ]);
  expect(gh.deployments[0]?.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
});
