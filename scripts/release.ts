/**
 * Releases each action of the monorepo on its own: decides versions from conventional commits
 * (by the files each commit touched), records them in one release commit with `<action>/vX.Y.Z`
 * tags, moves this repository's `<action>/vX` and `<action>/vX.Y` tags (for
 * `uses: <owner>/<repo>/actions/<action>@<action>/v1`), then publishes every action's latest
 * version to its own repository with moving vX and vX.Y tags and a GitHub release. Safe to run on
 * every push: with nothing new it changes nothing.
 * See CONTRIBUTING.md ("Releasing") for the rules; `--dry-run` prints what would happen.
 */
import { appendFileSync } from 'node:fs';
import { releaseNotesOf } from './release/changelog';
import { readConfig, USAGE, UsageError, type ReleaseConfig } from './release/config';
import { Git } from './release/git';
import { ensureGithubRelease } from './release/github-release';
import { listActions, readActionHistory, releasedVersions, releaseTag } from './release/history';
import { consoleLog, type Log } from './release/log';
import { monorepoMovingTags, moveMonorepoTags } from './release/monorepo-tags';
import { planRelease, type PlannedRelease } from './release/plan';
import { publishAction, type PublishOutcome } from './release/publish';
import { formatVersion, highestVersion } from './release/semver';
import { versionActions } from './release/version-actions';

function describePlan(plan: PlannedRelease): string {
  const from =
    plan.previous === undefined ? 'first release' : `${formatVersion(plan.previous)}, ${plan.bump}`;
  return `${plan.action}: ${formatVersion(plan.next)} (${from}; ${plan.entries.length} change(s))`;
}

async function createRelease(
  config: ReleaseConfig,
  git: Git,
  log: Log,
  outcome: PublishOutcome,
): Promise<string> {
  const tag = `v${formatVersion(outcome.version)}`;
  if (config.token === undefined) {
    log.notice(`${outcome.action}: no GITHUB_TOKEN, GitHub release for ${tag} skipped`);
    return 'skipped (no token)';
  }
  const changelog = git.run([
    'show',
    `${releaseTag(outcome.action, outcome.version)}:actions/${outcome.action}/CHANGELOG.md`,
  ]);
  const result = await ensureGithubRelease({
    apiUrl: config.apiUrl,
    token: config.token,
    repository: `${config.owner}/${outcome.action}`,
    tag,
    name: `${outcome.action} ${tag}`,
    body: releaseNotesOf(changelog, outcome.version) ?? '',
  });
  if (result === 'created') log.notice(`${outcome.action}: created GitHub release ${tag}`);
  return result;
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const config = readConfig(process.argv.slice(2), process.env, process.cwd(), new Date());
  const log = consoleLog();
  if (config.token !== undefined) log.info(`::add-mask::${config.token}`);
  const git = new Git(config.root);
  // --force: the moving <action>/vX tags on the remote may have moved since a local checkout saw them.
  git.run(['fetch', '--quiet', '--tags', '--force', config.monorepoRemote]);
  if (!config.dryRun && git.run(['status', '--porcelain']).trim() !== '') {
    throw new Error('the working tree has uncommitted changes; release from a clean checkout');
  }

  const actions = listActions(config.root);
  const plans = actions
    .map((action) => planRelease(readActionHistory(git, config.root, action)))
    .filter((plan): plan is PlannedRelease => plan !== undefined);
  if (plans.length === 0)
    log.info('Nothing to version: no action changed its shipped code since its last release');
  for (const plan of plans) log.info(`Version ${describePlan(plan)}`);
  if (config.dryRun) {
    for (const plan of plans) {
      const moving = [...monorepoMovingTags(plan.action, [plan.next]).keys()].join(', ');
      log.info(
        `(dry run) would tag ${releaseTag(plan.action, plan.next)}, move ${moving} to it, and publish it`,
      );
    }
    return 0;
  }
  if (plans.length > 0) versionActions({ git, config, log }, plans);

  // Publish every action's latest release, not only this run's: a run that stopped after tagging
  // is completed by the next one.
  const rows: string[] = [];
  let failures = 0;
  for (const action of actions) {
    const latest = highestVersion(releasedVersions(git, action));
    if (latest === undefined) continue;
    // The tags `uses: <owner>/<repo>/actions/<action>@<action>/v1` reads need no other repository,
    // so they move even when the publication below fails.
    let movedHere = '—';
    try {
      movedHere = moveMonorepoTags({ git, config, log }, action).join(', ') || '—';
    } catch (err) {
      failures++;
      movedHere = 'failed';
      log.error(`${action}: moving this repository's ${action}/vX tags failed: ${(err as Error).message}`);
    }
    try {
      const outcome = publishAction({ git, config, log }, action, latest);
      const release = await createRelease(config, git, log, outcome);
      rows.push(
        `| ${action} | ${formatVersion(latest)} | ${movedHere} | ` +
          `${outcome.published ? 'published' : 'already published'} | ${outcome.moved.join(', ') || '—'} | ${release} |`,
      );
    } catch (err) {
      failures++;
      log.error(`${action}: publishing v${formatVersion(latest)} failed: ${(err as Error).message}`);
      rows.push(`| ${action} | ${formatVersion(latest)} | ${movedHere} | failed | — | — |`);
    }
  }
  const summary = [
    '| Action | Version | Moved here | Own repository | Moved there | GitHub release |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
  log.info(summary.join('\n'));
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile !== undefined && summaryFile !== '') {
    const versioned = plans.map(describePlan).map((line) => `- ${line}`);
    appendFileSync(
      summaryFile,
      `## Release\n\n${versioned.join('\n') || 'Nothing new to version.'}\n\n${summary.join('\n')}\n`,
    );
  }
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.log(`::error::release: ${message.replaceAll('\n', '%0A')}`);
      if (err instanceof UsageError) console.log(`\n${USAGE}`);
      process.exit(1);
    },
  );
}
