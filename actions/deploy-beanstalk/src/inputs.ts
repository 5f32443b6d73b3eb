import { statSync } from 'node:fs';
import {
  InputError,
  parseImageReference,
  readKeepVersions,
  readTimeout,
  readWait,
  type InputReader,
} from '@deploy-suite/kit';
import { readGitHubDeploymentInputs, type GitHubDeploymentInputs } from '@deploy-suite/kit';
import {
  applicationNameProblem,
  bucketProblem,
  cnamePrefixProblem,
  descriptionProblem,
  environmentNameProblem,
  platformArnProblem,
  solutionStackProblem,
  versionLabelProblem,
} from './limits';
import {
  combineSettings,
  environmentSettings,
  OptionProblem,
  parseOptionSettings,
  type OptionSetting,
} from './options';

export const HEALTH_COLOURS = ['Green', 'Yellow', 'Red', 'Grey'] as const;
export type HealthColour = (typeof HEALTH_COLOURS)[number];

export type Source =
  | { kind: 'image'; image: string; containerPort: number }
  | { kind: 'package'; path: string }
  | { kind: 'existing-version' };

export const TIERS = ['WebServer', 'Worker'] as const;

/** What to create when missing; environment only when create-environment is on. */
export interface Creation {
  application: boolean;
  environment:
    | {
        platform: { SolutionStackName: string } | { PlatformArn: string };
        cnamePrefix: string | undefined;
        tier: (typeof TIERS)[number];
      }
    | undefined;
}

export interface Inputs {
  application: string;
  environment: string | undefined;
  versionLabel: string;
  /** The short commit SHA when version-label was left empty: versions of this commit may be reused. */
  commit: string | undefined;
  versionDescription: string | undefined;
  source: Source;
  bucket: string | undefined;
  wait: boolean;
  timeoutMs: number;
  healthyStates: readonly HealthColour[];
  rollbackOnFailure: boolean;
  /** After Ready on the new version, how long Red or Degraded health is watched before it counts as a failure. */
  healthGraceMs: number;
  /** option-settings and environment-variables, applied with the version in one UpdateEnvironment. */
  settings: readonly OptionSetting[];
  create: Creation;
  rollbackTo: { kind: 'previous' } | { kind: 'version'; label: string } | undefined;
  keepVersions: number;
  region: string | undefined;
  /** The GitHub deployment to record; by default under the environment's name. */
  github: GitHubDeploymentInputs;
}

const ARCHIVE = /\.(zip|war|jar)$/i;

/** Every input, validated, before any call that changes AWS. */
export function readInputs(read: InputReader, env: NodeJS.ProcessEnv = process.env): Readonly<Inputs> {
  const application = checked('application-name', read.required('application-name'), applicationNameProblem);
  const environment = optionalChecked(
    'environment-name',
    read.optional('environment-name'),
    environmentNameProblem,
  );
  const rollbackTo = readRollbackTarget(read.optional('rollback-to'));
  if (rollbackTo !== undefined && environment === undefined) {
    throw new InputError('rollback-to', 'needs environment-name: the environment to roll back');
  }
  const givenLabel = read.optional('version-label');
  const commit = givenLabel === undefined ? shortSha(env) : undefined;
  const versionLabel = checked(
    'version-label',
    givenLabel ?? `${commit}-${env.GITHUB_RUN_ATTEMPT?.trim() || '1'}`,
    versionLabelProblem,
  );
  return Object.freeze({
    application,
    environment,
    versionLabel,
    commit,
    versionDescription: optionalChecked(
      'version-description',
      read.optional('version-description'),
      descriptionProblem,
    ),
    source: readSource(read, rollbackTo !== undefined),
    bucket: optionalChecked('bucket', read.optional('bucket'), bucketProblem),
    wait: readWait(read),
    timeoutMs: readTimeout(read),
    healthyStates: readHealthyStates(read.list('healthy-states')),
    rollbackOnFailure: read.bool('rollback-on-failure'),
    healthGraceMs: read.int('health-grace-seconds', { min: 0, max: 3600 }) * 1000,
    settings: readSettings(read, environment, rollbackTo !== undefined),
    create: readCreation(read, environment, rollbackTo !== undefined),
    rollbackTo,
    keepVersions: readKeepVersions(read),
    region: read.optional('aws-region'),
    github: readGitHubDeploymentInputs(read, environment ?? ''),
  });
}

function readSource(read: InputReader, rollingBack: boolean): Source {
  const image = read.optional('image');
  const pkg = read.optional('deployment-package');
  if (image !== undefined && pkg !== undefined) {
    throw new InputError('deployment-package', 'cannot be combined with image: give one or the other');
  }
  if (rollingBack && (image !== undefined || pkg !== undefined)) {
    throw new InputError('rollback-to', 'redeploys an existing version; drop image and deployment-package');
  }
  if (image !== undefined) {
    const ref = parseImageReference(image);
    if (typeof ref === 'string') throw new InputError('image', `${ref}; got '${image}'`);
    return { kind: 'image', image, containerPort: read.int('container-port', { min: 1, max: 65535 }) };
  }
  if (pkg !== undefined) {
    const path = read.path('deployment-package', pkg, 'file or directory');
    if (statSync(path).isFile() && !ARCHIVE.test(path)) {
      throw new InputError(
        'deployment-package',
        `must be a folder or a .zip, .war or .jar file; got '${pkg}'`,
      );
    }
    return { kind: 'package', path };
  }
  return { kind: 'existing-version' };
}

