import {
  compareFile,
  pathsToCheck,
  planSync,
  type HashedFile,
  type RemoteObject,
} from '../../../actions/sync-dags/src/plan';

const MD5 = '0cc175b9c0f1b6a831c399e269772661';
const OTHER = '92eb5ffee6ae2fec3ad71c777531578f';

describe('compareFile decides by content, never by time', () => {
  it.each([
    ['no object', undefined, undefined, 'new'],
    ['single-part ETag equal to the MD5', { size: 1, etag: `"${MD5}"` }, undefined, 'unchanged'],
    ['different size', { size: 2, etag: `"${MD5}"` }, undefined, 'changed'],
    [
      'same size, other ETag: ask the metadata (KMS ETags are not MD5s)',
      { size: 1, etag: `"${OTHER}"` },
      undefined,
      'check-metadata',
    ],
    ['multipart ETag', { size: 1, etag: `"${OTHER}-3"` }, undefined, 'check-metadata'],
    ['multipart ETag, stored MD5 equal', { size: 1, etag: `"${OTHER}-3"` }, { md5: MD5 }, 'unchanged'],
    ['multipart ETag, stored MD5 differs', { size: 1, etag: `"${OTHER}-3"` }, { md5: OTHER }, 'changed'],
    ['multipart ETag, no stored MD5', { size: 1, etag: `"${OTHER}-3"` }, { md5: undefined }, 'changed'],
    ['no ETag at all', { size: 1, etag: undefined }, undefined, 'changed'],
  ] as const)('%s', (_name, remote, stored, verdict) => {
    expect(compareFile({ size: 1, md5: MD5 }, remote, stored)).toBe(verdict);
  });
});

function local(path: string, md5 = MD5, size = 1): HashedFile {
  return { path, absolutePath: `/work/dags/${path}`, size, md5 };
}

function remote(path: string, etag: string, size = 1, prefix = 'dags/'): [string, RemoteObject] {
  return [path, { key: prefix + path, path, size, etag: `"${etag}"` }];
}

describe('planSync', () => {
  const options = { prefix: 'dags/', delete: true, selected: () => true, protectedKeys: new Set<string>() };

  it('uploads new and changed files, keeps equal ones, deletes objects gone locally', () => {
    const plan = planSync(
      [local('a.py'), local('b.py', OTHER), local('c.py')],
      new Map([remote('a.py', MD5), remote('b.py', MD5, 5), remote('gone.py', MD5)]),
      new Map(),
      options,
    );
    expect(plan.upload.map((f) => [f.key, f.reason])).toEqual([
      ['dags/b.py', 'changed'],
      ['dags/c.py', 'new'],
    ]);
    expect(plan.unchanged.map((f) => f.path)).toEqual(['a.py']);
    expect(plan.delete.map((f) => f.key)).toEqual(['dags/gone.py']);
  });

  it('deletes nothing unless asked', () => {
    const plan = planSync([], new Map([remote('gone.py', MD5)]), new Map(), { ...options, delete: false });
    expect(plan.delete).toEqual([]);
  });

  it('never deletes what the filters leave out or what MWAA pins', () => {
    const plan = planSync(
      [],
      new Map([remote('tests/t.py', MD5), remote('requirements.txt', MD5), remote('old.py', MD5)]),
      new Map(),
      {
        ...options,
        selected: (path) => !path.startsWith('tests/'),
        protectedKeys: new Set(['dags/requirements.txt']),
      },
    );
    expect(plan.delete.map((f) => f.path)).toEqual(['old.py']);
  });

  it('uses the stored MD5 for objects whose ETag cannot tell', () => {
    const objects = new Map([remote('big.bin', `${OTHER}-2`), remote('edited.py', OTHER)]);
    const files = [local('big.bin'), local('edited.py')];
    expect(pathsToCheck(files, objects)).toEqual(['big.bin', 'edited.py']);
    const plan = planSync(
      files,
      objects,
      new Map([
        ['big.bin', MD5],
        ['edited.py', OTHER],
      ]),
      options,
    );
    expect(plan.unchanged.map((f) => f.path)).toEqual(['big.bin']);
    expect(plan.upload.map((f) => f.path)).toEqual(['edited.py']);
  });
});
