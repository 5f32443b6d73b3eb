import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

function listenOnAnyPort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

/** `count` distinct free ports on 127.0.0.1, held open together while chosen so they differ. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(servers.map(listenOnAnyPort));
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export function logTail(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) return '(no log)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export interface WaitOptions {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly timeoutMs?: number;
}

/** Resolves once `url` answers HTTP at all (any status); fails early if the process exits. */
export async function waitUntilAnswering(url: string, options: WaitOptions): Promise<void> {
  const { name, child, logFile, timeoutMs = 30_000 } = options;
  let exited: string | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  };
  child.once('exit', onExit);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited)
        throw new Error(`${name} ${exited} before answering on ${url}. Log ${logFile}:\n${logTail(logFile)}`);
      try {
        await fetch(url, { signal: AbortSignal.timeout(1000) });
        return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${name} did not answer on ${url} within ${timeoutMs} ms. Log ${logFile}:\n${logTail(logFile)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child.off('exit', onExit);
  }
}
