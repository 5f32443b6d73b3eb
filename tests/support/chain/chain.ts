/**
 * The main job, step by step, with the bundled actions run as the Actions runner runs them:
 * build-push → deploy-ecs → deploy-beanstalk → deploy-sagemaker → sync-dags → deploy-ecs
 * rollback-to: previous.
 * Each step's inputs come from the previous steps' outputs, as `${{ steps.x.outputs.y }}` would
 * give them; after each step an independent client reads back what it changed. The chain stops
 * at the first step that fails.
 */
import { runAction, type RunActionResult } from '../harness';
import { REPO_ROOT } from '../stack/paths';
import {
  readBeanstalkEnvironment,
  readDagObjects,
  readEcsService,
  readPushedImage,
  readSageMakerEndpoint,
  type BeanstalkView,
  type DagObjects,
  type EcsServiceView,
  type Observed,
  type PushedImage,
  type SageMakerView,
} from './checks';
import type { ImageContext } from './image-context';
import {
  CLUSTER,
  CONTAINER,
  DAGS_BUCKET,
  DAGS_FOLDER,
  EB_APPLICATION,
  EB_ENVIRONMENT,
  ECS_SERVICE,
  IMAGE_BACKEND,
  REPOSITORY,
  SAGEMAKER_ENDPOINT,
  SAGEMAKER_EXECUTION_ROLE,
  SAGEMAKER_INSTANCE_TYPE,
  TASK_DEFINITION_FILE,
} from './names';
import type { World } from './world';

export type StepId =
  'build-push' | 'deploy-ecs' | 'deploy-beanstalk' | 'deploy-sagemaker' | 'sync-dags' | 'rollback-ecs';

export interface ChainFacts {
  pushed?: PushedImage;
  ecsAfterDeploy?: EcsServiceView;
  beanstalk?: BeanstalkView;
  sagemaker?: SageMakerView;
  dags?: DagObjects;
  ecsAfterRollback?: EcsServiceView;
}

interface StepPlan {
  readonly id: StepId;
  readonly action: string;
  /** What the step does, for the header a person reads. */
  readonly title: string;
  readonly workspace: string;
  inputs(done: ReadonlyMap<StepId, RunActionResult>): Record<string, string>;
  /** Reads back what the step changed (also after a failure: what is running then matters most). */
  check(world: World, result: RunActionResult, facts: ChainFacts): Promise<readonly string[]>;
}

export interface StepRun {
  readonly id: StepId;
  readonly index: number;
  readonly action: string;
  readonly title: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly result: RunActionResult;
  readonly seconds: number;
  /** What the independent read-back saw, one line each. */
  readonly checked: readonly string[];
}

export interface ChainObserver {
  stepStarted?(step: { id: StepId; index: number; total: number; action: string; title: string }): void;
  log?(line: string): void;
  stepFinished?(run: StepRun): void;
}

export interface ChainOutcome {
  readonly runs: readonly StepRun[];
  /** The step that failed; the chain stopped there. */
  readonly failed?: StepRun;
  readonly facts: ChainFacts;
}

function output(done: ReadonlyMap<StepId, RunActionResult>, step: StepId, name: string): string {
  const value = done.get(step)?.outputs[name];
  if (value === undefined || value === '') throw new Error(`step ${step} has no output '${name}'`);
  return value;
}

async function record<T>(
  observed: Promise<Observed<T>>,
  keep: (facts: T) => void,
): Promise<readonly string[]> {
  const { facts, lines } = await observed;
  keep(facts);
  return lines;
}

