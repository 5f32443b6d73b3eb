import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  StartImageScanCommand,
  type DescribeImageScanFindingsResponse,
} from '@aws-sdk/client-ecr';
import { DeadlineExceeded } from '@deploy-suite/kit';
import { fakeClock, recordingLog } from '../../support/fakes';
import { mockClient } from 'aws-sdk-client-mock';
import { awaitScan, blockingCounts, peekScan, statusMeaning } from '../../../actions/build-push/src/scan';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'us-east-1' });
const target = { repository: 'ml/model', digest: `sha256:${'a'.repeat(64)}` };
const wait = (timeoutMs = 60_000) => ({
  timeoutMs,
  clock: fakeClock(),
  log: recordingLog(),
  intervalMs: 5_000,
});

const answer = (
  status: string,
  extra: Partial<DescribeImageScanFindingsResponse> = {},
): DescribeImageScanFindingsResponse => ({
  imageScanStatus: { status: status as never, description: `status ${status}` },
  ...extra,
});
const named = (name: string) => Object.assign(new Error(name), { name });

beforeEach(() => ecrMock.reset());

test.each([
  ['COMPLETE', 'done'],
  ['ACTIVE', 'done'],
  ['IN_PROGRESS', 'waiting'],
  ['PENDING', 'waiting'],
  ['FAILED', 'failed'],
  ['UNSUPPORTED_IMAGE', 'failed'],
  ['FINDINGS_UNAVAILABLE', 'failed'],
  ['SCAN_ELIGIBILITY_EXPIRED', 'failed'],
  ['LIMIT_EXCEEDED', 'failed'],
  ['IMAGE_ARCHIVED', 'failed'],
  ['SOMETHING_NEW', 'unknown'],
  [undefined, 'unknown'],
])('status %p means %s', (status, meaning) => {
  expect(statusMeaning(status)).toBe(meaning);
});

test.each(['COMPLETE', 'ACTIVE'])('%s: findings counted, basic and enhanced alike', async (status) => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(
    answer(status, {
      imageScanFindings: {
        findingSeverityCounts: { HIGH: 1, MEDIUM: 1, LOW: 0 },
        findings: [
          {
            name: 'CVE-1',
            severity: 'HIGH',
            uri: 'https://cve/1',
            attributes: [
              { key: 'package_name', value: 'openssl' },
              { key: 'package_version', value: '3.0.1' },
            ],
          },
        ],
        enhancedFindings: [
          {
            severity: 'MEDIUM',
            packageVulnerabilityDetails: {
              vulnerabilityId: 'CVE-2',
              vulnerablePackages: [{ name: 'zlib', version: '1.2' }],
            },
          },
        ],
      },
    }),
  );
  const report = await awaitScan(ecr, target, wait());
  expect(report.counts).toEqual({ HIGH: 1, MEDIUM: 1 });
  expect(report.findings).toEqual([
    { name: 'CVE-1', severity: 'HIGH', package: 'openssl', version: '3.0.1', uri: 'https://cve/1' },
    { name: 'CVE-2', severity: 'MEDIUM', package: 'zlib', version: '1.2', uri: undefined },
  ]);
});

test.each(['IN_PROGRESS', 'PENDING'])(
  '%s: keeps polling at the interval until the scan completes',
  async (status) => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(answer(status))
      .resolvesOnce(answer(status))
      .resolves(answer('COMPLETE', { imageScanFindings: { findingSeverityCounts: {} } }));
    const options = wait();
    const report = await awaitScan(ecr, target, options);
    expect(report.counts).toEqual({});
    expect(options.clock.slept.map((ms) => Math.round(ms / 1000))).toEqual(
      [5, 5].map((s) => expect.closeTo(s, 0)),
    );
    // A state change is logged once, not once per poll.
    expect(options.log.lines.filter((l) => l.includes(status))).toHaveLength(1);
  },
);

test.each([
  'FAILED',
  'UNSUPPORTED_IMAGE',
  'FINDINGS_UNAVAILABLE',
  'SCAN_ELIGIBILITY_EXPIRED',
  'LIMIT_EXCEEDED',
  'IMAGE_ARCHIVED',
])('%s fails the gate with the status and its description', async (status) => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer(status));
  await expect(awaitScan(ecr, target, wait())).rejects.toThrow(
    `The scan of ${target.digest} ended with ${status} (status ${status}); the severity gate cannot pass it`,
  );
});

