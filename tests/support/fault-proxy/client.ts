import type { FaultSettings } from './injector';
import { FAULT_CONTROL_PATH, type FaultControlAnswer } from './server';

/** Drives a fault proxy running in another process through its control endpoint. */
export interface FaultProxyControl {
  setRate(rate: number): Promise<FaultControlAnswer>;
  configure(changes: Partial<FaultSettings> & { resetStats?: boolean }): Promise<FaultControlAnswer>;
  read(): Promise<FaultControlAnswer>;
}

export function faultProxyControl(url: string): FaultProxyControl {
  const endpoint = new URL(FAULT_CONTROL_PATH, url).toString();
  async function call(init?: RequestInit): Promise<FaultControlAnswer> {
    const response = await fetch(endpoint, init);
    const body = (await response.json()) as FaultControlAnswer & { error?: string };
    if (!response.ok) throw new Error(`fault proxy control failed: ${body.error ?? response.status}`);
    return body;
  }
  const configure: FaultProxyControl['configure'] = (changes) =>
    call({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(changes) });
  return { setRate: (rate) => configure({ rate }), configure, read: () => call() };
}
