import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../actions/sync-dags/src/inputs';
import { loadManifest } from '../../support/harness/manifest';
import { errorOf, inputsOf } from '../../support/inputs';

const workspace = mkdtempSync(join(tmpdir(), 'sync-dags-inputs-'));
mkdirSync(join(workspace, 'dags'));

/** The defaults the runner fills in from action.yml, so each test states only what it changes. */
const defaults = Object.fromEntries(
  Object.entries(loadManifest(join(__dirname, '../../../actions/sync-dags')).inputs).flatMap(
    ([name, spec]) => (spec.default === undefined ? [] : [[name, spec.default]]),
  ),
);
const read = (overrides: Record<string, string>) =>
  readInputs(
    inputsOf({ ...defaults, bucket: 'airflow-prod', ...overrides }, { GITHUB_WORKSPACE: workspace }),
  );

describe('sync-dags inputs', () => {
  it('uploads every file by default, reads .airflowignore syntax from the environment, and limits deletes', () => {
    expect(read({})).toMatchObject({
      respectAirflowignore: false,
      airflowignoreSyntax: 'auto',
      maxDelete: 50,
      maxDeletePercent: 25,
      prefix: 'dags/',
      validateTimeoutMs: 10 * 60_000,
    });
  });

  it.each([
    ['', 10 * 60_000],
    ['0', 0],
    ['2.5', 150_000],
  ])('lease-timeout-minutes %j waits %i ms for another run', (value, ms) => {
    const given = value === '' ? {} : { 'lease-timeout-minutes': value };
    expect(read(given).leaseTimeoutMs).toBe(ms);
  });

  it.each(['-1', 'soon', '361'])('refuses lease-timeout-minutes %s, naming the input', (value) => {
    expect(errorOf(() => read({ 'lease-timeout-minutes': value }))).toMatch(
      /^InputError: Input 'lease-timeout-minutes' /,
    );
  });

  it('keeps respect-airflowignore: true as the opt-in that leaves ignored files out', () => {
    expect(read({ 'respect-airflowignore': 'true' }).respectAirflowignore).toBe(true);
  });

  it.each(['regexp', 'glob', 'auto'])('accepts airflowignore-syntax %s', (syntax) => {
    expect(read({ 'airflowignore-syntax': syntax }).airflowignoreSyntax).toBe(syntax);
  });

  it('names the accepted syntaxes', () => {
    expect(errorOf(() => read({ 'airflowignore-syntax': 'gitignore' }))).toBe(
      "InputError: Input 'airflowignore-syntax' must be one of auto, regexp, glob; got 'gitignore'",
    );
  });

  it('refuses delete at the bucket root unless allowed', () => {
    expect(errorOf(() => read({ prefix: '', delete: 'true' }))).toMatch(
      /^InputError: Input 'prefix' is empty \(the bucket root\) while delete is true: .*set allow-bucket-root: true$/,
    );
    expect(errorOf(() => read({ prefix: '/', delete: 'true' }))).toMatch(
      /^InputError: Input 'prefix' is empty/,
    );
    expect(read({ prefix: '', delete: 'true', 'allow-bucket-root': 'true' })).toMatchObject({
      prefix: '',
      delete: true,
    });
    expect(read({ prefix: '', delete: 'false' }).prefix).toBe('');
  });

  // An S3 key is at most 1,024 bytes of UTF-8 (Amazon S3 User Guide, "Naming Amazon S3 objects").
  it.each([
    ['dags\n::set-output name=x::y', /^InputError: Input 'prefix' must not contain control characters/],
    ['\u001b[31mdags', /^InputError: Input 'prefix' must not contain control characters/],
    ['dags\u0085x', /^InputError: Input 'prefix' must not contain control characters/],
    [
      'é'.repeat(512) + 'x',
      /^InputError: Input 'prefix' is 1026 bytes; an S3 object key holds at most 1024 bytes$/,
    ],
  ])('prefix %p is refused', (prefix, why) => {
    expect(errorOf(() => read({ prefix }))).toMatch(why);
  });

  it('takes a prefix of 1,024 bytes', () => {
    expect(read({ prefix: `${'a'.repeat(1023)}/` }).prefix).toHaveLength(1024);
  });

  it.each([
    ['max-delete', '-1', 'must be of at least 0; got -1'],
    ['max-delete', 'many', "must be a whole number of at least 0; got 'many'"],
    ['max-delete-percent', '101', 'must be from 0 to 100; got 101'],
  ])('%s %s is refused', (name, value, why) => {
    expect(errorOf(() => read({ [name]: value }))).toBe(`InputError: Input '${name}' ${why}`);
  });
});
