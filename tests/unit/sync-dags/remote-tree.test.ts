import { listRemoteTree } from '../../../actions/sync-dags/src/remote-tree';
import { fakeBucket } from './fake-aws';

test('the listing follows continuation tokens to the end and skips folder placeholders', async () => {
  const bucket = fakeBucket({ pageSize: 10 });
  const keys = [
    ...Array.from({ length: 23 }, (_, i) => `dags/dag_${i}.py`),
    'dags/folder/',
    'other/outside.py',
  ];
  for (const key of keys) {
    bucket.objects.set(key, { body: Buffer.from(key), etag: '"e"', metadata: {}, versionId: undefined });
  }
  const remote = await listRemoteTree(bucket.s3, 'b', 'dags/');
  expect(remote.size).toBe(23);
  expect(remote.get('dag_7.py')).toMatchObject({ key: 'dags/dag_7.py', path: 'dag_7.py', etag: '"e"' });
  expect(remote.has('folder/')).toBe(false);
  expect(bucket.calls.filter((c) => c === 'ListObjectsV2')).toHaveLength(3);
});
