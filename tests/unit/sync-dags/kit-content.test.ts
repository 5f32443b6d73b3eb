import { readFileSync, utimesSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import {
  S3Client,
  PutObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  isMultipartEtag,
  md5FromEtag,
  md5OfFile,
  uploadFileToS3,
  zipFolderDeterministically,
} from '@deploy-suite/kit';
import { md5OfBytes } from '../../../packages/kit/src/content-hash';
import { readWholeFile, SMALL_FILE_BYTES } from '../../../packages/kit/src/whole-file';
import { makeTree } from './fake-aws';

describe('content hashes and ETags', () => {
  it('hashes a file as a stream to the same MD5 as its bytes', async () => {
    const root = makeTree({ 'f.bin': Buffer.alloc(3 * 1024 * 1024, 7) });
    expect(await md5OfFile(join(root, 'f.bin'))).toBe(md5OfBytes(Buffer.alloc(3 * 1024 * 1024, 7)));
  });

  it('hashes a small file read whole to the same MD5, and a large one read in pieces', async () => {
    const small = Buffer.from('print("dag")\n');
    const large = Buffer.alloc(SMALL_FILE_BYTES + 1, 3);
    const root = makeTree({ 'small.py': small, 'large.bin': large });
    expect(await md5OfFile(join(root, 'small.py'), small.length)).toBe(md5OfBytes(small));
    expect(await md5OfFile(join(root, 'large.bin'), large.length)).toBe(md5OfBytes(large));
  });

  it('reads the whole file when it has grown since the size was taken', async () => {
    const grown = Buffer.alloc(3 * SMALL_FILE_BYTES, 9);
    const root = makeTree({ 'grown.bin': grown });
    expect((await readWholeFile(join(root, 'grown.bin'), 10)).equals(grown)).toBe(true);
    expect(await md5OfFile(join(root, 'grown.bin'), 10)).toBe(md5OfBytes(grown));
  });

  it.each([
    ['"0cc175b9c0f1b6a831c399e269772661"', '0cc175b9c0f1b6a831c399e269772661', false],
    ['"0CC175B9C0F1B6A831C399E269772661"', '0cc175b9c0f1b6a831c399e269772661', false],
    ['"0cc175b9c0f1b6a831c399e269772661-12"', undefined, true],
    [undefined, undefined, false],
  ])('%s', (etag, md5, multipart) => {
    expect(md5FromEtag(etag)).toBe(md5);
    expect(isMultipartEtag(etag)).toBe(multipart);
  });
});

describe('zipFolderDeterministically', () => {
  it('gives the same bytes for the same content, whatever the timestamps', async () => {
    const files = { 'b/plugin.py': 'x = 1\n', 'a.py': 'y = 2\n', 'b/__pycache__/plugin.pyc': 'junk' };
    const first = makeTree(files);
    const second = makeTree(files);
    utimesSync(join(second, 'a.py'), new Date(2020, 1, 1), new Date(2020, 1, 1));
    const out = makeTree({});
    const keep = (path: string) => !path.includes('__pycache__');
    const one = await zipFolderDeterministically({ root: first, out: join(out, '1.zip'), include: keep });
    await zipFolderDeterministically({ root: second, out: join(out, '2.zip'), include: keep });
    expect(one.entries).toEqual(['a.py', 'b/plugin.py']);
    expect(readFileSync(join(out, '1.zip')).equals(readFileSync(join(out, '2.zip')))).toBe(true);
  });

  it('changes when the content or the executable bit changes', async () => {
    const root = makeTree({ 'run.sh': 'echo hi\n' });
    const out = makeTree({});
    await zipFolderDeterministically({ root, out: join(out, '1.zip') });
    chmodSync(join(root, 'run.sh'), 0o755);
    await zipFolderDeterministically({ root, out: join(out, '2.zip') });
    expect(readFileSync(join(out, '1.zip')).equals(readFileSync(join(out, '2.zip')))).toBe(false);
  });
});

describe('uploadFileToS3', () => {
  const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(s3);
  beforeEach(() => mock.reset());

  it('puts a small file in one request with its metadata', async () => {
    mock.on(PutObjectCommand).resolves({ ETag: '"e"', VersionId: 'v1' });
    const root = makeTree({ 'a.py': 'abc' });
    const result = await uploadFileToS3(s3, {
      bucket: 'b',
      key: 'k/a.py',
      path: join(root, 'a.py'),
      metadata: { md5: 'm' },
    });
    expect(result).toEqual({ key: 'k/a.py', bytes: 3, multipart: false, etag: '"e"', versionId: 'v1' });
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'b',
      Key: 'k/a.py',
      Metadata: { md5: 'm' },
    });
  });

  it('sends what the file holds, and its length, when the size given is out of date', async () => {
    mock.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const root = makeTree({ 'a.py': 'abcdef' });
    const result = await uploadFileToS3(s3, { bucket: 'b', key: 'a.py', path: join(root, 'a.py'), size: 3 });
    expect(result.bytes).toBe(6);
    const input = mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(Buffer.from(input?.Body as Uint8Array).toString()).toBe('abcdef');
    expect(input?.ContentMD5).toBe(Buffer.from(md5OfBytes('abcdef'), 'hex').toString('base64'));
  });

  it('uploads a file above the part size in parts', async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u' });
    mock
      .on(UploadPartCommand)
      .callsFake((input: { PartNumber: number }) => ({ ETag: `"p${input.PartNumber}"` }));
    mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"x-3"' });
    const size = 5 * 1024 * 1024;
    const root = makeTree({ 'big.bin': Buffer.alloc(2 * size + 10, 1) });
    const result = await uploadFileToS3(s3, {
      bucket: 'b',
      key: 'big.bin',
      path: join(root, 'big.bin'),
      partSize: size,
      metadata: { md5: 'm' },
    });
    expect(result.multipart).toBe(true);
    expect(mock.commandCalls(UploadPartCommand)).toHaveLength(3);
    expect(mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input.Metadata).toEqual({ md5: 'm' });
  });
});
