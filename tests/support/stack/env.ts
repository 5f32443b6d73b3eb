import type { RegistryAuth } from './registry-files';
import type { StackEndpoints } from './state';

export const STACK_REGION = 'us-east-1';

/**
 * What a process needs to talk to the stack: SDK clients go to the simulator (which answers the services
 * it models and passes everything else through the fault proxy to moto) with fake credentials; with
 * `faultsInFront` they go to the fault proxy, which passes every call on to the simulator.
 */
export function stackEnv(
  endpoints: StackEndpoints,
  auth: RegistryAuth,
  placement: { readonly faultsInFront?: boolean } = {},
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: placement.faultsInFront ? endpoints.proxy : endpoints.simulator,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: STACK_REGION,
    AWS_DEFAULT_REGION: STACK_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    STACK_MOTO_URL: endpoints.moto,
    STACK_FAULT_PROXY_URL: endpoints.proxy,
    STACK_SIMULATOR_URL: endpoints.simulator,
    STACK_REGISTRY: new URL(endpoints.registry).host,
    STACK_REGISTRY_URL: endpoints.registry,
    STACK_REGISTRY_USERNAME: auth.username,
    STACK_REGISTRY_PASSWORD: auth.password,
  };
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
    .join('\n');
}
