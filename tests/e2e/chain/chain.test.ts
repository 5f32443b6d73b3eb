/**
 * The whole chain with the bundled actions, through the harness, against the local stack: build
 * the sample service image with buildah (FROM scratch plus a root file system the chain
 * assembles), push it under the ECR host name, deploy it to ECS and Elastic Beanstalk (simulated
 * rollouts), sync the DAGs to S3, roll ECS back with rollback-to: previous; then the sample service
 * answers a prediction. What each step changed is read back with the aws CLI and plain HTTPS to the
 * registry, not with the SDK the actions use. A second test runs the demo with a broken ECS step.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { names, privateNamespacesCommand, whyChainCannotRun } from '../../support/chain';
import { REPO_ROOT, TSX_BIN } from '../../support/stack/paths';
import type { ChainE2eFacts, StepFacts } from './facts';

const reason = whyChainCannotRun();
if (reason !== undefined) console.warn(`Skipping the chain e2e tests: ${reason}`);
const runnable = reason === undefined ? test : test.skip;

/** The DAG folder as the bucket should mirror it: relative path → MD5 (a single-part upload's ETag). */
function localDags(): Record<string, string> {
  const root = join(REPO_ROOT, names.DAGS_FOLDER);
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(root, path)] = createHash('md5').update(readFileSync(path)).digest('hex');
  }
  return files;
}

function step(facts: ChainE2eFacts, id: StepFacts['id']): StepFacts {
  const found = facts.steps.find((s) => s.id === id);
  if (found === undefined) throw new Error(`step ${id} did not run; the chain stopped at ${facts.failed}`);
  return found;
}

