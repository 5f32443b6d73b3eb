import { isValidTag, parseImageReference } from '@deploy-suite/kit';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  test.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['library/nginx:latest', { repository: 'library/nginx', tag: 'latest' }],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/model:abc',
      { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repository: 'ml/model', tag: 'abc' },
    ],
    [`localhost:5000/model@${DIGEST}`, { registry: 'localhost:5000', repository: 'model', digest: DIGEST }],
    [`r.example/m:v1@${DIGEST}`, { registry: 'r.example', repository: 'm', tag: 'v1', digest: DIGEST }],
    ['[::1]:5000/m:1', { registry: '[::1]:5000', repository: 'm', tag: '1' }],
  ])('%s', (value, expected) => expect(parseImageReference(value)).toEqual(expected));

  test.each([
    ['', 'is empty'],
    ['Model:1', "has an invalid repository name 'Model'"],
    ['model:-bad', "has an invalid tag '-bad'"],
    ['model@sha256:abc', "has an invalid digest 'sha256:abc' (expected sha256: and 64 hex digits)"],
    ['reg.example/a//b:1', "has an invalid repository name 'a//b'"],
    // The registry is a host name (labels of letters, digits, inner hyphens) with an optional port.
    ['\u001b[31mreg.example/m:1', "has an invalid registry '\u001b[31mreg.example'"],
    ['reg_x.example/m:1', "has an invalid registry 'reg_x.example'"],
    ['reg.example-/m:1', "has an invalid registry 'reg.example-'"],
    ['reg.example:port/m:1', "has an invalid registry 'reg.example:port'"],
  ])('%p is refused: %s', (value, why) => expect(parseImageReference(value)).toBe(why));
});

test.each([
  ['v1.2.3', true],
  ['_x', true],
  ['a'.repeat(128), true],
  ['a'.repeat(129), false],
  ['.hidden', false],
  ['has space', false],
])('isValidTag(%p) = %p', (tag, ok) => expect(isValidTag(tag)).toBe(ok));
