import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface TreeOptions {
  /** Number of DAG files. */
  files: number;
  /** Adds one file of this many bytes (e.g. above the multipart threshold). */
  largeFileBytes?: number;
}

/**
 * A DAGs folder shaped like a real one: teams in folders, nested sub-packages, DAG-sized Python
 * files (2–8 KB) and a few SQL templates, all valid Python, contents seeded so runs are repeatable.
 */
export function generateDagTree(root: string, options: TreeOptions): string[] {
  const paths: string[] = [];
  for (let i = 0; i < options.files; i++) {
    const team = `team_${i % 7}`;
    const nested = i % 3 === 0 ? `/pipelines/stage_${i % 5}` : '';
    const isSql = i % 10 === 9;
    const path = `${team}${nested}/${isSql ? `query_${i}.sql` : `dag_${i}.py`}`;
    write(root, path, isSql ? sqlTemplate(i) : dagSource(i));
    paths.push(path);
  }
  if (options.largeFileBytes !== undefined) {
    const path = 'data/lookup_table.bin';
    const block = createHash('sha256').update('seed').digest();
    const bytes = Buffer.alloc(options.largeFileBytes);
    for (let offset = 0; offset < bytes.length; offset += block.length) block.copy(bytes, offset);
    bytes.writeUInt32BE(options.largeFileBytes, 0);
    write(root, path, bytes);
    paths.push(path);
  }
  return paths.sort();
}

function dagSource(i: number): string {
  const tasks = 4 + (i % 12);
  const lines = [
    '"""Generated DAG for sync tests."""',
    'from datetime import datetime, timedelta',
    '',
    `DAG_ID = "generated_${i}"`,
    `DEFAULT_ARGS = {"owner": "team_${i % 7}", "retries": ${i % 4}, "retry_delay": timedelta(minutes=5)}`,
    '',
    'def build():',
    '    tasks = []',
  ];
  for (let t = 0; t < tasks; t++) {
    lines.push(
      `    tasks.append({"task_id": "step_${t}", "command": "run --step ${t} --dag ${i} --date {{ ds }}"})`,
    );
    lines.push(`    # step ${t} of DAG ${i}: extract, transform and load partition ${(i * 31 + t) % 97}`);
  }
  lines.push(
    '    return tasks',
    '',
    `SCHEDULE = "${i % 60} * * * *"`,
    `START = datetime(2024, 1, ${1 + (i % 28)})`,
    '',
  );
  return lines.join('\n');
}

function sqlTemplate(i: number): string {
  return `-- partition query ${i}\nselect * from events where ds = '{{ ds }}' and shard = ${i % 16};\n`;
}

export function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

export function md5(bytes: Buffer | string): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Every file under root: relative path → MD5. */
export function localContents(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out.set(relative(root, full).split(sep).join('/'), md5(readFileSync(full)));
  }
  return out;
}

/** Every object under the prefix, read back: path relative to the prefix → MD5 of the body. */
export async function bucketContents(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token !== undefined && { ContinuationToken: token }),
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      out.set(key.slice(prefix.length), md5(Buffer.from(await body.Body!.transformToByteArray())));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

/** Keys and ETags only: cheap enough to compare a bucket before and after a run. */
export async function bucketListing(s3: S3Client, bucket: string): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((o) => `${o.Key ?? ''} ${o.ETag ?? ''} ${o.Size ?? 0}`).sort();
}