runnable(
  'the chain builds, pushes, deploys to ECS, Beanstalk and SageMaker, syncs the DAGs, rolls ECS back, and the service predicts',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'chain-e2e-facts-'));
    try {
      const out = join(dir, 'facts.json');
      const { command, args, env } = privateNamespacesCommand(join(__dirname, 'in-namespace.ts'), [out]);
      const run = spawnSync(command, args, { encoding: 'utf8', timeout: 270_000, env });
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
        status: 0,
        stderr: '',
      });
      const facts = JSON.parse(readFileSync(out, 'utf8')) as ChainE2eFacts;

      expect(facts.failed).toBeUndefined();
      expect(facts.steps.map((s) => [s.id, s.exitCode, s.postExitCode ?? 0, s.errors])).toEqual(
        ['build-push', 'deploy-ecs', 'deploy-beanstalk', 'deploy-sagemaker', 'sync-dags', 'rollback-ecs'].map(
          (id) => [id, 0, 0, []],
        ),
      );
      const { observed, previous, registryHost } = facts;

      // The image: what the registry serves for the pushed tag hashes to the digest build-push output.
      const pushed = observed.pushed;
      expect(pushed).toBeDefined();
      if (pushed === undefined) return;
      const image = `${registryHost}/${names.REPOSITORY}@${pushed.digest}`;
      expect(registryHost).toBe(`${names.ACCOUNT}.dkr.ecr.${names.REGION}.amazonaws.com`);
      expect(pushed.status).toBe(200);
      expect(step(facts, 'build-push').outputs).toMatchObject({
        image,
        digest: pushed.digest,
        skipped: 'false',
      });
      expect(pushed.cmd).toEqual(['/usr/local/bin/node', '/app/index.js']);
      expect(pushed.env).toContain(`TFJS_BACKEND=${names.IMAGE_BACKEND}`);

      // ECS: the task definition's image is the pushed digest, and the service ran it, every task up.
      const deployEcs = step(facts, 'deploy-ecs').outputs;
      expect(deployEcs).toMatchObject({
        status: 'succeeded',
        'previous-task-definition-arn': previous.taskDefinitionArn,
      });
      expect(observed.ecsAfterDeploy).toEqual({
        taskDefinitionArn: deployEcs['task-definition-arn'],
        image,
        backend: names.IMAGE_BACKEND,
        runningCount: 2,
        desiredCount: 2,
        rolloutState: 'COMPLETED',
      });
      expect(deployEcs['task-definition-arn']).not.toBe(previous.taskDefinitionArn);

      // Beanstalk: the environment runs the version this run made, Ready and Green.
      const beanstalk = step(facts, 'deploy-beanstalk');
      expect(beanstalk.outputs).toMatchObject({
        status: 'succeeded',
        'previous-version-label': previous.versionLabel,
      });
      expect(observed.beanstalk).toEqual({
        versionLabel: beanstalk.outputs['version-label'],
        status: 'Ready',
        health: 'Green',
      });
      // The image by digest, the digest shortened with its whole value on hover.
      expect(beanstalk.summary).toContain(
        `${registryHost}/${names.REPOSITORY}@<code title="${pushed.digest}">`,
      );

      // SageMaker: a new endpoint InService on the configuration this run made, whose model runs
      // the pushed digest, and which answers an invocation through the runtime API.
      const sagemaker = step(facts, 'deploy-sagemaker').outputs;
      expect(sagemaker).toMatchObject({ status: 'succeeded' });
      expect(observed.sagemaker).toEqual({
        status: 'InService',
        endpointConfigName: sagemaker['endpoint-config-name'],
        invocation: expect.objectContaining({
          endpoint: names.SAGEMAKER_ENDPOINT,
          endpointConfig: sagemaker['endpoint-config-name'],
          image,
        }),
      });

      // S3: exactly the DAG folder, byte for byte; the retired DAG is gone.
      const dags = localDags();
      expect(observed.dags?.files).toEqual(Object.keys(dags).sort());
      expect(observed.dags?.etags).toEqual(dags);
      expect(step(facts, 'sync-dags').outputs).toMatchObject({ deleted: '1' });

      // The rollback put the previous release back, as the service describes itself afterwards.
      expect(step(facts, 'rollback-ecs').outputs).toMatchObject({
        status: 'succeeded',
        'task-definition-arn': previous.taskDefinitionArn,
        'previous-task-definition-arn': deployEcs['task-definition-arn'],
      });
      expect(observed.ecsAfterRollback).toMatchObject({
        taskDefinitionArn: previous.taskDefinitionArn,
        image: previous.image,
        runningCount: 2,
        rolloutState: 'COMPLETED',
      });

      // The bundle the image carries serves the model.
      expect(facts.prediction.status).toBe(200);
      const [charges] = (facts.prediction.answer as { predictions: number[] }).predictions;
      expect(charges).toBeCloseTo(29318.16, 0);
      console.log(
        `chain e2e: ${facts.seconds.toFixed(1)} s (${facts.steps.map((s) => `${s.id} ${s.seconds.toFixed(1)} s`).join(', ')})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  300_000,
);

runnable(
  'the demo with a broken ECS step stops there with the reasons, exits 1 and leaves the previous release running',
  () => {
    const logDir = mkdtempSync(join(tmpdir(), 'chain-e2e-demo-logs-'));
    try {
      const run = spawnSync(TSX_BIN, [join(REPO_ROOT, 'scripts', 'demo.ts'), '--break', 'ecs'], {
        encoding: 'utf8',
        timeout: 270_000,
        env: { ...process.env, NO_COLOR: '1', DEMO_LOG_DIR: logDir },
      });
      const output = `${run.stdout}\n${run.stderr}`;
      expect({ status: run.status, signal: run.signal }).toEqual({ status: 1, signal: null });
      expect(output).toContain('✔ build-push succeeded');
      expect(output).toContain('✘ The chain stopped at step 2, deploy-ecs');
      // The reason, then the evidence under it.
      expect(output).toMatch(
        /Deployment ecs-svc\/\d+ of sample-service:2 failed: ECS deployment circuit breaker/,
      );
      expect(output).toMatch(
        /\d tasks? stopped: EssentialContainerExited: Essential container in task exited; sample-service: exit 1/,
      );
      // Read back with the aws CLI: the service is on the previous release.
      expect(output).toContain(
        `aws ecs describe-services: ${names.ECS_SERVICE} runs sample-service:1, 2/2 tasks running, rollout COMPLETED`,
      );
      expect(output).toContain(`sample-service:${names.PREVIOUS_RELEASE}`);
      expect(output).toContain('Not run: deploy-beanstalk, deploy-sagemaker, sync-dags, rollback-ecs.');
      expect(output).not.toContain('Step 3/6');
      expect(output).not.toContain('Predicted yearly insurance charges');
      expect(output).toContain('Stopped everything the demo started');
      // The whole logs and the summaries are kept for the person to read.
      expect(readdirSync(logDir).sort()).toEqual(['01-build-push.log', '02-deploy-ecs.log', 'summaries.md']);
      expect(readFileSync(join(logDir, 'summaries.md'), 'utf8')).toContain('Why it failed: stopped tasks');
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  },
  300_000,
);
