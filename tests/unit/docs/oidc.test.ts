import { checkOidcPermissions } from '../../../scripts/validate-workflows/oidc';

// GitHub issues the OIDC token only to a job granted `id-token: write` (docs.github.com,
// "Configuring OpenID Connect in Amazon Web Services"; the GITHUB_TOKEN permissions reference).
const STEP = `
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1`;

const workflow = (top: string, job: string, on = 'push', step = STEP) => `on: ${on}
${top}
jobs:
  deploy:
    runs-on: ubuntu-24.04
${job}
    steps:${step}
`;

test.each([
  ['no permissions anywhere (the default token has no id-token)', workflow('', ''), 1],
  ['job permissions without id-token', workflow('', '    permissions:\n      contents: read'), 1],
  ['job permissions with id-token: write', workflow('', '    permissions:\n      id-token: write'), 0],
  ['workflow permissions with id-token: write', workflow('permissions:\n  id-token: write', ''), 0],
  [
    "the job's permissions replace the workflow's",
    workflow('permissions:\n  id-token: write', '    permissions:\n      contents: read'),
    1,
  ],
  ['write-all', workflow('permissions: write-all', ''), 0],
  ['permissions: {}', workflow('permissions: {}', ''), 1],
  ['a reusable workflow: the caller grants it', workflow('', '', 'workflow_call'), 0],
  [
    'access keys instead of a role through OIDC',
    workflow('', '', 'push', STEP + '\n          aws-access-key-id: ${{ secrets.KEY }}'),
    0,
  ],
])('%s: %i problem(s)', (_case, text, count) => {
  expect(checkOidcPermissions('w.yml', text)).toHaveLength(count);
});

test('the problem names the job and the line of the step', () => {
  expect(checkOidcPermissions('w.yml', workflow('', ''))).toEqual([
    {
      file: 'w.yml',
      line: 8,
      message:
        "job 'deploy': configure-aws-credentials assumes a role with the OIDC token, but the job's permissions lack 'id-token: write'",
    },
  ]);
});
