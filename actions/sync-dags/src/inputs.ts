import { hasControlCharacter, InputError, readTimeout, readWait, type InputReader } from '@deploy-suite/kit';
import { SYNTAX_CHOICES, type SyntaxChoice } from './ignore-syntax';

export type Validation = { kind: 'syntax' } | { kind: 'none' } | { kind: 'command'; command: string };

export interface MwaaInputs {
  environment: string;
  waitForEnvironment: boolean;
  timeoutMs: number;
}

export interface Inputs {
  source: string;
  bucket: string;
  prefix: string;
  delete: boolean;
  include: readonly string[];
  exclude: readonly string[];
  /** Leave out of the upload what .airflowignore names (opt-in: Airflow still imports those files). */
  respectAirflowignore: boolean;
  airflowignoreSyntax: SyntaxChoice;
  /** A run that would delete more objects than this fails before changing anything. */
  maxDelete: number;
  /** ... or more than this share (percent) of the objects under the prefix. */
  maxDeletePercent: number;
  dryRun: boolean;
  validate: Validation;
  /** Deadline for the syntax check or the validation command. */
  validateTimeoutMs: number;
  concurrency: number;
  /** How long to wait for another run's lease on the prefix; 0 fails at once. */
  leaseTimeoutMs: number;
  region: string | undefined;
  requirements: string | undefined;
  plugins: string | undefined;
  startupScript: string | undefined;
  mwaa: MwaaInputs | undefined;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MWAA_NAME = /^[a-zA-Z][0-9a-zA-Z_-]{0,79}$/;
// "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024
// bytes long" (Amazon S3 User Guide, "Naming Amazon S3 objects").
const MAX_KEY_BYTES = 1024;

/** Every input, validated, before anything touches S3 or MWAA. */
export function readInputs(read: InputReader): Readonly<Inputs> {
  const bucket = read.required('bucket');
  if (bucket.startsWith('s3://') || bucket.startsWith('arn:')) {
    throw new InputError('bucket', `must be a bucket name, not '${bucket}' (drop the s3:// or ARN part)`);
  }
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new InputError(
      'bucket',
      `must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens); got '${bucket}'`,
    );
  }
  const environment = read.optional('mwaa-environment');
  if (environment !== undefined && !MWAA_NAME.test(environment)) {
    throw new InputError(
      'mwaa-environment',
      `must be an MWAA environment name (a letter, then letters, digits, - or _; up to 80); got '${environment}'`,
    );
  }
  const requirements = read.optional('requirements');
  const plugins = read.optional('plugins');
  const startupScript = read.optional('startup-script');
  const prefix = normalisePrefix(read.string('prefix'));
  if (hasControlCharacter(prefix)) {
    throw new InputError(
      'prefix',
      `must not contain control characters (it starts every key and log line); got '${prefix}'`,
    );
  }
  if (Buffer.byteLength(prefix) > MAX_KEY_BYTES) {
    throw new InputError(
      'prefix',
      `is ${Buffer.byteLength(prefix)} bytes; an S3 object key holds at most ${MAX_KEY_BYTES} bytes`,
    );
  }
  const deleting = read.bool('delete');
  if (deleting && prefix === '' && !read.bool('allow-bucket-root')) {
    throw new InputError(
      'prefix',
      'is empty (the bucket root) while delete is true: every object in the bucket would be a candidate for deletion; give the DAGs prefix (e.g. dags/), or set allow-bucket-root: true',
    );
  }
  return Object.freeze({
    source: read.path('source', read.required('source'), 'directory'),
    bucket,
    prefix,
    delete: deleting,
    include: read.lines('include'),
    exclude: read.lines('exclude'),
    respectAirflowignore: read.bool('respect-airflowignore'),
    airflowignoreSyntax: read.oneOf('airflowignore-syntax', SYNTAX_CHOICES),
    maxDelete: read.int('max-delete', { min: 0 }),
    maxDeletePercent: read.int('max-delete-percent', { min: 0, max: 100 }),
    dryRun: read.bool('dry-run'),
    validate: readValidation(read.string('validate')),
    validateTimeoutMs: read.minutes('validate-timeout-minutes', { min: 0.01, max: 360 }),
    concurrency: read.int('concurrency', { min: 1, max: 64 }),
    leaseTimeoutMs: read.minutes('lease-timeout-minutes', { min: 0, max: 360 }),
    region: read.optional('aws-region'),
    requirements: requirements === undefined ? undefined : read.path('requirements', requirements, 'file'),
    plugins: plugins === undefined ? undefined : read.path('plugins', plugins, 'file or directory'),
    startupScript:
      startupScript === undefined ? undefined : read.path('startup-script', startupScript, 'file'),
    mwaa:
      environment === undefined
        ? undefined
        : {
            environment,
            waitForEnvironment: readWait(read, 'wait-for-environment'),
            timeoutMs: readTimeout(read),
          },
  });
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function readValidation(value: string): Validation {
  if (value === '' || value === 'syntax') return { kind: 'syntax' };
  if (value === 'none') return { kind: 'none' };
  return { kind: 'command', command: value };
}
