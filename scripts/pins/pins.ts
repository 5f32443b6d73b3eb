import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findReadmes } from '../validate-workflows/targets';

/** One third-party action at one commit, with the release that commit is. */
export interface Pin {
  /** `owner/repo`. */
  repository: string;
  sha: string;
  version: string;
}

/** Where the pins are kept (see the comment at its top). */
export const PINS_FILE = '.github/pinned-actions/action.yml';

const PINNED_USES = /^\s*-?\s*uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40})\s+#\s*(v\S+)\s*$/;

/** The pins of the pins file: every `uses: owner/repo@<40-hex SHA> # vX.Y.Z` line. */
export function readPins(text: string): Map<string, Pin> {
  const pins = new Map<string, Pin>();
  for (const line of text.split('\n')) {
    const match = PINNED_USES.exec(line);
    if (match === null) continue;
    const [, repository = '', sha = '', version = ''] = match;
    pins.set(repository.toLowerCase(), { repository, sha, version });
  }
  return pins;
}

// `uses: owner/repo[/path]@ref`, with an optional trailing comment; quoted values too.
const USES = /^(\s*-?\s*uses:\s*)(['"]?)([\w.-]+)\/([\w.-]+)((?:\/[^@\s'"]*)?)@([^\s'"#]+)\2(\s*#.*)?$/;

export interface PinProblem {
  line: number;
  message: string;
}

/**
 * Rewrites every `uses:` of a pinned action to its pin (`@<sha> # <version>`), and reports a
 * third-party action that has no pin. The suite's own actions (owner `org`, the placeholder the
 * docs use) and local (`./`) or `docker://` references are left alone.
 */
export function applyPins(
  text: string,
  pins: ReadonlyMap<string, Pin>,
): { text: string; unpinned: PinProblem[] } {
  const unpinned: PinProblem[] = [];
  const lines = text.split('\n').map((line, index) => {
    const match = USES.exec(line);
    if (match === null) return line;
    const [, prefix = '', quote = '', owner = '', repo = '', path = ''] = match;
    const pin = pins.get(`${owner}/${repo}`.toLowerCase());
    if (pin === undefined) {
      if (owner !== 'org')
        unpinned.push({ line: index + 1, message: `${owner}/${repo} has no pin in ${PINS_FILE}` });
      return line;
    }
    return `${prefix}${quote}${pin.repository}${path}@${pin.sha}${quote} # ${pin.version}`;
  });
  return { text: lines.join('\n'), unpinned };
}

/** The files that pin actions: the examples, this repository's workflows and every README. */
export function pinnedFiles(root: string): string[] {
  const yamlIn = (folder: string): string[] =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder))
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => `${folder}/${name}`)
      : [];
  return [...yamlIn('examples/workflows'), ...yamlIn('.github/workflows'), ...findReadmes(root)];
}