export function planChain(context: ImageContext): readonly StepPlan[] {
  return [
    {
      id: 'build-push',
      action: 'build-push',
      title: 'build the image with buildah and push it to ECR',
      workspace: context.dir,
      inputs: () => ({
        repository: REPOSITORY,
        engine: 'buildah',
        'create-repository': 'true',
        // The one layer is rebuilt from scratch each time; a registry cache of it would only double the push.
        cache: 'false',
        labels: 'org.opencontainers.image.source=sample-service',
      }),
      check: async (world, result, facts) => {
        const tag = (result.outputs['image-uri'] ?? '').split(':').pop() ?? '';
        return result.exitCode === 0 ? record(readPushedImage(world, tag), (f) => (facts.pushed = f)) : [];
      },
    },
    {
      id: 'deploy-ecs',
      action: 'deploy-ecs',
      title: 'register the task definition with the pushed digest and roll it out on ECS',
      workspace: REPO_ROOT,
      inputs: (done) => ({
        cluster: CLUSTER,
        service: ECS_SERVICE,
        'task-definition': TASK_DEFINITION_FILE,
        'container-name': CONTAINER,
        image: output(done, 'build-push', 'image'),
        'environment-variables': `TFJS_BACKEND=${IMAGE_BACKEND}`,
      }),
      check: (world, _result, facts) => record(readEcsService(world), (f) => (facts.ecsAfterDeploy = f)),
    },
    {
      id: 'deploy-beanstalk',
      action: 'deploy-beanstalk',
      title: 'deploy the same image to Elastic Beanstalk',
      workspace: REPO_ROOT,
      inputs: (done) => ({
        'application-name': EB_APPLICATION,
        'environment-name': EB_ENVIRONMENT,
        image: output(done, 'build-push', 'image'),
        'container-port': '8080',
      }),
      check: (world, _result, facts) => record(readBeanstalkEnvironment(world), (f) => (facts.beanstalk = f)),
    },
    {
      id: 'deploy-sagemaker',
      action: 'deploy-sagemaker',
      title: 'serve the same image on a SageMaker endpoint, then invoke it',
      workspace: REPO_ROOT,
      inputs: (done) => ({
        'endpoint-name': SAGEMAKER_ENDPOINT,
        image: output(done, 'build-push', 'image'),
        'execution-role-arn': SAGEMAKER_EXECUTION_ROLE,
        'instance-type': SAGEMAKER_INSTANCE_TYPE,
        'environment-variables': `TFJS_BACKEND=${IMAGE_BACKEND}`,
      }),
      check: (world, _result, facts) => record(readSageMakerEndpoint(world), (f) => (facts.sagemaker = f)),
    },
    {
      id: 'sync-dags',
      action: 'sync-dags',
      title: 'sync the Airflow DAGs to S3 by content',
      workspace: REPO_ROOT,
      inputs: () => ({ bucket: DAGS_BUCKET, source: DAGS_FOLDER, delete: 'true' }),
      check: (world, _result, facts) => record(readDagObjects(world), (f) => (facts.dags = f)),
    },
    {
      id: 'rollback-ecs',
      action: 'deploy-ecs',
      title: 'roll ECS back to the previous release (rollback-to: previous)',
      workspace: REPO_ROOT,
      inputs: () => ({ cluster: CLUSTER, service: ECS_SERVICE, 'rollback-to': 'previous' }),
      check: (world, _result, facts) => record(readEcsService(world), (f) => (facts.ecsAfterRollback = f)),
    },
  ];
}

/**
 * The actions whose time runs at the simulator's speed, as they did when the kit read a clock
 * variable; build-push (buildah works in real time) and deploy-ecs run in real time.
 */
const ON_SIMULATOR_CLOCK: ReadonlySet<string> = new Set([
  'deploy-beanstalk',
  'deploy-sagemaker',
  'sync-dags',
]);

export async function runChain(
  world: World,
  context: ImageContext,
  observer: ChainObserver = {},
): Promise<ChainOutcome> {
  const plan = planChain(context);
  const done = new Map<StepId, RunActionResult>();
  const runs: StepRun[] = [];
  const facts: ChainFacts = {};
  for (const [index, step] of plan.entries()) {
    observer.stepStarted?.({
      id: step.id,
      index,
      total: plan.length,
      action: step.action,
      title: step.title,
    });
    const inputs = step.inputs(done);
    const started = Date.now();
    const result = await runAction({
      action: step.action,
      inputs,
      env: world.actionEnv,
      ...(ON_SIMULATOR_CLOCK.has(step.action) && { clockSpeed: world.clockSpeed }),
      workspace: step.workspace,
      timeoutMs: 180_000,
      ...(observer.log !== undefined && { onLog: observer.log }),
    });
    const seconds = (Date.now() - started) / 1000;
    done.set(step.id, result);
    const checked = await step.check(world, result, facts);
    const run: StepRun = {
      id: step.id,
      index,
      action: step.action,
      title: step.title,
      inputs,
      result,
      seconds,
      checked,
    };
    runs.push(run);
    observer.stepFinished?.(run);
    if (result.exitCode !== 0 || (result.postExitCode ?? 0) !== 0) return { runs, failed: run, facts };
  }
  return { runs, facts };
}
