/**
 * GitHub's cancel of a running deploy (SIGINT, SIGTERM 7.5 s later, then a kill: actions/runner
 * src/Runner.Sdk/ProcessInvoker.cs; docs "Canceling a workflow"), done by the harness to the
 * bundled deploy-beanstalk while it watches an update that never settles on the simulator, with
 * the deployment recorded at the local stand-in for GitHub's REST API.
 */
import { startGitHubApi, type GitHubApiStandIn } from '../../support/github-api';
import { gitHubEnv, latestDeployment, statusesOf, TOKEN } from '../github-deployments/github-run';
import { BeanstalkStack, ENV } from './beanstalk-stack';

jest.setTimeout(120_000);

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.6.0';
const ENVIRONMENT = 'production-beanstalk-cancel';

let sim: BeanstalkStack;
let api: GitHubApiStandIn;

beforeAll(async () => {
  [sim, api] = await Promise.all([BeanstalkStack.start(), startGitHubApi({ token: TOKEN })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([sim?.stop(), api?.close()]);
});

test('a cancel while watching an update reports it in flight within 5 s, with outputs, summary and the record ended', async () => {
  await sim.fresh('never-ready');
  const result = await sim.deploy(
    { image: IMAGE, 'version-label': 'v1', 'github-token': TOKEN, 'github-environment': ENVIRONMENT },
    gitHubEnv(api),
    undefined,
    { cancel: { whenLine: new RegExp(`Updating ${ENV} to v1`) } },
  );

  const main = result.stages.find((stage) => stage.stage === 'main');
  expect(main?.cancelToExitMs).toBeLessThan(5_000);
  expect(main?.signal).toBeNull(); // it left on its own, before SIGTERM
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain('Received SIGINT: the run is being cancelled; no new change is started');
  expect(result.annotations).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'Cancelled by the runner (SIGINT)' }),
  );
  expect(result.stdout).toContain(
    `Environment ${ENV} may still be updating to v1; Elastic Beanstalk goes on with it.`,
  );
  expect(result.stdout).toContain('To undo it, run with rollback-to: v0');
  expect(result.outputs).toMatchObject({ status: 'cancelled', 'version-label': 'v1' });
  expect(result.summary).toContain('cancelled');
  expect(result.summary).toContain(`Environment ${ENV} may still be updating to v1`);
  // No abort or rollback was started after the signal: the update goes on in Elastic Beanstalk.
  expect(result.stdout).not.toContain('rolling back');
  expect((await sim.calls('AbortEnvironmentUpdate')).length).toBe(0);

  const [first, last] = statusesOf(latestDeployment(api, ENVIRONMENT));
  expect(first?.[0]).toBe('in_progress');
  expect(last?.[0]).toBe('error');
  expect(last?.[1]).toBe('Cancelled: Cancelled by the runner (SIGINT)');
});
