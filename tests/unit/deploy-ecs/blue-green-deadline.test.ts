/**
 * The deadline of a CodeDeploy blue/green deployment when StopDeployment itself fails (the
 * integration tests in tests/integration/deploy-ecs/blue-green.test.ts cover a stop that ends the
 * deployment Stopped without a rollback). The run must still leave the service on a known-good
 * revision or say exactly why it could not: it reads which task set serves production traffic and,
 * when it is the replacement, creates a deployment of the previous revision (CodeDeploy User Guide,
 * "Redeploy and roll back a deployment"). CodeDeploy runs one deployment per group, so while the
 * stuck one goes on that deployment is refused, and the step says so (status failed).
 */
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import { ecsMock, failureOf, inputs, SERVICE_ARN, setUp, TD } from './ecs-fixture';

const codedeployMock = mockClient(CodeDeployClient);

const blueGreen = (serving: string): Service => ({
  serviceArn: SERVICE_ARN,
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 1,
  taskDefinition: serving,
  deploymentController: { type: 'CODE_DEPLOY' },
  loadBalancers: [{ containerName: 'model', containerPort: 8080 }],
  taskSets: [{ status: 'PRIMARY', taskDefinition: serving }],
  deployments: [],
});

function stuckDeployment(servingAfterStop: string) {
  const setup = setUp([]);
  let stopped = false;
  ecsMock
    .on(DescribeServicesCommand)
    .callsFake(() => ({ services: [blueGreen(stopped ? servingAfterStop : TD(1))] }));
  codedeployMock.reset();
  codedeployMock.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
  codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: [] });
  codedeployMock
    .on(CreateDeploymentCommand)
    .resolvesOnce({ deploymentId: 'd-STUCK' })
    .rejects(
      Object.assign(
        new Error("The Deployment Group 'DgpECS-default-web' already has an active Deployment 'd-STUCK'"),
        { name: 'DeploymentLimitExceededException', $metadata: {} },
      ),
    );
  codedeployMock.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
  codedeployMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] });
  codedeployMock.on(StopDeploymentCommand).callsFake(() => {
    stopped = true;
    throw Object.assign(new Error('User is not authorized to perform: codedeploy:StopDeployment'), {
      name: 'AccessDeniedException',
      $metadata: {},
    });
  });
  return setup;
}

test('the stop fails and the replacement serves: the rollback deployment is refused, and the step says why (failed)', async () => {
  const { ports, journal } = stuckDeployment(TD(2));
  const failure = await failureOf(deployToEcs(inputs({ timeoutMs: 60_000 }), ports, journal));
  expect(failure.status).toBe('failed');
  expect(failure.message).toContain(
    'could not stop it (AccessDeniedException: User is not authorized to perform: codedeploy:StopDeployment)',
  );
  expect(failure.message).toContain('web:2 serves production traffic');
  expect(failure.message).toContain(
    "the rollback to web:1 could not start: CodeDeploy refused a new deployment: The Deployment Group 'DgpECS-default-web' already has an active Deployment 'd-STUCK'",
  );
  expect(codedeployMock.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([
    { deploymentId: 'd-STUCK', autoRollbackEnabled: true },
  ]);
  expect(journal.rolledBackTo).toBeUndefined();
});

test('the stop fails and the original task set still serves: failed, no second deployment tried', async () => {
  const { ports, journal } = stuckDeployment(TD(1));
  const failure = await failureOf(deployToEcs(inputs({ timeoutMs: 60_000 }), ports, journal));
  expect(failure.status).toBe('failed');
  expect(failure.message).toContain(
    'could not stop it (AccessDeniedException: User is not authorized to perform: codedeploy:StopDeployment); traffic never moved to it: the original task set still serves web:1 (read after the stop)',
  );
  expect(codedeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
});
