/**
 * The codedeploy-* inputs (names as aws-actions/amazon-ecs-deploy-task-definition's action.yml): an
 * AppSpec file is checked before any call (CodeDeploy AppSpec file reference, Resources for Amazon
 * ECS), `appspec.yaml` in the workspace is the default file, as the anchor's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../actions/deploy-ecs/src/inputs';
import { errorOf, inputsOf } from '../../support/inputs';

const defaults = {
  cluster: 'default',
  service: 'web',
  'force-new-deployment': 'false',
  wait: 'true',
  'timeout-minutes': '30',
  'rollback-on-failure': 'true',
  'run-task': 'false',
  'run-task-launch-type': '',
};
const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: model
          ContainerPort: 8080
Hooks:
  - AfterAllowTraffic: check-model
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-ecs-appspec-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const read = (dir: string, overrides: Record<string, string> = {}) =>
  readInputs(inputsOf({ ...defaults, ...overrides }, { GITHUB_WORKSPACE: dir }));

test('no appspec input and no appspec.yaml: generated later from the service', () => {
  expect(read(workspace({})).codeDeploy).toEqual({
    appSpec: undefined,
    application: undefined,
    deploymentGroup: undefined,
    deploymentConfig: undefined,
    description: undefined,
  });
});

test('appspec.yaml in the workspace is used without the input, as the anchor defaults to it', () => {
  const dir = workspace({ 'appspec.yaml': APPSPEC });
  expect(read(dir).codeDeploy.appSpec).toMatchObject({
    document: {
      Hooks: [{ AfterAllowTraffic: 'check-model' }],
    },
  });
});

test('a default appspec.yaml that is no ECS AppSpec keeps its problem for a CODE_DEPLOY service only', () => {
  const appSpec = read(workspace({ 'appspec.yaml': 'version: 0.0\n' })).codeDeploy.appSpec;
  expect(appSpec && 'problem' in appSpec && appSpec.problem.message).toBe(
    "Input 'codedeploy-appspec' has no Resources list ('appspec.yaml')",
  );
});

test('a named JSON AppSpec and the names are read', () => {
  const dir = workspace({
    'bg.json': JSON.stringify({
      Resources: [
        {
          Svc: {
            Type: 'AWS::ECS::Service',
            Properties: { LoadBalancerInfo: { ContainerName: 'm', ContainerPort: 80 } },
          },
        },
      ],
    }),
  });
  const inputs = read(dir, {
    'codedeploy-appspec': 'bg.json',
    'codedeploy-application': 'models',
    'codedeploy-deployment-group': 'models-prod',
    'codedeploy-deployment-config': 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
    'codedeploy-deployment-description': 'model 2',
  });
  expect(inputs.codeDeploy).toMatchObject({
    application: 'models',
    deploymentGroup: 'models-prod',
    deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
    description: 'model 2',
  });
});

test.each([
  [
    { 'a.yaml': APPSPEC.replace('ContainerPort: 8080', 'ContainerPort: http') },
    { 'codedeploy-appspec': 'a.yaml' },
    "Input 'codedeploy-appspec' needs Properties.LoadBalancerInfo.ContainerPort (1-65535)",
  ],
  [
    { 'a.yaml': '- 1\n' },
    { 'codedeploy-appspec': 'a.yaml' },
    "Input 'codedeploy-appspec' must hold an AppSpec object",
  ],
  [
    { 'a.yaml': 'Resources: [\n' },
    { 'codedeploy-appspec': 'a.yaml' },
    "Input 'codedeploy-appspec' is not valid JSON or YAML",
  ],
  [{}, { 'codedeploy-appspec': 'missing.yaml' }, "Input 'codedeploy-appspec'"],
  [{}, { 'codedeploy-application': 'bad name' }, "Input 'codedeploy-application' must be 1-100 letters"],
  [
    {},
    { 'codedeploy-deployment-group': 'x'.repeat(101) },
    "Input 'codedeploy-deployment-group' must be 1-100",
  ],
])('refused: %j %j', (files, overrides, message) => {
  expect(errorOf(() => read(workspace(files), overrides))).toContain(message);
});
