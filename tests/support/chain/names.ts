/** The names the chain deploys under, shared by the seeds, the steps and the checks. */
export const REGION = 'us-east-1';
/** moto's account; the ECR host GetAuthorizationToken names is `<account>.dkr.ecr.<region>.amazonaws.com`. */
export const ACCOUNT = '123456789012';
export const REPOSITORY = 'sample-service';

export const CLUSTER = 'ml';
export const ECS_SERVICE = 'sample-service';
export const CONTAINER = 'sample-service';
/** Relative to the repository root (the workspace the deploy steps run in). */
export const TASK_DEFINITION_FILE = 'sample-service/deploy/task-definition.json';
export const DAGS_FOLDER = 'sample-service/dags';

export const EB_APPLICATION = 'sample-service';
export const EB_ENVIRONMENT = 'sample-service-prod';
/** The bucket CreateStorageLocation names for moto's account; made in moto as the real call would. */
export const EB_STORAGE_BUCKET = `elasticbeanstalk-${REGION}-${ACCOUNT}`;

export const DAGS_BUCKET = 'sample-service-airflow';
export const DAGS_PREFIX = 'dags/';
/** An object left by an earlier release that the sync deletes, so "exactly the DAGs" means something. */
export const RETIRED_DAG_KEY = `${DAGS_PREFIX}retired_scoring_v0.py`;

/** The SageMaker endpoint the chain creates (none exists before it) and the role its model names. */
export const SAGEMAKER_ENDPOINT = 'sample-service';
export const SAGEMAKER_EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`;
export const SAGEMAKER_INSTANCE_TYPE = 'ml.m5.large';

/** The release running before the chain: its tag, version label and task definition revision. */
export const PREVIOUS_RELEASE = 'release-0';

/**
 * Virtual seconds per real second for the simulator and for the actions' own clocks alike: a
 * 90-second Beanstalk update plays in a third of a second, and a 30-minute deadline lasts 6 s.
 */
export const CLOCK_SPEED = 300;

/** What the lean image runs: the server bundled into one file holds TensorFlow.js's cpu backend only. */
export const IMAGE_BACKEND = 'cpu';
