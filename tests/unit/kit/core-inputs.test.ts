/**
 * In a run, inputs come through @actions/core's getInput, so whatever answers it is what the action
 * reads. @github/local-action stubs @actions/core with a getInput that returns the .env file's
 * `INPUT_*` value, or else the input's default from action.yml (github/local-action,
 * src/stubs/core/core.ts, getInput). The stand-in below answers the same way, and the actions read
 * their inputs through createInputReader() exactly as their main.ts does.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { createInputReader, InputError } from '@deploy-suite/kit';
import { readInputs as readBeanstalkInputs } from '../../../actions/deploy-beanstalk/src/inputs';
import { readInputs as readSyncDagsInputs } from '../../../actions/sync-dags/src/inputs';
import { inputsIn } from '../../../packages/kit/src/inputs';
import { loadManifest } from '../../support/harness/manifest';
import { REPO_ROOT } from '../../support/harness/repo-root';

/** getInput as local-action answers it: the given value, else action.yml's default, else ''. */
function localActionGetInput(action: string, given: Record<string, string>): (name: string) => string {
  const { inputs } = loadManifest(join(REPO_ROOT, 'actions', action));
  return (name) => given[name] || inputs[name]?.default || '';
}

let workspace: string;
const savedWorkspace = process.env.GITHUB_WORKSPACE;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'core-inputs-'));
  mkdirSync(join(workspace, 'dags'));
  process.env.GITHUB_WORKSPACE = workspace;
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(workspace, { recursive: true, force: true });
  if (savedWorkspace === undefined) delete process.env.GITHUB_WORKSPACE;
  else process.env.GITHUB_WORKSPACE = savedWorkspace;
});

describe("an input left out takes action.yml's default when @actions/core answers with it", () => {
  test('sync-dags: source (dags), prefix (dags/) and concurrency (16) reach the action', () => {
    const getInput = jest
      .spyOn(core, 'getInput')
      .mockImplementation(localActionGetInput('sync-dags', { bucket: 'airflow-dags' }));
    const inputs = readSyncDagsInputs(createInputReader());
    expect(inputs).toMatchObject({
      bucket: 'airflow-dags',
      source: join(workspace, 'dags'),
      prefix: 'dags/',
      concurrency: 16,
    });
    expect(getInput).toHaveBeenCalledWith('concurrency');
  });

  test('deploy-beanstalk: container-port (8080) and health-grace-seconds (60) reach the action', () => {
    jest.spyOn(core, 'getInput').mockImplementation(
      localActionGetInput('deploy-beanstalk', {
        'application-name': 'models',
        'environment-name': 'models-prod',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models:1',
        'version-label': 'v1',
      }),
    );
    const inputs = readBeanstalkInputs(createInputReader());
    expect(inputs.source).toEqual({
      kind: 'image',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models:1',
      containerPort: 8080,
    });
    expect(inputs.healthGraceMs).toBe(60_000);
  });

  test('the kit validates what getInput answers: a bad value still names the input', () => {
    jest
      .spyOn(core, 'getInput')
      .mockImplementation(localActionGetInput('sync-dags', { bucket: 'airflow-dags', concurrency: 'many' }));
    expect(() => readSyncDagsInputs(createInputReader())).toThrow(InputError);
    expect(() => readSyncDagsInputs(createInputReader())).toThrow(
      /^Input 'concurrency' must be a whole number/,
    );
  });
});

describe('tests keep passing an env object', () => {
  test('an env object is read by the runner rule and @actions/core is not asked', () => {
    const getInput = jest.spyOn(core, 'getInput');
    const read = createInputReader({ 'INPUT_AWS-REGION': ' eu-west-1 ', INPUT_MY_INPUT: 'x' });
    expect(read.string('aws-region')).toBe('eu-west-1');
    expect(read.string('my input')).toBe('x');
    expect(read.string('missing')).toBe('');
    expect(getInput).not.toHaveBeenCalled();
  });

  test('inputsIn is the same rule, as a getInput', () => {
    expect(inputsIn({ 'INPUT_GITHUB-TOKEN': 't' })('github-token')).toBe('t');
  });
});

describe("each action's main.ts exports the run() local-action calls, and starts nothing on import", () => {
  // local-action requires the logic entrypoint and calls its exported run() (src/commands/run.ts);
  // the runner's entry is index.ts, which calls it once.
  test.each(['build-push', 'deploy-ecs', 'deploy-beanstalk', 'sync-dags'])('%s', async (action) => {
    const getInput = jest.spyOn(core, 'getInput');
    const main = (await import(`../../../actions/${action}/src/main`)) as { run?: unknown };
    expect(typeof main.run).toBe('function');
    expect(getInput).not.toHaveBeenCalled();
  });
});
