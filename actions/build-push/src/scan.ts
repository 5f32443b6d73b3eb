import {
  DescribeImageScanFindingsCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsResponse,
} from '@aws-sdk/client-ecr';
import { DeployFailed, messageOf, waitFor, type Check, type Clock, type Log } from '@deploy-suite/kit';
import type { Ecr } from './ecr';
import type { Severity } from './inputs';

/** Most severe first; ECR's own levels, Inspector's UNTRIAGED last. */
export const SEVERITY_ORDER = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNDEFINED',
  'UNTRIAGED',
] as const;

export type SeverityCounts = Readonly<Record<string, number>>;

export interface Finding {
  name: string;
  severity: string;
  package: string | undefined;
  version: string | undefined;
  uri: string | undefined;
}

export interface ScanReport {
  status: string;
  counts: SeverityCounts;
  findings: Finding[];
}

/** What a scan status means for the gate. Anything not listed is unknown, and unknown fails. */
export type StatusMeaning = 'done' | 'waiting' | 'failed' | 'unknown';

const MEANINGS: Readonly<Record<string, StatusMeaning>> = {
  COMPLETE: 'done',
  // Enhanced scanning: continuous scanning is on and the findings so far are current.
  ACTIVE: 'done',
  IN_PROGRESS: 'waiting',
  PENDING: 'waiting',
  FAILED: 'failed',
  UNSUPPORTED_IMAGE: 'failed',
  FINDINGS_UNAVAILABLE: 'failed',
  SCAN_ELIGIBILITY_EXPIRED: 'failed',
  LIMIT_EXCEEDED: 'failed',
  IMAGE_ARCHIVED: 'failed',
};

export function statusMeaning(status: string | undefined): StatusMeaning {
  return (status !== undefined && MEANINGS[status]) || 'unknown';
}

export interface ScanTarget {
  repository: string;
  digest: string;
}

export interface ScanWait {
  timeoutMs: number;
  clock: Clock;
  log: Log;
  intervalMs?: number;
}

const MAX_FINDING_PAGES = 20;
const NOT_YET = new Set(['ScanNotFoundException', 'ImageNotFoundException']);

function countsOf(answer: DescribeImageScanFindingsResponse): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [severity, count] of Object.entries(answer.imageScanFindings?.findingSeverityCounts ?? {})) {
    if (count !== undefined && count > 0) counts[severity] = count;
  }
  return counts;
}

function findingsOf(answer: DescribeImageScanFindingsResponse): Finding[] {
  const basic = (answer.imageScanFindings?.findings ?? []).map((f): Finding => {
    const attribute = (key: string) => f.attributes?.find((a) => a.key === key)?.value;
    return {
      name: f.name ?? 'unnamed',
      severity: f.severity ?? 'UNDEFINED',
      package: attribute('package_name'),
      version: attribute('package_version'),
      uri: f.uri,
    };
  });
  const enhanced = (answer.imageScanFindings?.enhancedFindings ?? []).map((f): Finding => {
    const details = f.packageVulnerabilityDetails;
    const pkg = details?.vulnerablePackages?.[0];
    return {
      name: details?.vulnerabilityId ?? f.title ?? 'unnamed',
      severity: f.severity ?? 'UNDEFINED',
      package: pkg?.name,
      version: pkg?.version,
      uri: details?.sourceUrl,
    };
  });
  return [...basic, ...enhanced];
}

function describe(answer: DescribeImageScanFindingsResponse): string {
  const status = answer.imageScanStatus?.status ?? 'no status';
  const why = answer.imageScanStatus?.description;
  return why ? `${status} (${why})` : status;
}

/**
 * Waits, within the deadline, for ECR's scan of this digest and returns its findings. A scan that
 * failed, or a status this action does not know, ends the wait with an error: the gate never
 * passes an image whose scan it could not read. When no scan exists yet one is started once, for
 * repositories without scan on push.
 */
