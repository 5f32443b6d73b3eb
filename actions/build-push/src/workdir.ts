import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildFiles } from './plan';

/**
 * A private folder (0700) under the runner's temp for what login and the build write: registry
 * credentials, secret files, digests. The post step removes it.
 */
export class WorkDir {
  readonly path: string;

  constructor(root: string | undefined) {
    this.path = mkdtempSync(join(root || tmpdir(), 'build-push-'));
    chmodSync(this.path, 0o700);
  }

  /** Secret values as files (0600) for the builder to mount; removed by removeSecrets(). */
  writeSecrets(secrets: ReadonlyMap<string, string>): Map<string, string> {
    const dir = join(this.path, 'secrets');
    mkdirSync(dir, { mode: 0o700, recursive: true });
    const files = new Map<string, string>();
    for (const [id, value] of secrets) {
      const file = join(dir, id);
      writeFileSync(file, value, { mode: 0o600 });
      files.set(id, file);
    }
    return files;
  }

  removeSecrets(): void {
    rmSync(join(this.path, 'secrets'), { recursive: true, force: true });
  }

  files(secretFiles: ReadonlyMap<string, string>): BuildFiles {
    return {
      authFile: join(this.path, 'auth.json'),
      secretFiles,
      metadataFile: join(this.path, 'metadata.json'),
      digestFile: (index) => join(this.path, `digest-${index}`),
    };
  }

  /** A file a tool wrote, or undefined when it wrote none. */
  read(file: string): string | undefined {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }
}

export function removeWorkDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
