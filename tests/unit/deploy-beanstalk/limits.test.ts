/**
 * What AWS would refuse, refused first. Lengths are the Elastic Beanstalk API model's
 * (botocore data/elasticbeanstalk/2010-12-01/service-2.json: ApplicationName and VersionLabel
 * 1-100, EnvironmentName 4-40, Description at most 200), counted in characters.
 */
import {
  applicationNameProblem,
  bucketProblem,
  descriptionProblem,
  environmentNameProblem,
  versionLabelProblem,
} from '../../../actions/deploy-beanstalk/src/limits';

const ok = undefined;

test.each<[string, string | undefined]>([
  ['v1', ok],
  ['x'.repeat(100), ok],
  ['é'.repeat(100), ok], // characters, not bytes or UTF-16 units
  ['🚀'.repeat(100), ok],
  ['release 1.2.3 (hotfix) \\ back', ok],
  ['', "be 1-100 characters without '/' or control characters"],
  ['x'.repeat(101), "be 1-100 characters without '/' or control characters"],
  // The service validates labels against [^/]+ (its validation error quoted in aws-elastic-beanstalk-cli PR #31).
  ['feature/x', "not contain '/'"],
  ['v1\n', 'not contain control characters'],
  ['v1\u0007', 'not contain control characters'],
  ['v1\u0085', 'not contain control characters'],
])('version label %p: %p', (label, problem) => {
  expect(versionLabelProblem(label)).toBe(problem);
});

test.each<[string, string | undefined]>([
  ['insurance-model', ok],
  ['Insurance Model (prod)', ok],
  ['a'.repeat(100), ok],
  ['a'.repeat(101), "be 1-100 characters without '/' or control characters"],
  ['team/app', "not contain '/'"],
  ['app\ttab', 'not contain control characters'],
])('application name %p: %p', (name, problem) => {
  expect(applicationNameProblem(name)).toBe(problem);
});

// CreateEnvironment: "Must be from 4 to 40 characters in length. The name can contain only
// letters, numbers, and hyphens. It can't start or end with a hyphen."
const ENV_RULE = 'be 4-40 letters, digits and hyphens, not starting or ending with a hyphen';
test.each<[string, string | undefined]>([
  ['prod', ok],
  ['insurance-model-prod', ok],
  ['a'.repeat(40), ok],
  ['A1-b2', ok],
  ['abc', ENV_RULE],
  ['a'.repeat(41), ENV_RULE],
  ['-prod', ENV_RULE],
  ['prod-', ENV_RULE],
  ['prod_env', ENV_RULE],
  ['prod.env', ENV_RULE],
  ['prød-env', ENV_RULE],
])('environment name %p: %p', (name, problem) => {
  expect(environmentNameProblem(name)).toBe(problem);
});

test.each<[string, string | undefined]>([
  ['', ok],
  ['d'.repeat(200), ok],
  ['line one\nline two', ok],
  ['d'.repeat(201), 'be at most 200 characters'],
])('description %p: %p', (text, problem) => {
  expect(descriptionProblem(text)).toBe(problem);
});

// Amazon S3 User Guide, general purpose bucket naming rules.
const BUCKET_RULE =
  'be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit';
test.each<[string, string | undefined]>([
  ['elasticbeanstalk-us-east-1-123456789012', ok],
  ['my.bundles', ok],
  ['abc', ok],
  ['ab', BUCKET_RULE],
  ['a'.repeat(64), BUCKET_RULE],
  ['My-Bundles', BUCKET_RULE],
  ['my_bundles', BUCKET_RULE],
  ['-bundles', BUCKET_RULE],
  ['my..bundles', BUCKET_RULE],
  ['192.168.1.1', BUCKET_RULE],
  ['s3://my-bundles', BUCKET_RULE],
])('bucket %p: %p', (name, problem) => {
  expect(bucketProblem(name)).toBe(problem);
});
