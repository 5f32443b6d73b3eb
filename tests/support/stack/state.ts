import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryAuth } from './registry-files';

export interface StackEndpoints {
  readonly moto: string;
  readonly registry: string;
  readonly proxy: string;
  readonly simulator: string;
}

export interface ProcessRecord {
  readonly name: keyof StackEndpoints;
  readonly pid: number;
  readonly startTicks?: number;
  readonly port: number;
  readonly log: string;
}

export interface StackState {
  readonly version: 1;
  readonly mode: 'detached' | 'attached';
  readonly ownerPid: number;
  readonly startedAt: string;
  readonly endpoints: StackEndpoints;
  readonly registryAuth: RegistryAuth;
  readonly processes: readonly ProcessRecord[];
  /** The fault proxy is in front of the simulator (absent: behind it, the default placement). */
  readonly faultsInFront?: boolean;
}

const stateFile = (stateDir: string): string => join(stateDir, 'state.json');

export function readState(stateDir: string): StackState | undefined {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as StackState;
  return state.version === 1 ? state : undefined;
}

export function writeState(stateDir: string, state: StackState): void {
  mkdirSync(stateDir, { recursive: true });
  // Holds the registry password.
  writeFileSync(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeState(stateDir: string): void {
  rmSync(stateFile(stateDir), { force: true });
}
