import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Problem } from './problem';

const CREDENTIALS = /^aws-actions\/configure-aws-credentials@/;

/**
 * A job whose configure-aws-credentials step assumes a role through GitHub's OIDC token must be
 * allowed to request that token: `id-token: write`, in the job's `permissions` or, when the job
 * sets none, in the workflow's. GitHub grants `id-token` only when it is asked for (docs.github.com,
 * "Controlling permissions for GITHUB_TOKEN"; "Configuring OpenID Connect in Amazon Web Services":
 * "the job or workflow run requires a permissions setting with id-token: write"). A step that takes
 * access keys or a web identity token file instead does not need it. Reusable workflows get their
 * caller's permissions, so jobs of a workflow_call workflow are left to the caller.
 */
export function checkOidcPermissions(file: string, text: string): Problem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (!isMap(doc.contents)) return [];
  const workflow = doc.contents;
  const jobs = workflow.get('jobs', true);
  if (!isMap(jobs)) return [];
  // Without any permissions key a job gets the default token, which never holds id-token; a
  // reusable workflow's jobs get what the caller grants, which only the caller shows.
  const fallback = isReusable(workflow) ? undefined : false;
  const workflowGrants = grantsIdToken(workflow.get('permissions', true)) ?? fallback;
  const problems: Problem[] = [];
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!isMap(job)) continue;
    const jobPermissions = job.get('permissions', true);
    const granted = jobPermissions === undefined ? workflowGrants : grantsIdToken(jobPermissions);
    // Undefined: granted, if at all, by a caller.
    if (granted !== false) continue;
    const step = firstOidcStep(job);
    if (step === undefined) continue;
    const line = step.range ? lines.linePos(step.range[0]).line : undefined;
    const jobId = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    problems.push({
      file,
      ...(line === undefined ? {} : { line }),
      message: `job '${jobId}': configure-aws-credentials assumes a role with the OIDC token, but the job's permissions lack 'id-token: write'`,
    });
  }
  return problems;
}

/** true / false, or undefined when no `permissions` is set (then the workflow's, or the caller's, apply). */
function grantsIdToken(permissions: unknown): boolean | undefined {
  if (permissions === undefined || permissions === null) return undefined;
  if (isScalar(permissions)) return permissions.value === 'write-all';
  if (!isMap(permissions)) return false;
  const idToken = permissions.get('id-token');
  return idToken === 'write';
}

function isReusable(workflow: YAMLMap): boolean {
  const on: unknown = workflow.get('on', true);
  if (isScalar(on)) return on.value === 'workflow_call';
  if (isSeq(on)) return on.items.some((item) => isScalar(item) && item.value === 'workflow_call');
  return isMap(on) && on.has('workflow_call');
}

function firstOidcStep(job: YAMLMap): Node | undefined {
  const steps = job.get('steps', true);
  if (!isSeq(steps)) return undefined;
  for (const step of steps.items) {
    if (!isMap(step)) continue;
    const uses = step.get('uses');
    if (typeof uses !== 'string' || !CREDENTIALS.test(uses)) continue;
    const withMap = step.get('with', true);
    const given = (key: string) => isMap(withMap) && withMap.has(key);
    if (given('role-to-assume') && !given('aws-access-key-id') && !given('web-identity-token-file'))
      return step as Node;
  }
  return undefined;
}
