/** What the e2e scenario observes inside its namespaces, handed to the test as JSON. */
export const REPOSITORY = 'ml/e2e-model';
export const TAGS = ['e2e-1', 'stable'];
export const SECRET = 'hub-token-5f2c9a7e';
export const MODEL_VERSION = 'v3.1';

export interface RunFacts {
  exitCode: number;
  postExitCode: number | undefined;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  masked: string[];
  seconds: number;
}

export interface E2eFacts {
  registryHost: string;
  password: string;
  token: string;
  first: RunFacts;
  second: RunFacts;
  manifest: { status: number; bodyDigest: string; mediaType: string };
  config: { labels: Record<string, string> };
  files: Record<string, string>;
  secretInBlobs: boolean;
  builderCommandLines: string[][];
  /** Processes whose command line held the password, the token or the build secret. */
  leaks: string[];
  /** The folder login wrote to, after the post step. */
  workDirLeftOver: boolean;
  workDirSaved: boolean;
}
