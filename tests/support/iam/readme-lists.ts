/**
 * The "what this role may do" table each action's README shows, generated from
 * examples/iam/template.yaml with every optional right on and the names left as placeholders, so
 * the README cannot drift from the template (`npx tsx scripts/iam-readme.ts` rewrites them; a unit
 * test fails when one is stale).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplate, resolveTemplate } from './cfn';
import { rolesOf, TEMPLATE_PATH } from './policy';
import { ACTIONS, type ActionName } from './sdk-calls';
import { ROLE_OF } from './roles';

export const START =
  '<!-- iam-role:start (generated from examples/iam/template.yaml: npx tsx scripts/iam-readme.ts) -->';
export const END = '<!-- iam-role:end -->';

const PLACEHOLDERS: Readonly<Record<string, string>> = {
  GitHubRepository: 'OWNER/REPO',
  GitHubEnvironment: 'ENVIRONMENT',
  BuildBranch: 'main',
  EcrRepositoryArns: 'ECR_REPOSITORY_ARN',
  EcrCreateRepository: 'true',
  EcsClusterName: 'CLUSTER',
  EcsServiceName: 'SERVICE',
  EcsTaskDefinitionFamily: 'FAMILY',
  EcsPassRoleArns: 'TASK_ROLE_ARN,EXECUTION_ROLE_ARN',
  EcsInfrastructureRoleArns: 'INFRASTRUCTURE_ROLE_ARN',
  EcsRunTask: 'true',
  EcsBlueGreen: 'true',
  BeanstalkApplication: 'APPLICATION',
  BeanstalkEnvironment: 'ENVIRONMENT_NAME',
  BeanstalkCreateEnvironment: 'true',
  BeanstalkPassRoleArns: 'SERVICE_ROLE_ARN,INSTANCE_ROLE_ARN',
  DagsBucket: 'BUCKET',
  DagsPrefix: 'PREFIX',
  MwaaEnvironmentName: 'MWAA_ENVIRONMENT',
  SageMakerEndpointName: 'ENDPOINT',
  SageMakerExecutionRoleArns: 'EXECUTION_ROLE_ARN',
  CreatePlanRole: 'true',
};

function code(values: readonly string[]): string {
  return values.map((value) => `\`${value.replace(/\|/g, '\\|')}\``).join(', ');
}

/** The markdown table of one action's role, between its markers. */
export function roleTable(action: ActionName): string {
  const resolved = resolveTemplate(readTemplate(TEMPLATE_PATH), PLACEHOLDERS, {
    partition: 'aws',
    region: 'REGION',
    accountId: 'ACCOUNT',
  });
  const role = rolesOf(resolved)[ROLE_OF[action]];
  if (!role) throw new Error(`no role for ${action}`);
  const rows = role.statements.map(
    (statement) => `| ${statement.sid} | ${code(statement.actions)} | ${code(statement.resources)} |`,
  );
  return [START, '', '| statement | actions | resources |', '| --- | --- | --- |', ...rows, '', END].join(
    '\n',
  );
}

export function readmePath(action: ActionName): string {
  return join(__dirname, '..', '..', '..', 'actions', action, 'README.md');
}

/** The README with its role table replaced by the current one; the markers must be there once. */
export function withRoleTable(action: ActionName, readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start || readme.indexOf(START, start + 1) >= 0) {
    throw new Error(`${readmePath(action)} needs the iam-role markers exactly once`);
  }
  return readme.slice(0, start) + roleTable(action) + readme.slice(end + END.length);
}

export function staleReadmes(): ActionName[] {
  return ACTIONS.filter((action) => {
    const readme = readFileSync(readmePath(action), 'utf8');
    return withRoleTable(action, readme) !== readme;
  });
}
