import { hasControlCharacter } from '@deploy-suite/kit';
import { API_LIMITS } from './api-limits.generated';

/**
 * What Elastic Beanstalk and S3 would refuse, checked before any call: each function returns
 * why a value is refused (to follow "must"), or undefined when it is accepted. Lengths come from
 * the API model (api-limits.generated.ts); the rules the model does not carry are cited where
 * they are stated.
 */

// Control characters are never part of a name or label this action writes into S3 keys, logs and
// the job summary (hasControlCharacter; an action rule: AWS's model says nothing of them).

type Limit = { readonly min: number; readonly max: number };

function length(value: string, limit: Limit): string | undefined {
  const count = [...value].length; // the model's lengths count characters, not UTF-16 units
  if (count >= limit.min && count <= limit.max) return undefined;
  return limit.min === 0 ? `be at most ${limit.max} characters` : `be ${limit.min}-${limit.max} characters`;
}

/**
 * Version labels: 1-100 characters (model), no `/` (the service validates labels against the
 * pattern `[^/]+`, as its error for a label with a slash says), no control characters.
 */
export function versionLabelProblem(value: string): string | undefined {
  const tooLong = length(value, API_LIMITS.VersionLabel);
  if (tooLong) return `${tooLong} without '/' or control characters`;
  if (value.includes('/')) return `not contain '/'`;
  if (hasControlCharacter(value)) return 'not contain control characters';
  return undefined;
}

/**
 * Application names: 1-100 characters (model); no `/` (an action rule: it separates application
 * and label in application version ARNs and in this action's S3 keys), no control characters.
 */
export function applicationNameProblem(value: string): string | undefined {
  const tooLong = length(value, API_LIMITS.ApplicationName);
  if (tooLong) return `${tooLong} without '/' or control characters`;
  if (value.includes('/')) return `not contain '/'`;
  if (hasControlCharacter(value)) return 'not contain control characters';
  return undefined;
}

// Letters, digits and hyphens, not starting or ending with a hyphen: CreateEnvironment's
// EnvironmentName (API reference and model documentation: "only letters, numbers, and hyphens. It
// can't start or end with a hyphen"; the EB CLI checks the same), and a CNAME prefix, which becomes
// the first DNS label of `<prefix>.<region>.elasticbeanstalk.com` (DNS host names, RFC 1123).
const HYPHENATED_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

function hyphenatedNameProblem(value: string, limits: Limit): string | undefined {
  if (length(value, limits) !== undefined || !HYPHENATED_NAME.test(value)) {
    return `be ${limits.min}-${limits.max} letters, digits and hyphens, not starting or ending with a hyphen`;
  }
  return undefined;
}

/** Environment names: 4-40 characters (model), letters, digits and hyphens, not starting or ending with a hyphen. */
export function environmentNameProblem(value: string): string | undefined {
  return hyphenatedNameProblem(value, API_LIMITS.EnvironmentName);
}

/** Version descriptions: at most 200 characters (model). */
export function descriptionProblem(value: string): string | undefined {
  return length(value, API_LIMITS.Description);
}

// S3 general purpose bucket naming rules (Amazon S3 User Guide, "Bucket naming rules"): 3-63
// characters of lowercase letters, digits, dots and hyphens, beginning and ending with a letter
// or digit, no two adjacent dots, not formatted as an IP address.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function bucketProblem(value: string): string | undefined {
  if (!BUCKET.test(value) || value.includes('..') || IP_ADDRESS.test(value)) {
    return 'be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit';
  }
  return undefined;
}

/** CNAME prefixes: 4-63 characters (model), one DNS label. */
export function cnamePrefixProblem(value: string): string | undefined {
  return hyphenatedNameProblem(value, API_LIMITS.DNSCnamePrefix);
}

// Platform version ARNs as Elastic Beanstalk writes them (ListPlatformVersions, PlatformArn):
// arn:<partition>:elasticbeanstalk:<region>::platform/<name>/<version>, the account empty for AWS's own.
const PLATFORM_ARN = /^arn:aws[a-z-]*:elasticbeanstalk:[a-z0-9-]+:\d{0,12}:platform\/[^/\p{Cc}]+\/[0-9.]+$/u;

export function platformArnProblem(value: string): string | undefined {
  return PLATFORM_ARN.test(value)
    ? undefined
    : 'be a platform version ARN: arn:aws:elasticbeanstalk:<region>::platform/<platform name>/<version>';
}

/** Solution stack names: free text in the model; no control characters (it goes into logs). */
export function solutionStackProblem(value: string): string | undefined {
  return hasControlCharacter(value) ? 'not contain control characters' : undefined;
}
