import { execFileSync } from 'node:child_process';

export class GitError extends Error {
  override readonly name = 'GitError';
}

/**
 * git in one working directory. `configArgs` (e.g. an auth header) go before every command and are
 * never part of an error message, so a token cannot reach the log.
 */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly configArgs: readonly string[] = [],
  ) {}

  run(args: readonly string[]): string {
    return this.bytes(args).toString('utf8');
  }

  bytes(args: readonly string[]): Buffer {
    try {
      return execFileSync('git', [...this.configArgs, ...args], {
        cwd: this.cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString('utf8').trim() ?? '';
      throw new GitError(`git ${args.join(' ')} failed${stderr === '' ? '' : `: ${stderr}`}`);
    }
  }

  /** For questions whose "no" is a failing exit code (a missing ref, an unset config value). */
  tryRun(args: readonly string[]): string | undefined {
    try {
      return this.run(args);
    } catch (err) {
      if (err instanceof GitError) return undefined;
      throw err;
    }
  }

  withConfig(cwd: string): Git {
    return new Git(cwd, this.configArgs);
  }
}

/** Refs of a remote by full name; annotated tags resolved to the commit they point at. */
export function parseLsRemote(output: string): Map<string, string> {
  const refs = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (sha === undefined || ref === undefined) continue;
    if (ref.endsWith('^{}')) peeled.set(ref.slice(0, -3), sha);
    else refs.set(ref, sha);
  }
  for (const [ref, sha] of peeled) refs.set(ref, sha);
  return refs;
}

/** An `http.extraheader` for https remotes, the way a checkout authenticates with a token. */
export function authConfigArgs(url: string, token: string | undefined): string[] {
  if (token === undefined || !url.startsWith('https://')) return [];
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return ['-c', `http.extraheader=AUTHORIZATION: basic ${basic}`];
}
