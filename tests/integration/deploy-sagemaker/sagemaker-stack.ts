import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { runAction, type RunActionResult } from '../../support/harness';
import type { Call } from '../../support/simulator';
import { startStack, type Stack } from '../../support/stack';

/** Virtual seconds per real second, for the simulator and the action alike: a 4-minute creation lasts 0.8 s. */
export const SPEED = 300;
export const ACCOUNT = '123456789012';
export const IMAGE_1 = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${'1'.repeat(64)}`;
export const IMAGE_2 = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${'2'.repeat(64)}`;
/** The image of version n, by digest (`n` one hex digit repeated). */
export const imageOf = (n: number): string =>
  `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${n.toString(16).repeat(64)}`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`;

export interface SimEndpoint {
  name: string;
  configName: string;
  status: string;
  rollouts: Array<{ scenario: string; configName: string }>;
}

export class SageMakerStack {
  private constructor(readonly stack: Stack) {}

  static async start(): Promise<SageMakerStack> {
    return new SageMakerStack(await startStack({ simulatorSpeed: SPEED }));
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }

  /** A fresh simulator, with the scenario chosen for the endpoint. */
  async fresh(endpoint: string, scenario = 'healthy'): Promise<void> {
    await this.stack.simulator.reset();
    await this.stack.simulator.choose('sagemaker', endpoint, scenario);
  }

  choose(endpoint: string, scenario: string): Promise<void> {
    return this.stack.simulator.choose('sagemaker', endpoint, scenario);
  }

  async endpoint(name: string): Promise<SimEndpoint> {
    const state = (await this.stack.simulator.state('sagemaker')) as { endpoints: SimEndpoint[] };
    const found = state.endpoints.find((e) => e.name === name);
    if (!found) throw new Error(`no endpoint ${name} in the simulator`);
    return found;
  }

  /** What the simulator holds now: the names of its models and endpoint configurations. */
  async names(): Promise<{ models: string[]; endpointConfigs: string[] }> {
    const state = (await this.stack.simulator.state('sagemaker')) as {
      models: Array<{ name: string }>;
      endpointConfigs: Array<{ name: string }>;
    };
    return {
      models: state.models.map((m) => m.name).sort(),
      endpointConfigs: state.endpointConfigs.map((c) => c.name).sort(),
    };
  }

  /** An SDK client on the stack, for what a test sets up beside the action (another endpoint). */
  client(): SageMakerClient {
    const env = this.stack.env;
    return new SageMakerClient({
      endpoint: env['AWS_ENDPOINT_URL'] ?? '',
      region: env['AWS_REGION'] ?? 'us-east-1',
      credentials: {
        accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '',
        secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '',
      },
      maxAttempts: 1,
    });
  }

  calls(operation?: string): Promise<Call[]> {
    return this.stack.simulator.calls({ service: 'sagemaker', ...(operation && { operation }) });
  }

  deploy(
    endpoint: string,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {},
  ): Promise<RunActionResult> {
    return runAction({
      action: 'deploy-sagemaker',
      inputs: {
        'endpoint-name': endpoint,
        image: IMAGE_1,
        'execution-role-arn': ROLE,
        'instance-type': 'ml.m5.large',
        'instance-count': '2',
        ...inputs,
      },
      env: { ...this.stack.env, ...env },
      clockSpeed: SPEED,
      timeoutMs: 60_000,
    });
  }
}

/** The error line the action printed (`::error::` becomes an annotation). */
export function errorOf(result: RunActionResult): string {
  return result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
}
