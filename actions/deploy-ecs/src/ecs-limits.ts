/**
 * What ECS refuses that its API model does not say in machine-readable form: documented name rules,
 * quotas and reference shapes. Each rule cites where AWS documents it.
 */
import { quoted } from '@deploy-suite/kit';
import { isObject, type ShapeProblem } from './ecs-model';

/**
 * Family, container, cluster and service names: "Up to 255 letters (uppercase and lowercase),
 * numbers, underscores, and hyphens are allowed" (the ECS API reference, in the model's own
 * documentation of RegisterTaskDefinition.family, ContainerDefinition.name,
 * CreateCluster.clusterName and CreateService.serviceName).
 */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
export const ECS_NAME_RULE = 'up to 255 letters, numbers, underscores and hyphens';

/**
 * RegisterTaskDefinition answers "Actual length: '66420'. Max allowed length is '65536' bytes."
 * beyond 64 KiB (Amazon ECS service quotas, "Task definition size"; the figure was corrected from
 * 32 KiB in awsdocs/amazon-ecs-developer-guide#149).
 */
export const TASK_DEFINITION_MAX_BYTES = 65_536;

/** "Containers per task definition: 10, not adjustable" (Amazon ECS service quotas). */
export const MAX_CONTAINERS = 10;

/** UpdateService.desiredCount is an Integer in the ECS API model. */
export const MAX_DESIRED_COUNT = 2 ** 31 - 1;

/** "There's a limit of 16 subnets" and "of 5 security groups" (AwsVpcConfiguration in the API model). */
export const MAX_SUBNETS = 16;
export const MAX_SECURITY_GROUPS = 5;

const PARTITION = 'aws[a-z-]*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const ACCOUNT = '\\d{12}';
const SECRETS_MANAGER_ARN = new RegExp(`^arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:\\S+$`);
const SSM_PARAMETER_ARN = new RegExp(`^arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter/\\S+$`);
// Parameter Store names: letters, numbers and . - _ with / between levels (SSM "parameter name
// requirements"); at most 2048 characters (PSParameterName in the SSM API model).
const SSM_PARAMETER_NAME = /^\/?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

/**
 * Why a secret's valueFrom is not something ECS resolves, or undefined. ECS takes "either the full
 * ARN of the Secrets Manager secret or the full ARN of the parameter in the SSM Parameter Store",
 * or the parameter's name when it is in the task's Region (API reference, Secret.valueFrom).
 */
export function secretReferenceProblem(valueFrom: string): string | undefined {
  if (SECRETS_MANAGER_ARN.test(valueFrom) || SSM_PARAMETER_ARN.test(valueFrom)) return undefined;
  if (valueFrom.startsWith('arn:')) {
    return `'${valueFrom}' is neither a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>) nor an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)`;
  }
  if (valueFrom.length <= 2048 && SSM_PARAMETER_NAME.test(valueFrom)) return undefined;
  return `'${valueFrom}' is not a Secrets Manager or SSM parameter ARN, nor an SSM parameter name (letters, numbers, . - _ and / between levels)`;
}

/** A cluster or service as UpdateService takes it: its name, or its ARN. */
export function resourceReferenceProblem(kind: 'cluster' | 'service', value: string): string | undefined {
  if (ECS_NAME.test(value)) return undefined;
  // Services have ARNs with the cluster's name (the long ARN format) or without it (the old one).
  const resource =
    kind === 'cluster'
      ? 'cluster/[A-Za-z0-9_-]{1,255}'
      : 'service/(?:[A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255}';
  if (new RegExp(`^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:${resource}$`).test(value)) return undefined;
  return `must be a ${kind} name (${ECS_NAME_RULE}) or its ARN; got ${quoted(value)}`;
}

/**
 * The image rule of ContainerDefinition.image: up to 255 characters, or for images by digest, up to
 * 255 before the '@' and a sha256 digest of exactly 64 hexadecimal digits after it.
 */
