/**
 * Which role of examples/iam/template.yaml each action runs under, the parameters the tests resolve
 * it with, and the statements that grant what AWS needs beyond the action's own calls.
 */
import type { ActionName } from './sdk-calls';

export const ROLE_OF: Readonly<Record<ActionName, string>> = {
  'build-push': 'BuildPushRole',
  'deploy-ecs': 'DeployEcsRole',
  'deploy-beanstalk': 'DeployBeanstalkRole',
  'sync-dags': 'SyncDagsRole',
  'deploy-sagemaker': 'DeploySageMakerRole',
};

/**
 * The rollback role serves `rollback-to` of these actions. Its grants are a subset of what their
 * bundles call (tests/unit/iam), and every call of their rollback-to runs is allowed by it
 * (tests/integration/iam).
 */
export const ROLLBACK_ROLE = 'RollbackRole';
export const ROLLBACK_ACTIONS: readonly ActionName[] = ['deploy-ecs', 'deploy-beanstalk', 'deploy-sagemaker'];

/** The pull requests' role serves build-push with `push: false` and sync-dags with `dry-run`. */
export const PLAN_ROLE = 'PlanRole';
export const PLAN_ACTIONS: readonly ActionName[] = ['build-push', 'sync-dags'];

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** Every role and every optional right switched on. */
export const EVERYTHING: Readonly<Record<string, string>> = {
  GitHubRepository: 'octo-org/model-service',
  GitHubEnvironment: 'production',
  BuildBranch: 'main',
  EcrRepositoryArns: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/ml/model-service`,
  EcrCreateRepository: 'true',
  EcsClusterName: 'ml',
  EcsServiceName: 'model-server',
  EcsTaskDefinitionFamily: 'model-server',
  EcsPassRoleArns: `arn:aws:iam::${ACCOUNT}:role/model-server-task,arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
  EcsInfrastructureRoleArns: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRole`,
  EcsRunTask: 'true',
  EcsBlueGreen: 'true',
  BeanstalkApplication: 'model-service',
  BeanstalkEnvironment: 'model-service-prod',
  BeanstalkCreateEnvironment: 'true',
  BeanstalkPassRoleArns: `arn:aws:iam::${ACCOUNT}:role/aws-elasticbeanstalk-service-role,arn:aws:iam::${ACCOUNT}:role/aws-elasticbeanstalk-ec2-role`,
  BeanstalkInstanceRoleName: 'aws-elasticbeanstalk-ec2-role',
  DagsBucket: 'airflow-prod-bucket',
  DagsPrefix: 'dags',
  MwaaEnvironmentName: 'airflow-prod',
  SageMakerEndpointName: 'insurance-model',
  SageMakerExecutionRoleArns: `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`,
  CreatePlanRole: 'true',
};

/**
 * Statements granting what AWS checks beyond the SDK calls an action makes, by role and Sid, each
 * with where AWS documents it. Nothing else in a role may grant an action its action does not call.
 */
export const ON_AWS_SIDE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  BuildPushRole: {
    RegistryPushPull:
      'docker/buildah push and pull through the registry API: Amazon ECR User Guide, "Required IAM permissions for pushing an image" and "... pulling an image"',
  },
  DeployEcsRole: {
    BlueGreenOnAwsSide:
      'CreateDeployment reads the deployment configuration and registers the AppSpec as a revision: AWS CodeDeploy User Guide, "CodeDeploy permissions reference"',
    PassTaskRoles:
      'a task definition naming a task or execution role passes it: Amazon ECS Developer Guide, "Task execution IAM role" (iam:PassRole, iam:PassedToService ecs-tasks.amazonaws.com)',
    PassInfrastructureRoles:
      'a service-managed EBS volume passes the infrastructure role it names as roleArn: Amazon ECS Developer Guide, "Amazon ECS infrastructure IAM role" (iam:PassRole, iam:PassedToService ecs.amazonaws.com)',
  },
  DeployBeanstalkRole: {
    PassEnvironmentRoles:
      'CreateEnvironment passes the service role and instance profile: Elastic Beanstalk Developer Guide, "Elastic Beanstalk service roles, instance profiles, and user policies"',
    UpdatesOnYourBehalf:
      'Elastic Beanstalk updates the environment\'s CloudFormation stack with the caller\'s rights: Elastic Beanstalk Developer Guide, "Elastic Beanstalk user policy"',
    UpdatesOnYourBehalfResources:
      'and its Auto Scaling group, instances, load balancer and alarms: same page',
    UpdatesOnYourBehalfStorage: 'and its storage bucket (templates, logs): same page',
  },
  SyncDagsRole: {},
  DeploySageMakerRole: {
    PassExecutionRole:
      'CreateModel passes the execution role to SageMaker: SageMaker Developer Guide, "How to use SageMaker AI execution roles" (iam:PassRole, iam:PassedToService sagemaker.amazonaws.com)',
  },
  PlanRole: {
    RegistryPull:
      'the registry cache is read through the registry API: Amazon ECR User Guide, "Required IAM permissions for pulling an image"',
  },
  RollbackRole: {
    EcsBlueGreenOnAwsSide:
      "as DeployEcsRole's BlueGreenOnAwsSide (rollback-to on a CODE_DEPLOY service creates a CodeDeploy deployment)",
    UpdatesOnYourBehalf: 'as DeployBeanstalkRole',
    UpdatesOnYourBehalfResources: 'as DeployBeanstalkRole',
    UpdatesOnYourBehalfStorage: 'as DeployBeanstalkRole',
  },
};
