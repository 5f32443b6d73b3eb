/**
 * Seconds between Elastic Beanstalk settling (the environment's last event: an update completed, a
 * health transition, a rollback completed) and the bundled deploy-beanstalk ending, for each
 * scenario. The action runs in real time, as on a runner; the simulator's clock runs SPEED times
 * faster so an update lasts seconds. Figures are printed, never asserted.
 *
 *   npx tsx bench/deploy-beanstalk/settle-to-end.ts [runs per scenario, default 3]
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runAction } from '../../tests/support/harness';
import { startStack, type Stack } from '../../tests/support/stack';
import { realTimeOf, report } from '../settle';

const SPEED = 10;
const APP = 'bench';
/** Scenario, and the inputs it needs besides the version. */
const SCENARIOS: ReadonlyArray<[string, Record<string, string>]> = [
  ['healthy', {}],
  ['yellow', { 'healthy-states': 'Green,Yellow' }],
  ['recovers', { 'health-grace-seconds': '10' }],
  ['deploy-fails', {}],
  ['degrades', { 'health-grace-seconds': '10' }],
  ['immutable-fails', {}],
  ['busy', {}],
  ['throttled', {}],
  ['slow', {}],
];
// never-ready never settles: it ends at timeout-minutes, which its integration test bounds.

interface SimEvent {
  at: string;
  environment?: string;
}

/** Real time of the environment's last event, from its virtual time. */
async function settledAt(stack: Stack, environment: string): Promise<number> {
  const { events } = (await stack.simulator.state('elasticbeanstalk')) as { events: SimEvent[] };
  const last = events.filter((e) => e.environment === environment).at(-1);
  if (last === undefined) throw new Error(`${environment} logged no event`);
  return realTimeOf(stack, Date.parse(last.at));
}

async function measure(
  stack: Stack,
  scenario: string,
  inputs: Record<string, string>,
  run: number,
): Promise<{ lag: number; status: string }> {
  const environment = `${scenario}-${run}`;
  await stack.simulator.choose('elasticbeanstalk', environment, scenario);
  await stack.simulator.seed('elasticbeanstalk', {
    ApplicationName: APP,
    VersionLabel: 'v0',
    EnvironmentName: environment,
    CreatedSecondsAgo: 3600,
  });
  const result = await runAction({
    action: 'deploy-beanstalk',
    inputs: {
      'application-name': APP,
      'environment-name': environment,
      'version-label': `v${run}`,
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.4.0',
      ...inputs,
    },
    env: stack.env,
    timeoutMs: 600_000,
  });
  const ended = Date.now();
  return {
    lag: (ended - (await settledAt(stack, environment))) / 1000,
    status: result.outputs.status ?? '?',
  };
}

/** The bucket CreateStorageLocation names for moto's account, made as the real call would. */
async function createStorageBucket(stack: Stack): Promise<void> {
  const s3 = new S3Client({
    endpoint: stack.endpoints.moto,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'elasticbeanstalk-us-east-1-123456789012' }));
  s3.destroy();
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const stack = await startStack({ simulatorSpeed: SPEED });
  try {
    await createStorageBucket(stack);
    console.log(
      `deploy-beanstalk: seconds from the environment's last event to the job ending (${runs} runs, clock x${SPEED})`,
    );
    for (const [scenario, inputs] of SCENARIOS) {
      const lags: number[] = [];
      for (let run = 1; run <= runs; run++) {
        const { lag, status } = await measure(stack, scenario, inputs, run);
        lags.push(lag);
        console.log(`  ${scenario} #${run}: ${lag.toFixed(2)} s (status ${status})`);
      }
      report(scenario, lags, 2);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