export function imageProblem(image: string): string | undefined {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const length = [...name].length;
  if (length > 255) {
    return `${at < 0 ? 'is' : 'has before its digest'} ${length} characters; ECS takes at most 255`;
  }
  if (at >= 0 && !/^sha256:[A-Fa-f0-9]{64}$/.test(image.slice(at + 1))) {
    return 'has a digest that is not sha256: followed by 64 hexadecimal digits';
  }
  return undefined;
}

/** The documented rules a RegisterTaskDefinition input must also meet, each with its JSON path. */
export function taskDefinitionLimitProblems(input: Record<string, unknown>): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  if (typeof input.family === 'string' && !ECS_NAME.test(input.family)) {
    out.push({ path: 'family', why: `'${input.family}' is not ${ECS_NAME_RULE}` });
  }
  out.push(...tagProblems(input.tags));
  const containers = Array.isArray(input.containerDefinitions) ? input.containerDefinitions : [];
  if (Array.isArray(input.containerDefinitions) && containers.length === 0) {
    out.push({ path: 'containerDefinitions', why: 'needs at least one container' });
  }
  if (containers.length > MAX_CONTAINERS) {
    out.push({
      path: 'containerDefinitions',
      why: `has ${containers.length} containers; ECS takes at most ${MAX_CONTAINERS} in one task definition`,
    });
  }
  containers.forEach((container: unknown, index) => {
    if (!isObject(container)) return;
    const at = `containerDefinitions[${index}]`;
    if (typeof container.name === 'string' && !ECS_NAME.test(container.name)) {
      out.push({ path: `${at}.name`, why: `'${container.name}' is not ${ECS_NAME_RULE}` });
    }
    if (typeof container.image === 'string') {
      const why = imageProblem(container.image);
      if (why !== undefined) out.push({ path: `${at}.image`, why });
    }
    const log = isObject(container.logConfiguration) ? container.logConfiguration : {};
    for (const [field, list] of [
      ['secrets', container.secrets],
      ['logConfiguration.secretOptions', log.secretOptions],
    ] as const) {
      (Array.isArray(list) ? list : []).forEach((secret: unknown, i) => {
        if (!isObject(secret) || typeof secret.valueFrom !== 'string') return;
        const why = secretReferenceProblem(secret.valueFrom);
        if (why !== undefined) out.push({ path: `${at}.${field}[${i}].valueFrom`, why });
      });
    }
  });
  return out;
}

/**
 * Tags: "each tag key must be unique", and the aws: prefix, in any case, "is reserved for Amazon
 * Web Services use" (RegisterTaskDefinition.tags in the API model's documentation).
 */
export function tagProblems(tags: unknown): ShapeProblem[] {
  const seen = new Set<string>();
  const out: ShapeProblem[] = [];
  (Array.isArray(tags) ? tags : []).forEach((tag: unknown, i) => {
    if (!isObject(tag) || typeof tag.key !== 'string') return;
    if (/^aws:/i.test(tag.key)) {
      out.push({ path: `tags[${i}].key`, why: `'${tag.key}': the aws: prefix is reserved for AWS use` });
    }
    if (seen.has(tag.key))
      out.push({ path: `tags[${i}].key`, why: `'${tag.key}' is given twice; a key takes one value` });
    seen.add(tag.key);
  });
  return out;
}

/** Size in bytes of the task definition as sent, and its largest strings of 1 KiB or more (environment values, labels...) with their paths. */
export function sizeOf(input: object): { bytes: number; largest: { path: string; bytes: number }[] } {
  const strings: { path: string; bytes: number }[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') strings.push({ path, bytes: Buffer.byteLength(value) });
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        walk(
          child,
          /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
            ? path
              ? `${path}.${key}`
              : key
            : `${path}[${JSON.stringify(key)}]`,
        );
      }
    }
  };
  walk(input, '');
  strings.sort((a, b) => b.bytes - a.bytes);
  return {
    bytes: Buffer.byteLength(JSON.stringify(input)),
    largest: strings.filter((s) => s.bytes >= 1024).slice(0, 3),
  };
}
