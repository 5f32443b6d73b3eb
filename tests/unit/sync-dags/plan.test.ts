import {
  checkDeleteLimits,
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

  it('never deletes a key outside the prefix, even if a listing returned one', () => {
    const plan = planSync(
      [],
      new Map([
        remote('old.py', MD5),
        ['stray.py', { key: 'elsewhere/stray.py', path: 'stray.py', size: 1, etag: `"${MD5}"` }],
      ]),
      new Map(),
      options,
    );
    expect(plan.delete.map((f) => f.key)).toEqual(['dags/old.py']);
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

describe('delete limits refuse a plan before anything changes', () => {
  const planDeleting = (count: number) => ({
    upload: [],
    unchanged: [],
    delete: Array.from({ length: count }, (_, i) => ({ path: `d${i}.py`, key: `dags/d${i}.py`, size: 1 })),
  });
  const limits = { maxDelete: 50, maxDeletePercent: 25 };

  it.each([
    ['nothing to delete', 0, 0, limits, undefined],
    ['one deletion of the only object', 1, 1, limits, undefined],
    ['up to 5 deletions are never refused by the share: 2 of 4', 2, 4, limits, undefined],
    ['up to 5 deletions are never refused by the share: 5 of 5', 5, 5, limits, undefined],
    ['6 of 6 is refused by the share', 6, 6, limits, 'max-delete-percent'],
    ['10 of 1,000', 10, 1000, limits, undefined],
    ['50 of 1,000: at the count limit', 50, 1000, limits, undefined],
    ['51 of 1,000: above the count limit', 51, 1000, limits, 'max-delete'],
    ['25 of 100: at the share limit', 25, 100, limits, undefined],
    ['26 of 100: above the share limit', 26, 100, limits, 'max-delete-percent'],
    ['every object under the prefix', 20, 20, limits, 'max-delete-percent'],
    ['share check off at 100', 20, 20, { maxDelete: 50, maxDeletePercent: 100 }, undefined],
    ['max-delete 0 refuses any deletion', 1, 1000, { maxDelete: 0, maxDeletePercent: 100 }, 'max-delete'],
  ] as const)('%s', (_name, count, underPrefix, given, input) => {
    const check = () => checkDeleteLimits(planDeleting(count), underPrefix, given, 's3://b/dags/');
    if (input === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ name: 'InputError', input }));
  });

  it('names the count, the total and what to do, in one line', () => {
    expect(() => checkDeleteLimits(planDeleting(60), 80, limits, 's3://b/dags/')).toThrow(
      "Input 'max-delete' is 50, but the plan deletes 60 of the 80 objects under s3://b/dags/; nothing was uploaded or deleted; check source and prefix, or raise max-delete",
    );
    expect(() => checkDeleteLimits(planDeleting(8), 10, limits, 's3://b/dags/')).toThrow(
      "Input 'max-delete-percent' is 25, but the plan deletes 8 of the 10 objects under s3://b/dags/ (80%); nothing was uploaded or deleted; check source and prefix, or raise max-delete-percent",
    );
  });
});
