import type { EntryKind } from './conventional-commit';
import type { ReleaseEntry } from './plan';
import { formatVersion, type Version } from './semver';

const SECTION_TITLES: ReadonlyArray<[EntryKind, string]> = [
  ['breaking', 'Breaking changes'],
  ['feature', 'Features'],
  ['fix', 'Fixes'],
  ['other', 'Other changes'],
];

const UNRELEASED_HEADING = /^## \[?unreleased\]?\s*$/im;
const ANY_SECTION_HEADING = /^## /m;

/** The body of a release's section: hand-written Unreleased notes first, then one line per commit. */
export function renderReleaseNotes(action: string, notes: string, entries: readonly ReleaseEntry[]): string {
  const parts: string[] = [];
  if (notes.trim() !== '') parts.push(notes.trim());
  for (const [kind, title] of SECTION_TITLES) {
    const lines = entries
      .filter((entry) => entry.kind === kind)
      .map((entry) => {
        // The action's own scope is implied by whose changelog this is; others (kit, deps) are not.
        const scope = entry.scope !== undefined && entry.scope !== action ? `**${entry.scope}:** ` : '';
        return `- ${scope}${entry.subject} (${entry.sha.slice(0, 7)})`;
      });
    if (lines.length > 0) parts.push(`### ${title}\n\n${lines.join('\n')}`);
  }
  if (parts.length === 0) parts.push('Maintenance release.');
  return parts.join('\n\n');
}

function newChangelog(action: string): string {
  return (
    `# Changelog\n\nAll notable changes to ${action} are listed here. Versions follow semantic versioning: ` +
    '`uses: ...@v1` receives every 1.x release.\n\n## [Unreleased]\n'
  );
}

/**
 * Moves the Unreleased notes into a new `## [X.Y.Z] - date` section (with the commits) and leaves
 * an empty Unreleased section on top. Returns the new file and the release notes alone.
 */
export function addRelease(
  changelog: string | undefined,
  action: string,
  version: Version,
  date: string,
  entries: readonly ReleaseEntry[],
): { text: string; notes: string } {
  let text = changelog ?? newChangelog(action);
  let unreleased = UNRELEASED_HEADING.exec(text);
  if (unreleased === null) {
    // Put an Unreleased heading where the first release section starts (or at the end).
    const first = ANY_SECTION_HEADING.exec(text);
    const at = first === null ? text.length : first.index;
    text = `${text.slice(0, at).trimEnd()}\n\n## [Unreleased]\n\n${text.slice(at)}`;
    unreleased = UNRELEASED_HEADING.exec(text);
  }
  if (unreleased === null) throw new Error('unreachable: Unreleased heading was just inserted');
  const bodyStart = unreleased.index + unreleased[0].length;
  const next = ANY_SECTION_HEADING.exec(text.slice(bodyStart));
  const bodyEnd = next === null ? text.length : bodyStart + next.index;
  const notes = renderReleaseNotes(action, text.slice(bodyStart, bodyEnd), entries);
  const section = `## [${formatVersion(version)}] - ${date}\n\n${notes}\n`;
  const rest = text.slice(bodyEnd).trim();
  const updated = `${text.slice(0, bodyStart).trimEnd()}\n\n${section}${rest === '' ? '' : `\n${rest}\n`}`;
  return { text: updated, notes };
}

/** The notes of one released version, as they stand in the changelog (for the GitHub release). */
export function releaseNotesOf(changelog: string, version: Version): string | undefined {
  const escaped = formatVersion(version).replaceAll('.', '\\.');
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(?:\\s.*)?$`, 'm').exec(changelog);
  if (heading === null) return undefined;
  const bodyStart = heading.index + heading[0].length;
  const next = ANY_SECTION_HEADING.exec(changelog.slice(bodyStart));
  return changelog.slice(bodyStart, next === null ? undefined : bodyStart + next.index).trim();
}
