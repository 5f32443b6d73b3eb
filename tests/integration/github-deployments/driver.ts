/**
 * One deploy's GitHub deployment, driven the way a deploy action drives it: recordDeployment from
 * the runner's environment, then one ending. Run under Node 24 by the tests, as the actions run.
 * The scenario comes as JSON in DRIVER_SCENARIO.
 */
import { recordDeployment } from '../../../packages/kit/src/github-deployment';

interface Scenario {
  environment: string;
  ending: 'succeeded' | 'failed' | 'rolledBack';
  environmentUrl?: string;
  rollback?: boolean;
  production?: boolean;
}

async function main(): Promise<void> {
  const scenario = JSON.parse(process.env['DRIVER_SCENARIO'] ?? '{}') as Scenario;
  const record = await recordDeployment({
    token: process.env['INPUT_GITHUB-TOKEN'] ?? '',
    environment: scenario.environment,
    description: `sample-service to ${scenario.environment}`,
    payload: { image: 'registry.example/sample-service@sha256:0f' },
    ...(scenario.rollback === undefined ? {} : { rollback: scenario.rollback }),
    ...(scenario.production === undefined ? {} : { production: scenario.production }),
  });
  if (scenario.ending === 'succeeded') await record.succeeded(scenario.environmentUrl);
  else if (scenario.ending === 'failed') await record.failed('tasks stopped: essential container exited');
  else await record.rolledBack('tasks stopped: essential container exited');
  console.log(`recorded: ${record.id ?? 'none'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
