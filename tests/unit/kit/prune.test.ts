import { newestFirst, planPrune, readKeepVersions } from '../../../packages/kit/src/prune';
import { readEnvironmentUrl } from '../../../packages/kit/src/deployment-recorder';
import { errorOf, inputsOf } from '../../support/inputs';

// keep-versions and environment-url, read and decided once for every deploy action.
const versions = ['v1', 'v2', 'v3', 'v4'].map((label, i) => ({ label, created: (i + 1) * 10 }));

test.each<[number, string[], string[]]>([
  [0, [], []],
  [2, [], ['v1', 'v2']],
  [2, ['v1'], ['v2']],
  [1, ['v4', 'v2'], ['v1', 'v3']],
  [4, [], []],
])('planPrune keeping %p, protecting %p, deletes %p (oldest first)', (keep, protect, expected) => {
  expect(planPrune([...versions].reverse(), keep, new Set(protect))).toEqual(expected);
});

test('newestFirst keeps the order of versions created at the same time', () => {
  const same = [
    { label: 'a', created: 1 },
    { label: 'b', created: 1 },
    { label: 'c', created: 2 },
  ];
  expect(newestFirst(same).map((v) => v.label)).toEqual(['c', 'a', 'b']);
});

test.each([
  ['0', 0],
  ['1000', 1000],
])('keep-versions %p reads as %p', (value, expected) => {
  expect(readKeepVersions(inputsOf({ 'keep-versions': value }))).toBe(expected);
});

test.each(['-1', '1001', '2.5'])('keep-versions %p is refused in one line', (value) => {
  expect(errorOf(() => readKeepVersions(inputsOf({ 'keep-versions': value })))).toContain(
    "InputError: Input 'keep-versions' must be",
  );
});

test('environment-url: http(s) only; empty is none', () => {
  expect(readEnvironmentUrl(inputsOf({}))).toBeUndefined();
  expect(readEnvironmentUrl(inputsOf({ 'environment-url': 'https://a.example/x' }))).toBe(
    'https://a.example/x',
  );
  expect(errorOf(() => readEnvironmentUrl(inputsOf({ 'environment-url': 'javascript:alert(1)' })))).toContain(
    "InputError: Input 'environment-url' must be an http(s) URL; got 'javascript:alert(1)'",
  );
});
