import { compareKeys, listingSplits, listRemoteTree } from '../../../actions/sync-dags/src/remote-tree';
import { fakeBucket } from './fake-aws';

const keys = (n: number, prefix = 'dags/') =>
  Array.from({ length: n }, (_, i) => `${prefix}dag_${String(i).padStart(3, '0')}.py`);

function bucketWith(objectKeys: readonly string[], pageSize: number) {
  const bucket = fakeBucket({ pageSize });
  for (const key of objectKeys) {
    bucket.objects.set(key, { body: Buffer.from(key), etag: '"e"', metadata: {}, versionId: undefined });
  }
  return bucket;
}

test('S3 order is UTF-8 byte order, not JavaScript string order', () => {
  // U+FF61 sorts before U+1F600 in UTF-16 code units (0xD83D is smaller) but after it in UTF-8.
  expect(compareKeys('a\u{ff61}', 'a\u{1f600}')).toBeLessThan(0);
  expect(['b', 'a\u{1f600}', 'a\u{ff61}', 'a'].sort(compareKeys)).toEqual([
    'a',
    'a\u{ff61}',
    'a\u{1f600}',
    'b',
  ]);
});

test.each([
  [0, []],
  [10, []],
  [11, ['dags/dag_009.py']],
  [25, ['dags/dag_009.py', 'dags/dag_019.py']],
])('%p local keys split every 10th key: %p', (n, splits) => {
  expect(listingSplits([...keys(n)].reverse(), 10)).toEqual(splits);
});

test('ranges listed side by side find every object once, with one page each', async () => {
  const all = keys(25);
  const bucket = bucketWith(all, 10);
  const remote = await listRemoteTree(bucket.s3, 'b', 'dags/', listingSplits(all, 10));
  expect([...remote.keys()].sort()).toEqual(all.map((k) => k.slice('dags/'.length)).sort());
  expect(bucket.calls.filter((c) => c === 'ListObjectsV2')).toHaveLength(3);
});

test('a range holding more remote objects than one page reads on to its upper bound', async () => {
  const local = keys(20);
  const remoteOnly = Array.from({ length: 15 }, (_, i) => `dags/dag_004_extra_${i}.py`);
  const bucket = bucketWith([...local, ...remoteOnly, 'other/outside.py'], 10);
  const remote = await listRemoteTree(bucket.s3, 'b', 'dags/', listingSplits(local, 10));
  expect(remote.size).toBe(35);
  expect(remote.has('dag_004_extra_14.py')).toBe(true);
  expect(remote.has('dag_019.py')).toBe(true);
});

test('without splits, the listing follows continuation tokens to the end', async () => {
  const bucket = bucketWith([...keys(23), 'dags/folder/'], 10);
  const remote = await listRemoteTree(bucket.s3, 'b', 'dags/');
  expect(remote.size).toBe(23);
  expect(remote.has('folder/')).toBe(false);
  expect(bucket.calls.filter((c) => c === 'ListObjectsV2')).toHaveLength(3);
});
