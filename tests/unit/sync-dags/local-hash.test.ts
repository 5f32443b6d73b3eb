import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { hashLocalFile, hashLocalFiles, WHOLE_READ_BYTES } from '../../../actions/sync-dags/src/local-hash';
import { makeTree } from './fake-aws';

const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

describe('hashLocalFile', () => {
  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['a DAG', Buffer.from('from airflow import DAG\n')],
    ['a file of exactly the whole-read size', Buffer.alloc(WHOLE_READ_BYTES, 5)],
    ['a file one byte larger, streamed', Buffer.alloc(WHOLE_READ_BYTES + 1, 6)],
    ['a file of several MiB, streamed', Buffer.alloc(3 * WHOLE_READ_BYTES + 17, 7)],
  ])('gives the size and MD5 of %s', async (_, content) => {
    const root = makeTree({ 'f.bin': content });
    expect(await hashLocalFile(join(root, 'f.bin'))).toEqual({ size: content.length, md5: md5(content) });
  });

  it('fails for a file that is not there, as the sync must', async () => {
    await expect(hashLocalFile(join(makeTree({}), 'gone.py'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('hashLocalFiles', () => {
  it('keeps the files in their order, each with its own size and MD5, across the pauses for I/O', async () => {
    const contents = Array.from({ length: 70 }, (_, i) => `dag ${i}\n`.repeat(i + 1));
    const root = makeTree(Object.fromEntries(contents.map((text, i) => [`d${i}.py`, text])));
    const files = contents.map((_, i) => ({ path: `d${i}.py`, absolutePath: join(root, `d${i}.py`) }));
    const hashed = await hashLocalFiles(files);
    expect(hashed).toEqual(
      contents.map((text, i) => ({ ...files[i], size: Buffer.byteLength(text), md5: md5(text) })),
    );
  });

  it('lets pending I/O run while a large tree is hashed, rather than after it', async () => {
    const root = makeTree(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`d${i}.py`, 'x'])));
    const files = Array.from({ length: 64 }, (_, i) => ({
      path: `d${i}.py`,
      absolutePath: join(root, `d${i}.py`),
    }));
    const order: string[] = [];
    setImmediate(() => order.push('pending I/O'));
    await hashLocalFiles(files).then(() => order.push('hashed'));
    expect(order).toEqual(['pending I/O', 'hashed']);
  });
});
