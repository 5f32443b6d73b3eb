/**
 * The files whose change alters what users of an action run: its interface, its source, its own
 * dependencies, and the kit bundled into every action. A commit's files decide which actions it
 * releases, whatever scope its message names; README, CHANGELOG, tests and dist (derived from
 * the source) are published with the next release but never cause one.
 */
const KIT_PATHS = ['packages/kit/src/', 'packages/kit/package.json'];

export function shippedPaths(action: string): string[] {
  return [
    `actions/${action}/action.yml`,
    `actions/${action}/src/`,
    `actions/${action}/package.json`,
    ...KIT_PATHS,
  ];
}

export function touchesShippedCode(action: string, files: readonly string[]): boolean {
  const paths = shippedPaths(action);
  return files.some((file) =>
    paths.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path)),
  );
}
