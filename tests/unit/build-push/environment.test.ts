import { builderEnvironment, keptForBuilder } from '../../../actions/build-push/src/environment';

// What the runner puts in a JavaScript action's environment (docs.github.com: "Variables
// reference", "Metadata syntax: inputs" for INPUT_*) and what configure-aws-credentials exports.
test.each<[string, boolean]>([
  ['PATH', true],
  ['HOME', true],
  ['TMPDIR', true],
  ['LANG', true],
  ['LC_ALL', true],
  ['TZ', true],
  ['HTTPS_PROXY', true],
  ['https_proxy', true],
  ['NO_PROXY', true],
  ['SSL_CERT_FILE', true],
  ['DOCKER_CONFIG', true],
  ['DOCKER_HOST', true],
  ['BUILDX_BUILDER', true],
  ['BUILDKIT_PROGRESS', true],
  ['BUILDAH_ISOLATION', true],
  ['STORAGE_DRIVER', true],
  ['CONTAINERS_STORAGE_CONF', true],
  ['XDG_RUNTIME_DIR', true],
  ['INPUT_SECRETS', false],
  ['INPUT_BUILD-ARGS', false],
  ['AWS_ACCESS_KEY_ID', false],
  ['AWS_SECRET_ACCESS_KEY', false],
  ['AWS_SESSION_TOKEN', false],
  ['AWS_WEB_IDENTITY_TOKEN_FILE', false],
  ['AWS_ROLE_ARN', false],
  ['AWS_PROFILE', false],
  ['AWS_CONTAINER_CREDENTIALS_FULL_URI', false],
  ['ACTIONS_RUNTIME_TOKEN', false],
  ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', false],
  ['ACTIONS_ID_TOKEN_REQUEST_URL', false],
  ['ACTIONS_CACHE_URL', false],
  ['ACTIONS_RESULTS_URL', false],
  ['GITHUB_TOKEN', false],
  ['GITHUB_WORKSPACE', false],
  ['RUNNER_TEMP', false],
  // Under a kept prefix, still a credential.
  ['DOCKER_AUTH_CONFIG', false],
  ['DOCKER_PASSWORD', false],
  ['BUILDKIT_TOKEN', false],
])('%s reaches the builder: %s', (name, kept) => {
  expect(keptForBuilder(name)).toBe(kept);
});

test('the environment is picked, values untouched, undefined dropped', () => {
  expect(
    builderEnvironment({ PATH: '/bin', HOME: undefined, AWS_SESSION_TOKEN: 't', DOCKER_CONFIG: '/d' }),
  ).toEqual({ PATH: '/bin', DOCKER_CONFIG: '/d' });
});
