import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultProxyControl, type FaultProxyControl } from '../fault-proxy/client';
import { simulatorControl, type SimulatorControl } from '../simulator/client';
import { stackEnv } from './env';
import { DEFAULT_STATE_DIR, FAULT_PROXY_ENTRY, requireBinary, SIMULATOR_ENTRY, TSX_BIN } from './paths';
import { freePorts, waitUntilAnswering } from './ports';
import { isAlive, killGroupNow, launch, processStartTicks, stopProcessGroup } from './processes';
import { generateRegistryAuth, writeRegistryFiles, type RegistryAuth } from './registry-files';
import {
  readState,
  removeState,
  writeState,
  type ProcessRecord,
  type StackEndpoints,
  type StackState,
} from './state';

export interface StackOptions {
  /**
   * Where pids, ports, passwords and logs go. Default: a fresh temporary directory (removed by stop)
   * for attached stacks, `<repo>/.stack` for detached ones.
   */
  readonly stateDir?: string;
  /** detached: processes outlive this one (`stack up`); attached (default): they end with it. */
  readonly mode?: 'detached' | 'attached';
  /** Simulator clock speed (virtual seconds per real second). Default 1. */
  readonly simulatorSpeed?: number;
  readonly faultSeed?: number;
  /**
   * Puts the fault proxy in front of the simulator (SDK → proxy → simulator → moto) so every AWS call,
   * the simulated ECS, Elastic Beanstalk and MWAA ones included, can be faulted; `env.AWS_ENDPOINT_URL`
   * is then the proxy. Default false: SDK → simulator → proxy → moto, faults reach moto's calls only.
   */
  readonly faultsInFront?: boolean;
}

export interface Stack {
  readonly endpoints: StackEndpoints;
  /** Variables to export so SDK clients, the aws CLI and the actions reach the stack. */
  readonly env: Readonly<Record<string, string>>;
  readonly registryAuth: RegistryAuth;
  readonly stateDir: string;
  /** True when a stack was already running in `stateDir`; stop() then leaves it running. */
  readonly reused: boolean;
  readonly startedAt: string;
  /** Where the fault proxy is: in front of the simulator (every call) or behind it (moto's calls). */
  readonly faultsInFront: boolean;
  readonly faults: FaultProxyControl;
  readonly simulator: SimulatorControl;
  stop(): Promise<void>;
}

interface Launched {
  readonly record: ProcessRecord;
  readonly child: ChildProcess;
}

interface Plan {
  readonly name: ProcessRecord['name'];
  readonly command: string;
  readonly args: readonly string[];
  /** A URL that answers once the server is up. */
  readonly readyPath: string;
}

function planProcesses(
  stateDir: string,
  ports: Record<ProcessRecord['name'], number>,
  auth: RegistryAuth,
  options: StackOptions,
): Plan[] {
  const url = (port: number): string => `http://127.0.0.1:${port}`;
  const registryConfig = writeRegistryFiles(join(stateDir, 'registry'), ports.registry, auth);
  const front = options.faultsInFront ?? false;
  const proxy: Plan = {
    name: 'proxy',
    command: TSX_BIN,
    args: [
      FAULT_PROXY_ENTRY,
      ...['--upstream', url(front ? ports.simulator : ports.moto), '--port', String(ports.proxy)],
      ...['--seed', String(options.faultSeed ?? 1)],
    ],
    readyPath: '/_fault',
  };
  const simulator: Plan = {
    name: 'simulator',
    command: TSX_BIN,
    args: [
      SIMULATOR_ENTRY,
      ...['--upstream', url(front ? ports.moto : ports.proxy), '--port', String(ports.simulator)],
      ...['--speed', String(options.simulatorSpeed ?? 1)],
    ],
    readyPath: '/_sim/health',
  };
  return [
    {
      name: 'moto',
      command: requireBinary('moto_server'),
      args: ['-H', '127.0.0.1', '-p', String(ports.moto)],
      readyPath: '/moto-api/',
    },
    {
      name: 'registry',
      command: requireBinary('docker-registry'),
      args: ['serve', registryConfig],
      readyPath: '/v2/',
    },
    // Back to front, so stopping in reverse leaves nothing forwarding to a process already gone.
    ...(front ? [simulator, proxy] : [proxy, simulator]),
  ];
}

/** Whether every process the state names is still the process that was started. */
export function isRunning(state: StackState): boolean {
  return state.processes.every((p) => isAlive(p.pid, p.startTicks));
}

async function stopRecorded(processes: readonly ProcessRecord[]): Promise<void> {
  // Front to back: nothing is left forwarding to a process that is already gone.
  for (const record of [...processes].reverse()) await stopProcessGroup(record.pid, record.startTicks);
}