export async function awaitScan(ecr: Ecr, target: ScanTarget, wait: ScanWait): Promise<ScanReport> {
  const imageId = { imageDigest: target.digest };
  let started = false;
  let lastStatus: string | undefined;
  const read = async (): Promise<DescribeImageScanFindingsResponse | undefined> => {
    try {
      return await ecr.send(
        new DescribeImageScanFindingsCommand({ repositoryName: target.repository, imageId }),
      );
    } catch (err) {
      // Right after a push the image or its scan may not be visible yet: keep waiting.
      if (err instanceof Error && NOT_YET.has(err.name)) return undefined;
      throw err;
    }
  };
  const check = async (): Promise<Check<DescribeImageScanFindingsResponse>> => {
    let answer = await read();
    if (answer === undefined && !started) {
      started = await startScan(ecr, target, wait.log);
      answer = await read();
    }
    if (answer === undefined) return { done: false, status: 'no scan yet' };
    const status = answer.imageScanStatus?.status;
    if (status !== lastStatus) wait.log.info(`Scan of ${target.digest}: ${describe(answer)}`);
    lastStatus = status;
    const meaning = statusMeaning(status);
    if (meaning === 'done') return { done: true, value: answer };
    if (meaning === 'waiting') return { done: false, status: describe(answer) };
    if (meaning === 'failed') {
      throw new DeployFailed(
        `The scan of ${target.digest} ended with ${describe(answer)}; the severity gate cannot pass it`,
      );
    }
    throw new DeployFailed(
      `The scan of ${target.digest} reported an unknown status ${describe(answer)}; the severity gate cannot pass it`,
    );
  };
  const first = await waitFor({
    what: `the ECR scan of ${target.digest}`,
    timeoutMs: wait.timeoutMs,
    intervalMs: wait.intervalMs ?? 5_000,
    clock: wait.clock,
    check,
  });
  const report: ScanReport = {
    status: first.imageScanStatus?.status ?? 'COMPLETE',
    counts: countsOf(first),
    findings: findingsOf(first),
  };
  let nextToken = first.nextToken;
  for (let page = 1; nextToken !== undefined && page < MAX_FINDING_PAGES; page++) {
    const more = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: target.repository, imageId, nextToken }),
    );
    report.findings.push(...findingsOf(more));
    nextToken = more.nextToken;
  }
  return report;
}

/** True once a scan was started or refused for good; false when the image is not visible yet. */
async function startScan(ecr: Ecr, target: ScanTarget, log: Log): Promise<boolean> {
  try {
    await ecr.send(
      new StartImageScanCommand({
        repositoryName: target.repository,
        imageId: { imageDigest: target.digest },
      }),
    );
    log.info(`No scan of ${target.digest} yet; started one`);
    return true;
  } catch (err) {
    if (err instanceof Error && err.name === 'ImageNotFoundException') return false;
    // Scan on push may have started one meanwhile (basic scanning allows one a day), or the
    // registry uses enhanced scanning, which starts on its own: keep waiting either way.
    log.info(`No scan of ${target.digest} yet; starting one was refused (${messageOf(err)}); waiting`);
    return true;
  }
}

/** Scan results as they are, without waiting: for runs with no gate. Undefined when not ready. */
export async function peekScan(ecr: Ecr, target: ScanTarget): Promise<ScanReport | undefined> {
  try {
    const answer = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: target.repository,
        imageId: { imageDigest: target.digest },
      }),
    );
    const status = answer.imageScanStatus?.status;
    if (statusMeaning(status) !== 'done') return undefined;
    return { status: status ?? 'COMPLETE', counts: countsOf(answer), findings: findingsOf(answer) };
  } catch {
    return undefined;
  }
}

function rank(severity: string): number {
  const index = (SEVERITY_ORDER as readonly string[]).indexOf(severity);
  return index < 0 ? SEVERITY_ORDER.length : index;
}

/** Severities at or above the threshold, with their counts, most severe first. */
export function blockingCounts(counts: SeverityCounts, threshold: Severity): [string, number][] {
  return Object.entries(counts)
    .filter(([severity, count]) => count > 0 && rank(severity) <= rank(threshold))
    .sort(([a], [b]) => rank(a) - rank(b));
}

/** Findings at or above the threshold first, each group most severe first. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => rank(a.severity) - rank(b.severity) || a.name.localeCompare(b.name));
}
