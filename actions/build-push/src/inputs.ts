import { join } from 'node:path';
import { InputError, isValidTag, type InputReader } from '@deploy-suite/kit';

export const ENGINES = ['auto', 'docker', 'buildah'] as const;
export type Engine = (typeof ENGINES)[number];
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Inputs {
  repository: string;
  context: string;
  file: string;
  target: string | undefined;
  buildArgs: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, string>;
  labels: ReadonlyMap<string, string>;
  platforms: readonly string[];
  tags: readonly string[];
  engine: Engine;
  push: boolean;
  createRepository: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  skipIfExists: boolean;
  cache: boolean;
  provenance: boolean;
  failOnSeverity: Severity | undefined;
  scanTimeoutMs: number;
  /** Every builder process of the step (checks, login, build, push) ends within this of the first. */
  buildTimeoutMs: number;
  region: string | undefined;
}

// ECR's own rule for repository names, namespaces included.
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
// BuildKit's rule for a stage name (frontend/dockerfile/instructions/parse.go), matched without
// regard to case as BuildKit lower-cases names first.
const STAGE = /^[a-z][a-z0-9-_.]*$/i;
// ECR service quota: at most 1,000 tags on one image.
const MAX_TAGS = 1000;
// Words in a build argument's name that say it holds a credential; KEY only as a word of its own
// (API_KEY, apiKey, SSH-KEY) so MONKEY or KEYBOARD pass.
const SECRET_WORD = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL/i;
const KEY_WORD = /^(?:API|ACCESS|PRIVATE|SSH|SIGNING)?KEYS?$/i;

/**
 * Build arguments whose names look like credentials. A build argument's value is kept in the
 * image's history for anyone who pulls it; a credential belongs in `secrets:`.
 */
export function secretLikeBuildArgs(buildArgs: ReadonlyMap<string, string>): string[] {
  return [...buildArgs.keys()].filter((name) => {
    const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[_\-.]+/);
    return SECRET_WORD.test(name) || words.some((word) => KEY_WORD.test(word));
  });
}

/** Every input, validated, before anything is built or anything in AWS changes. */
export function readInputs(read: InputReader, env: NodeJS.ProcessEnv = process.env): Readonly<Inputs> {
  const repository = read.required('repository');
  if (repository.length < 2 || repository.length > 256 || !REPOSITORY.test(repository)) {
    throw new InputError(
      'repository',
      `must be an ECR repository name (lowercase letters, digits, and . _ - / between them; 2-256 characters); got '${repository}'`,
    );
  }
  const context = read.path('context', read.string('context') || '.', 'directory');
  const file = read.path('file', read.optional('file') ?? join(context, 'Dockerfile'), 'file');
  const tags = read.lines('tags');
  if (tags.length === 0) {
    const sha = env.GITHUB_SHA?.trim();
    if (!sha) throw new InputError('tags', 'is empty and GITHUB_SHA is not set; give at least one tag');
    tags.push(sha);
  }
  if (tags.length > MAX_TAGS) {
    throw new InputError('tags', `has ${tags.length} tags; ECR keeps at most ${MAX_TAGS} on one image`);
  }
  for (const tag of tags) {
    if (!isValidTag(tag)) {
      throw new InputError(
        'tags',
        `has '${tag}', which is not a valid tag (letters, digits, _ . -; up to 128; not starting with . or -)`,
      );
    }
  }
  const secrets = read.keyValues('secrets');
  for (const id of secrets.keys()) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(id))
      throw new InputError(
        'secrets',
        `has an invalid secret id '${id}' (letters, digits, _ . -; not starting with - or .)`,
      );
  }
  const platforms = read.list('platforms');
  for (const platform of platforms) {
    if (!PLATFORM.test(platform))
      throw new InputError('platforms', `has '${platform}', expected os/arch such as linux/amd64`);
  }
  const target = read.optional('target');
  if (target !== undefined && !STAGE.test(target)) {
    throw new InputError(
      'target',
      `has '${target}', which is not a build stage name (a letter, then letters, digits, - _ .)`,
    );
  }
  const severity = read.optional('fail-on-severity')?.toUpperCase();
  if (severity !== undefined && !SEVERITIES.some((s) => s === severity)) {
    throw new InputError(
      'fail-on-severity',
      `must be one of ${SEVERITIES.join(', ')} or empty; got '${severity}'`,
    );
  }
  return Object.freeze({
    repository,
    context,
    file,
    target,
    buildArgs: read.keyValues('build-args'),
    secrets,
    labels: read.keyValues('labels'),
    platforms,
    tags,
    engine: read.oneOf('engine', ENGINES),
    push: read.bool('push'),
    createRepository: read.bool('create-repository'),
    tagMutability: read.oneOf('tag-mutability', ['MUTABLE', 'IMMUTABLE'] as const),
    skipIfExists: read.bool('skip-if-exists'),
    cache: read.bool('cache'),
    provenance: read.bool('provenance'),
    failOnSeverity: severity as Severity | undefined,
    scanTimeoutMs: read.minutes('scan-timeout-minutes', { min: 0, max: 60 }),
    // The limits of every action's timeout-minutes: a short test deadline and a 6-hour job both fit.
    buildTimeoutMs: read.minutes('build-timeout-minutes', { min: 0.1, max: 360 }),
    region: read.optional('aws-region'),
  });
}