async function launchAll(
  stateDir: string,
  mode: 'detached' | 'attached',
  options: StackOptions,
  auth: RegistryAuth,
): Promise<Launched[]> {
  const [moto = 0, registry = 0, proxy = 0, simulator = 0] = await freePorts(4);
  const ports = { moto, registry, proxy, simulator };
  const logs = join(stateDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const plans = planProcesses(stateDir, ports, auth, options);
  const launched = plans.map((plan): Launched => {
    const log = join(logs, `${plan.name}.log`);
    const child = launch({ command: plan.command, args: plan.args, logFile: log, mode });
    if (child.pid === undefined) throw new Error(`could not start ${plan.command}`);
    const startTicks = processStartTicks(child.pid);
    const record: ProcessRecord = {
      name: plan.name,
      pid: child.pid,
      port: ports[plan.name],
      log,
      ...(startTicks !== undefined && { startTicks }),
    };
    return { record, child };
  });
  try {
    await Promise.all(
      launched.map(({ record, child }, i) =>
        waitUntilAnswering(`http://127.0.0.1:${record.port}${plans[i]?.readyPath ?? '/'}`, {
          name: record.name,
          child,
          logFile: record.log,
        }),
      ),
    );
  } catch (error) {
    await stopRecorded(launched.map((l) => l.record));
    throw error;
  }
  return launched;
}

function toStack(state: StackState, stateDir: string, reused: boolean, stop: () => Promise<void>): Stack {
  return {
    endpoints: state.endpoints,
    env: stackEnv(state.endpoints, state.registryAuth, { faultsInFront: state.faultsInFront === true }),
    registryAuth: state.registryAuth,
    stateDir,
    reused,
    startedAt: state.startedAt,
    faultsInFront: state.faultsInFront === true,
    faults: faultProxyControl(state.endpoints.proxy),
    simulator: simulatorControl(state.endpoints.simulator),
    stop,
  };
}

// A test that asked for faults in front would otherwise run, unfaulted, on a stack that has them behind.
function checkPlacement(state: StackState, options: StackOptions, stateDir: string): void {
  const running = state.faultsInFront === true;
  if (options.faultsInFront === undefined || options.faultsInFront === running) return;
  const where = (front: boolean): string => (front ? 'in front of' : 'behind');
  throw new Error(
    `the stack running in ${stateDir} has its fault proxy ${where(running)} the simulator, not ` +
      `${where(options.faultsInFront)} it; stop it first (npm run stack:down) or use another state dir`,
  );
}

/**
 * Starts moto, docker-registry, the fault proxy (in front of moto) and the simulator (in front of the
 * proxy; with `faultsInFront`, the proxy in front of the simulator instead) on free loopback ports and
 * waits until each answers. A stack already running in `stateDir`
 * is returned as it is; one that died is cleaned up and replaced.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const mode = options.mode ?? 'attached';
  const ownsTempDir = options.stateDir === undefined && mode === 'attached';
  const stateDir =
    options.stateDir ??
    (ownsTempDir ? mkdtempSync(join(tmpdir(), 'deploy-suite-stack-')) : DEFAULT_STATE_DIR);

  const existing = readState(stateDir);
  if (existing && isRunning(existing)) {
    checkPlacement(existing, options, stateDir);
    return toStack(existing, stateDir, true, async () => {});
  }
  if (existing) await stopStack(stateDir);

  const auth = generateRegistryAuth();
  let launched: Launched[];
  try {
    launched = await launchAll(stateDir, mode, options, auth);
  } catch (error) {
    // A port taken between choosing and binding is the likely cause; one fresh set of ports settles it.
    if (!(error instanceof Error) || !/exited|killed/.test(error.message)) throw error;
    launched = await launchAll(stateDir, mode, options, auth);
  }
  const processes = launched.map((l) => l.record);
  const endpointOf = (name: ProcessRecord['name']): string =>
    `http://127.0.0.1:${processes.find((p) => p.name === name)?.port ?? 0}`;
  const state: StackState = {
    version: 1,
    mode,
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
    endpoints: {
      moto: endpointOf('moto'),
      registry: endpointOf('registry'),
      proxy: endpointOf('proxy'),
      simulator: endpointOf('simulator'),
    },
    registryAuth: auth,
    processes,
    ...(options.faultsInFront === true && { faultsInFront: true }),
  };
  writeState(stateDir, state);

  if (mode === 'detached') return toStack(state, stateDir, false, () => stopStack(stateDir).then(() => {}));

  const killOnExit = (): void => processes.forEach((p) => killGroupNow(p.pid));
  process.once('exit', killOnExit);
  return toStack(state, stateDir, false, async () => {
    process.off('exit', killOnExit);
    await stopStack(stateDir);
    if (ownsTempDir) rmSync(stateDir, { recursive: true, force: true });
  });
}

/** Stops every process recorded in `stateDir` (also ones left over by a crashed run); returns their names. */
export async function stopStack(stateDir: string = DEFAULT_STATE_DIR): Promise<string[]> {
  const state = readState(stateDir);
  if (!state) return [];
  const alive = state.processes.filter((p) => isAlive(p.pid, p.startTicks));
  await stopRecorded(state.processes);
  removeState(stateDir);
  rmSync(join(stateDir, 'registry'), { recursive: true, force: true });
  return alive.map((p) => p.name);
}

export interface StackStatus {
  readonly state?: StackState;
  readonly running: boolean;
  readonly processes: ReadonlyArray<ProcessRecord & { readonly alive: boolean }>;
}

export function stackStatus(stateDir: string = DEFAULT_STATE_DIR): StackStatus {
  const state = readState(stateDir);
  if (!state) return { running: false, processes: [] };
  const processes = state.processes.map((p) => ({ ...p, alive: isAlive(p.pid, p.startTicks) }));
  return { state, running: processes.every((p) => p.alive), processes };
}

/** The stack recorded in `stateDir` if it is running, without starting anything. */
export function runningStack(stateDir: string = DEFAULT_STATE_DIR): Stack | undefined {
  const state = readState(stateDir);
  return state && isRunning(state) ? toStack(state, stateDir, true, async () => {}) : undefined;
}
