/**
 * ECS's rule for cluster, service and task definition family names: "Up to 255 letters (uppercase
 * and lowercase), numbers, underscores, and hyphens are allowed" (Amazon ECS API Reference,
 * CreateCluster clusterName, CreateService serviceName, RegisterTaskDefinition family).
 */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

// Where ECS takes a name it also takes the resource's ARN; a service ARN may name its cluster.
const NAME = '[A-Za-z0-9_-]{1,255}';
const ARN_HEAD = 'arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}';
export const CLUSTER_ARN = new RegExp(`^${ARN_HEAD}:cluster/${NAME}$`);
export const SERVICE_ARN = new RegExp(`^${ARN_HEAD}:service/(?:${NAME}/)?${NAME}$`);