/** The value when `problem` finds none; else an InputError naming the input, what it must be and the value. */
function checked(name: string, value: string, problem: (value: string) => string | undefined): string {
  const why = problem(value);
  if (why !== undefined) throw new InputError(name, `must ${why}; got '${shown(value)}'`);
  return value;
}

function optionalChecked(
  name: string,
  value: string | undefined,
  problem: (value: string) => string | undefined,
): string | undefined {
  return value === undefined ? undefined : checked(name, value, problem);
}

/** A refused value as the error line shows it: long ones cut, so the line stays one line long. */
function shown(value: string): string {
  const chars = [...value];
  return chars.length > 120 ? `${chars.slice(0, 120).join('')}… (${chars.length} characters)` : value;
}

function readSettings(
  read: InputReader,
  environment: string | undefined,
  rollingBack: boolean,
): OptionSetting[] {
  const parsed = (name: string, parse: () => OptionSetting[]): OptionSetting[] => {
    try {
      return parse();
    } catch (err) {
      if (err instanceof OptionProblem) throw new InputError(name, err.message);
      throw err;
    }
  };
  const options = parsed('option-settings', () => parseOptionSettings(read.string('option-settings')));
  const variables = parsed('environment-variables', () =>
    environmentSettings(read.keyValues('environment-variables')),
  );
  const { settings, problem } = combineSettings(options, variables);
  if (problem !== undefined) throw new InputError(problem.input, problem.why);
  if (settings.length === 0) return settings;
  const input = options.length > 0 ? 'option-settings' : 'environment-variables';
  if (environment === undefined)
    throw new InputError(input, 'needs environment-name: the environment to configure');
  if (rollingBack)
    throw new InputError(input, 'cannot be combined with rollback-to, which redeploys a version as it was');
  return settings;
}

function readCreation(read: InputReader, environment: string | undefined, rollingBack: boolean): Creation {
  const stack = optionalChecked(
    'solution-stack-name',
    read.optional('solution-stack-name'),
    solutionStackProblem,
  );
  const arn = optionalChecked('platform-arn', read.optional('platform-arn'), platformArnProblem);
  const cnamePrefix = optionalChecked('cname-prefix', read.optional('cname-prefix'), cnamePrefixProblem);
  const tierText = read.optional('tier') ?? 'WebServer';
  const tier = TIERS.find((t) => t === tierText);
  if (tier === undefined)
    throw new InputError('tier', `must be WebServer or Worker; got '${shown(tierText)}'`);
  const application = read.bool('create-application');
  if (!read.bool('create-environment')) {
    const stray = [
      ['solution-stack-name', stack],
      ['platform-arn', arn],
      ['cname-prefix', cnamePrefix],
      ['tier', read.optional('tier')],
    ].find(([, value]) => value !== undefined);
    if (stray) throw new InputError(stray[0] ?? '', 'is only used with create-environment: true');
    return { application, environment: undefined };
  }
  if (environment === undefined)
    throw new InputError('create-environment', 'needs environment-name: the environment to create');
  if (rollingBack) throw new InputError('create-environment', 'cannot be combined with rollback-to');
  if (stack !== undefined && arn !== undefined) {
    throw new InputError(
      'platform-arn',
      'cannot be combined with solution-stack-name: give one or the other',
    );
  }
  if (stack === undefined && arn === undefined) {
    throw new InputError(
      'create-environment',
      'needs solution-stack-name or platform-arn: the platform to create it on',
    );
  }
  if (cnamePrefix !== undefined && tier === 'Worker') {
    throw new InputError('cname-prefix', 'is for the WebServer tier; a Worker environment has no CNAME');
  }
  return {
    application,
    environment: {
      platform: stack !== undefined ? { SolutionStackName: stack } : { PlatformArn: arn ?? '' },
      cnamePrefix,
      tier,
    },
  };
}

function readRollbackTarget(value: string | undefined): Inputs['rollbackTo'] {
  if (value === undefined) return undefined;
  if (value === 'previous') return { kind: 'previous' };
  const why = versionLabelProblem(value);
  if (why !== undefined) {
    throw new InputError(
      'rollback-to',
      `must be previous or a version label (${why}); got '${shown(value)}'`,
    );
  }
  return { kind: 'version', label: value };
}

function readHealthyStates(values: readonly string[]): HealthColour[] {
  if (values.length === 0) return ['Green'];
  return values.map((value) => {
    const colour = HEALTH_COLOURS.find((c) => c.toLowerCase() === value.toLowerCase());
    if (colour === undefined || colour === 'Red' || colour === 'Grey') {
      throw new InputError('healthy-states', `accepts Green and Yellow; got '${value}'`);
    }
    return colour;
  });
}

/**
 * The default label is the short SHA plus the run attempt; the SHA alone lets a re-run (a new
 * attempt) find and reuse the version an earlier attempt of the same commit made.
 */
function shortSha(env: NodeJS.ProcessEnv): string {
  const sha = env.GITHUB_SHA?.trim();
  if (!sha) throw new InputError('version-label', 'is empty and GITHUB_SHA is not set; give a label');
  return sha.slice(0, 7);
}
