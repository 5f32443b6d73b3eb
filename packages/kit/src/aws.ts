import type { Env } from './inputs';
import { InputError } from './errors';

export interface ActionIdentity {
  /** The action's folder name, e.g. `deploy-ecs`. */
  name: string;
  version: string;
}

export interface AwsClientOptions<C> {
  /** The `aws-region` input; empty falls back to AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string | undefined;
  /** Attempts per call, the first included; throttling and 5xx are retried with adaptive back-off. */
  maxAttempts?: number;
  action: ActionIdentity;
  env?: Env;
  /** Client-specific settings, merged last. */
  config?: Partial<C>;
}

interface SdkClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: HandlerContext,
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

interface HandlerContext {
  clientName?: string;
  commandName?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** The region the user chose, or the runner's; an error naming `aws-region` when there is none. */
export function resolveRegion(input: string | undefined, env: Env): string {
  const region = input?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new InputError('aws-region', 'is required when neither AWS_REGION nor AWS_DEFAULT_REGION is set');
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new InputError('aws-region', `must be an AWS region such as us-east-1; got '${region}'`);
  }
  return region;
}

/** True when the SDK will send this client's calls to a custom endpoint (a local stack or a proxy). */
export function hasCustomEndpoint(env: Env): boolean {
  return Object.keys(env).some((key) => key === 'AWS_ENDPOINT_URL' || key.startsWith('AWS_ENDPOINT_URL_'));
}

/**
 * The one way every action makes an AWS client. The SDK itself honours AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_<SERVICE>; for such endpoints host prefixes (MWAA's `api.`) and virtual-hosted
 * S3 buckets would resolve to hosts that do not exist, so both are turned off there.
 */
export function createAwsClient<C extends object, T>(
  Client: new (config: C) => T,
  options: AwsClientOptions<C>,
): T {
  const env = options.env ?? process.env;
  const custom = hasCustomEndpoint(env);
  const config = {
    region: resolveRegion(options.region, env),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive',
    customUserAgent: [[`deploy-suite-${options.action.name}`, options.action.version]],
    ...(custom ? { disableHostPrefix: true, forcePathStyle: true } : {}),
    ...options.config,
  } as unknown as C;
  const client = new Client(config);
  nameFailures(client as unknown as SdkClient);
  return client;
}

/**
 * Prefixes a failed call's message with the service, the operation and the attempts made, so a
 * log line says which call gave up (`S3 PutObject failed after 8 attempts: SlowDown`).
 */
function nameFailures(client: SdkClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (err instanceof Error) {
          const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
          const operation = (context.commandName ?? 'call').replace(/Command$/, '');
          const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
          const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
          err.message = `${service} ${operation} failed after ${tries}: ${err.message || err.name}`;
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'deploySuiteNameFailures' },
  );
}
