import { NodeHttpHandler } from '@smithy/node-http-handler';
import { cancellationOf, runSignal } from './cancellation';
import { createInputReader, type Env } from './inputs';
import { CallTimedOut, InputError } from './errors';

export interface ActionIdentity {
  /** The action's folder name, e.g. `deploy-ecs`. */
  name: string;
  version: string;
}

export interface AwsClientOptions<C> {
  /** The `aws-region` input; empty falls back to AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string | undefined;
  /**
   * Attempts per call, the first included; throttling and 5xx are retried with adaptive back-off.
   * When absent, the `aws-max-attempts` input, else DEFAULT_MAX_ATTEMPTS.
   */
  maxAttempts?: number;
  action: ActionIdentity;
  env?: Env;
  /** Deadline of one call, its retries included; CALL_DEADLINE_MS when absent. */
  callDeadlineMs?: number;
  /**
   * For clean-up calls only (releasing a lock the run took): they still go out after the run is
   * cancelled, bounded by their own deadline, which should then fit in CANCEL_GRACE_MS.
   */
  outlivesCancel?: boolean;
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
const MAX_ATTEMPTS = Object.freeze({ min: 1, max: 20 });

/**
 * The `aws-max-attempts` input every action declares: read here, where clients are made, so the
 * actions need nothing but the line in their action.yml.
 */
export function maxAttemptsOf(env: Env): number {
  return createInputReader(env).optionalInt('aws-max-attempts', MAX_ATTEMPTS) ?? DEFAULT_MAX_ATTEMPTS;
}

/**
 * The bounds every call lives within. An attempt whose connection is silent for ATTEMPT_IDLE_MS
 * (an endpoint that accepted the request and never answers) is abandoned and retried like any
 * transient fault; the call as a whole, retries and their pauses included, ends at
 * CALL_DEADLINE_MS. So a wait polling through such calls overruns its own deadline by at most one
 * call deadline.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const ATTEMPT_IDLE_MS = 10_000;
export const CALL_DEADLINE_MS = 30_000;
/** For clients that move files: an 8 MiB part on a slow runner link needs more than a control call. */
export const TRANSFER_CALL_DEADLINE_MS = 300_000;

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
    maxAttempts: options.maxAttempts ?? maxAttemptsOf(env),
    retryMode: 'adaptive',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: ATTEMPT_IDLE_MS,
    }),
    customUserAgent: [[`deploy-suite-${options.action.name}`, options.action.version]],
    ...(custom ? { disableHostPrefix: true, forcePathStyle: true } : {}),
    ...options.config,
  } as unknown as C;
  const client = new Client(config);
  nameFailures(client as unknown as SdkClient);
  bindDeadlines(
    client as unknown as SendingClient,
    options.callDeadlineMs ?? CALL_DEADLINE_MS,
    options.outlivesCancel === true ? undefined : runSignal,
  );
  return client;
}

interface SendingClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * Gives every call the run's cancellation and its own deadline. A cancelled run ends the call at
 * once with Cancelled (and no call starts after it); a call past its deadline fails with
 * CallTimedOut naming the call, instead of hanging the step.
 */
function bindDeadlines(client: SendingClient, deadlineMs: number, run: AbortSignal | undefined): void {
  const send = client.send.bind(client);
  client.send = async (command, options) => {
    if (run?.aborted) throw cancellationOf();
    const deadline = AbortSignal.timeout(deadlineMs);
    const signals = [...(run ? [run] : []), deadline, ...(options?.abortSignal ? [options.abortSignal] : [])];
    try {
      return await send(command, { ...options, abortSignal: AbortSignal.any(signals) });
    } catch (err) {
      if (run?.aborted) throw cancellationOf();
      if (deadline.aborted) throw new CallTimedOut(callOf(err), Math.round(deadlineMs / 1000));
      throw err;
    }
  };
}

const CALL_NAME = Symbol('deploySuiteCall');

/** `ECS UpdateService`, as nameFailures recorded it on the error. */
function callOf(err: unknown): string {
  const name = (err as { [CALL_NAME]?: string } | undefined)?.[CALL_NAME];
  return name ?? 'An AWS call';
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
          (err as { [CALL_NAME]?: string })[CALL_NAME] = `${service} ${operation}`;
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
