/**
 * The `aws` CLI on this machine, pointed at the local stack: the independent client the chain's
 * results are read back with (not the SDK the actions use).
 */
import { runTool } from './run-tool';

export interface AwsCli {
  /** Runs `aws <args> --output json` and parses the answer (undefined when it printed nothing). */
  json<T>(args: readonly string[]): Promise<T>;
}

/** Host AWS settings (a profile, real credentials) never reach the CLI; only the stack's do. */
function cliEnv(stackEnv: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'] as const) {
    const value = stackEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.AWS_CONFIG_FILE = '/dev/null';
  env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  return env;
}

export function awsCli(endpointUrl: string, stackEnv: Readonly<Record<string, string>>): AwsCli {
  const env = cliEnv(stackEnv);
  return {
    async json<T>(args: readonly string[]): Promise<T> {
      const full = [...args, '--endpoint-url', endpointUrl, '--output', 'json'];
      const result = await runTool('aws', full, { env });
      if (result.code !== 0) {
        throw new Error(`aws ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim()}`);
      }
      return (result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout)) as T;
    },
  };
}
