import { DeployFailed } from '@deploy-suite/kit';
import {
  newProgress,
  type BuildProgress,
  type BuildResult,
} from '../../../actions/build-push/src/build-push';
import {
  cancelledOutputs,
  gateFailure,
  leftInFlight,
  outputsOf,
  resultOf,
  summaryOf,
} from '../../../actions/build-push/src/report';
import { renderResult } from '../../../packages/kit/src/result';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const REPO = '1.dkr.ecr.us-east-1.amazonaws.com/ml/model';
const result = (overrides: Partial<BuildResult> = {}): BuildResult => ({
  engine: 'buildah',
  destination: { registry: '1.dkr.ecr.us-east-1.amazonaws.com', repository: 'ml/model' },
  tagUris: [`${REPO}:v1`, `${REPO}:latest`],
  digest: DIGEST,
  skipped: false,
  pushed: true,
  sizeBytes: 5 * 1024 * 1024,
  buildMs: 12_345,
  cache: { hits: 2, steps: 4 },
  scan: undefined,
  notes: [],
  ...overrides,
});
const findings = {
  status: 'COMPLETE',
  counts: { HIGH: 1, LOW: 1 },
  findings: [
    { name: 'CVE-low', severity: 'LOW', package: 'zlib', version: '1', uri: undefined },
    { name: 'CVE-high', severity: 'HIGH', package: 'openssl', version: '3.0', uri: 'https://cve/high' },
  ],
};

test('outputs: the image by digest for deploy steps; JSON tags and counts', () => {
  expect(outputsOf(result({ scan: { report: findings, blocking: [] } }), 'v1')).toEqual({
    image: `${REPO}@${DIGEST}`,
    'image-uri': `${REPO}:v1`,
    digest: DIGEST,
    tags: JSON.stringify([`${REPO}:v1`, `${REPO}:latest`]),
    registry: '1.dkr.ecr.us-east-1.amazonaws.com',
    skipped: false,
    'scan-findings': '{"HIGH":1,"LOW":1}',
  });
  // Nothing pushed: no digest, so no image to deploy.
  expect(outputsOf(result({ digest: undefined, pushed: false }), 'v1').image).toBeUndefined();
});

test('summary: image, digest, tags, size, build time, cache hits, scan counts', () => {
  const pushed = resultOf(result({ scan: { report: findings, blocking: [] } }), {
    tags: ['v1'],
    failOnSeverity: undefined,
  });
  const text = renderResult('build-push', pushed);
  expect(pushed.status).toBe('succeeded');
  expect(text).toContain('## ✅ build-push succeeded: pushed ml/model (v1, latest) as sha256:dddddddd…');
  // The digest shortened, the whole of it on hover and in the details block.
  expect(text).toContain(`- **image:** ${REPO}@<code title="${DIGEST}">sha256:dddddddd…</code>`);
  expect(text).toContain(`${REPO}@${DIGEST}\n\n</details>`);
  expect(text).toContain(`- **tags:** ${REPO}:v1<br>${REPO}:latest`);
  expect(text).toContain('- **size:** 5.0 MiB');
  expect(text).toContain('- **build time:** 12.3 s');
  expect(text).toContain('- **cache hits:** 2 of 4 steps');
  expect(text).toContain('- **scan:** COMPLETE: HIGH 1, LOW 1');
  expect(text).not.toContain('Findings that fail the gate');
});

test('a local build (push: false, no AWS): local names, no size or scan rows, no registry output', () => {
  const local = result({
    destination: { registry: '', repository: 'ml/model' },
    tagUris: ['ml/model:pr-42', 'ml/model:sha1'],
    digest: undefined,
    pushed: false,
    sizeBytes: undefined,
  });
  const text = renderResult('build-push', resultOf(local, { tags: ['pr-42'], failOnSeverity: undefined }));
  expect(text).toContain(
    '## ✅ build-push succeeded: built ml/model (pr-42, sha1) on the runner; nothing was pushed',
  );
  expect(text).toContain('- **tags:** ml/model:pr-42<br>ml/model:sha1');
  expect(text).not.toContain('**size:**');
  expect(text).not.toContain('**scan:**');
  expect(outputsOf(local, 'pr-42')).toMatchObject({
    'image-uri': 'ml/model:pr-42',
    registry: '',
    image: undefined,
  });
});