test.each([['BRAND_NEW'], [undefined]])('an unknown status (%p) fails, never passes', async (status) => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(status === undefined ? {} : answer(status));
  await expect(awaitScan(ecr, target, wait())).rejects.toThrow(
    /reported an unknown status .*the severity gate cannot pass it/,
  );
});

test('no scan yet: one is started, then read at once', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .rejectsOnce(named('ScanNotFoundException'))
    .resolves(answer('COMPLETE', { imageScanFindings: { findingSeverityCounts: { LOW: 2 } } }));
  ecrMock.on(StartImageScanCommand).resolves({});
  const options = wait();
  expect((await awaitScan(ecr, target, options)).counts).toEqual({ LOW: 2 });
  expect(ecrMock.commandCalls(StartImageScanCommand)).toHaveLength(1);
  expect(options.clock.slept).toEqual([]);
});

test('a refused start (scan on push got there first) still waits for the scan', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .rejectsOnce(named('ScanNotFoundException'))
    .rejectsOnce(named('ScanNotFoundException'))
    .resolves(answer('COMPLETE'));
  ecrMock.on(StartImageScanCommand).rejects(named('LimitExceededException'));
  await expect(awaitScan(ecr, target, wait())).resolves.toMatchObject({ status: 'COMPLETE' });
  expect(ecrMock.commandCalls(StartImageScanCommand)).toHaveLength(1);
});

test('an image not visible yet is waited for, and the scan started once it is', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .rejectsOnce(named('ImageNotFoundException'))
    .rejectsOnce(named('ImageNotFoundException'))
    .rejectsOnce(named('ScanNotFoundException'))
    .resolves(answer('COMPLETE'));
  ecrMock.on(StartImageScanCommand).rejectsOnce(named('ImageNotFoundException')).resolves({});
  await expect(awaitScan(ecr, target, wait())).resolves.toMatchObject({ status: 'COMPLETE' });
  expect(ecrMock.commandCalls(StartImageScanCommand)).toHaveLength(2);
});

test('the deadline ends the wait, quoting the last status', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer('IN_PROGRESS'));
  const error = await awaitScan(ecr, target, wait(12_000)).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(DeadlineExceeded);
  expect(String(error)).toContain('last seen: IN_PROGRESS (status IN_PROGRESS)');
});

test('other errors end the wait as they are', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).rejects(named('AccessDeniedException'));
  await expect(awaitScan(ecr, target, wait())).rejects.toThrow('AccessDeniedException');
});

test('every page of findings is read', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .resolvesOnce(
      answer('COMPLETE', {
        nextToken: 't1',
        imageScanFindings: { findings: [{ name: 'A', severity: 'LOW' }] },
      }),
    )
    .resolvesOnce({ imageScanFindings: { findings: [{ name: 'B', severity: 'HIGH' }] } });
  const report = await awaitScan(ecr, target, wait());
  expect(report.findings.map((f) => f.name)).toEqual(['A', 'B']);
  expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[1]?.args[0].input.nextToken).toBe('t1');
});

test('peek: results when complete, nothing otherwise, never an error', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .resolvesOnce(answer('COMPLETE', { imageScanFindings: { findingSeverityCounts: { HIGH: 3 } } }));
  expect((await peekScan(ecr, target))?.counts).toEqual({ HIGH: 3 });
  ecrMock.on(DescribeImageScanFindingsCommand).resolvesOnce(answer('IN_PROGRESS'));
  expect(await peekScan(ecr, target)).toBeUndefined();
  ecrMock.on(DescribeImageScanFindingsCommand).rejectsOnce(named('ScanNotFoundException'));
  expect(await peekScan(ecr, target)).toBeUndefined();
});

test.each<[Record<string, number>, 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW', [string, number][]]>([
  [{ HIGH: 2, LOW: 5 }, 'HIGH', [['HIGH', 2]]],
  [{ HIGH: 2, LOW: 5 }, 'CRITICAL', []],
  [
    { LOW: 5, CRITICAL: 1, MEDIUM: 2 },
    'MEDIUM',
    [
      ['CRITICAL', 1],
      ['MEDIUM', 2],
    ],
  ],
  [{ INFORMATIONAL: 4, UNDEFINED: 1 }, 'LOW', []],
  [{ HIGH: 0 }, 'LOW', []],
  [{}, 'LOW', []],
])('gate on %p at %s blocks %p', (counts, threshold, blocking) => {
  expect(blockingCounts(counts, threshold)).toEqual(blocking);
});
