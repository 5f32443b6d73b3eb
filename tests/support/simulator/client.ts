import type { Call, CallFilter } from './calls';
import type { ClockAnswer, ClockChange } from './control';
import type { ChosenScenario } from './scenarios';

/** Drives a simulator running in another process (e.g. the one the local stack started) over `/_sim/`. */
export interface SimulatorControl {
  readonly url: string;
  choose(service: string, resource: string, scenario: string): Promise<void>;
  scenarios(): Promise<{
    available: Record<string, { default: string; scenarios: Record<string, string> }>;
    chosen: ChosenScenario[];
  }>;
  clock(change?: ClockChange): Promise<ClockAnswer>;
  calls(filter?: CallFilter): Promise<Call[]>;
  clearCalls(): Promise<void>;
  seed(service: string, input: Record<string, unknown>): Promise<unknown>;
  state(service: string): Promise<unknown>;
  reset(): Promise<void>;
}

export function simulatorControl(url: string): SimulatorControl {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(`/_sim/${path}`, url), {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    const answer = (await response.json()) as T & { error?: string };
    if (!response.ok)
      throw new Error(`simulator ${method} /_sim/${path} failed: ${answer.error ?? response.status}`);
    return answer;
  }
  return {
    url,
    choose: async (service, resource, scenario) =>
      void (await call('POST', 'scenarios', { service, resource, scenario })),
    scenarios: () => call('GET', 'scenarios'),
    clock: (change) => (change ? call('POST', 'clock', change) : call('GET', 'clock')),
    calls: async (filter = {}) => {
      const query = new URLSearchParams({ ...filter }).toString();
      return (await call<{ calls: Call[] }>('GET', `calls${query ? `?${query}` : ''}`)).calls;
    },
    clearCalls: async () => void (await call('DELETE', 'calls')),
    seed: (service, input) => call('POST', `services/${encodeURIComponent(service)}/seed`, input),
    state: (service) => call('GET', `services/${encodeURIComponent(service)}/state`),
    reset: async () => void (await call('POST', 'reset')),
  };
}