test('a failed gate: the findings table in the summary, most severe first, and one error line', () => {
  const failed = result({ scan: { report: findings, blocking: [['HIGH', 1]] } });
  const text = renderResult('build-push', resultOf(failed, { tags: ['v1'], failOnSeverity: 'HIGH' }));
  expect(text).toContain(
    '## ❌ build-push failed: the scan gate failed: ml/model@sha256:dddddddd… has 1 HIGH at or above HIGH',
  );
  expect(text).not.toContain('pushed to ECR');
  expect(text).toContain('- **gate:** fail on HIGH or above');
  const table = text.slice(text.indexOf('### Findings that fail the gate'));
  expect(table.indexOf('CVE-high')).toBeLessThan(table.indexOf('CVE-low'));
  expect(table).toContain('| HIGH | CVE-high (https://cve/high) | openssl | 3.0 |');
  const error = gateFailure(failed, 'HIGH');
  expect(error?.message).toBe(
    `The scan of ${REPO}@${DIGEST} found 1 HIGH: at or above HIGH, the gate fails (findings in the job summary)`,
  );
  expect(error?.reasons[0]).toBe('HIGH CVE-high in openssl 3.0');
});

test('gate verdicts: no gate, a pass, an unreadable scan', () => {
  expect(
    gateFailure(result({ scan: { report: findings, blocking: [['HIGH', 1]] } }), undefined),
  ).toBeUndefined();
  expect(gateFailure(result({ scan: { report: findings, blocking: [] } }), 'CRITICAL')).toBeUndefined();
  const unreadable = new DeployFailed('scan ended with FAILED');
  const failed = result({ scan: { error: unreadable, blocking: [] } });
  expect(gateFailure(failed, 'LOW')).toBe(unreadable);
  expect(summaryOf(failed, 'LOW').toMarkdown()).toContain('- **scan:** scan ended with FAILED');
});

test('a skipped build says so instead of a build time', () => {
  const skipped = resultOf(
    result({ skipped: true, pushed: false, engine: undefined, buildMs: undefined, cache: undefined }),
    { tags: ['v1'], failOnSeverity: undefined },
  );
  const text = renderResult('build-push', skipped);
  expect(skipped.status).toBe('skipped');
  expect(text).toContain(
    '## ✅ build-push skipped: ml/model already holds sha256:dddddddd… under the first tag',
  );
  expect(text).toContain('- **build:** skipped: the first tag already exists');
  expect(text).not.toContain('build time');
});

describe('what a cancel leaves', () => {
  const destination = { registry: '1.dkr.ecr.us-east-1.amazonaws.com', repository: 'ml/model' };
  const progress = (overrides: Partial<BuildProgress>): BuildProgress => ({
    ...newProgress(),
    destination,
    ...overrides,
  });
  test.each<[string, Partial<BuildProgress>, string[]]>([
    ['before any builder ran', { destination: undefined }, ['Build cancelled; nothing pushed.']],
    [
      'during the build',
      { running: { name: 'buildah build', pushes: [] } },
      ['Build cancelled; nothing pushed.', 'buildah build was stopped; its processes were killed.'],
    ],
    [
      'during buildx build --push: no push had finished',
      { running: { name: 'docker buildx build', pushes: [`${REPO}:v1`] } },
      [
        'Build cancelled while pushing; no push had finished.',
        `docker buildx build was stopped while pushing ${REPO}:v1: ECR may or may not hold it; its processes were killed.`,
      ],
    ],
    [
      'during the second buildah push',
      { pushed: [`${REPO}:v1`], running: { name: 'buildah push', pushes: [`${REPO}:latest`] } },
      [
        `Build cancelled; pushed before the cancel: ${REPO}:v1.`,
        `buildah push was stopped while pushing ${REPO}:latest: ECR may or may not hold it; its processes were killed.`,
      ],
    ],
    [
      'during the scan wait, everything pushed',
      { pushed: [`${REPO}:v1`], digest: DIGEST },
      [`Build cancelled; pushed before the cancel: ${REPO}:v1 (${DIGEST}).`],
    ],
  ])('%s', (_name, overrides, lines) => {
    expect(leftInFlight(progress(overrides))).toEqual([
      ...lines,
      'To finish, run the step again with the same inputs.',
    ]);
  });

  test('outputs: status cancelled and whatever already names the image', () => {
    expect(cancelledOutputs(progress({ pushed: [`${REPO}:v1`], digest: DIGEST }))).toEqual({
      registry: destination.registry,
      tags: JSON.stringify([`${REPO}:v1`]),
      digest: DIGEST,
      image: `${REPO}@${DIGEST}`,
    });
    expect(cancelledOutputs(newProgress())).toEqual({
      registry: undefined,
      tags: '[]',
      digest: undefined,
      image: undefined,
    });
  });
});
