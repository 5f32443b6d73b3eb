import {
  buildahBuildCommands,
  commandName,
  countCacheHits,
  dockerBuildCommands,
  loginCommand,
  logoutCommand,
  tagPlan,
  urisPushedBy,
  type BuildFiles,
  type BuildInputs,
  type CachePolicy,
  type Command,
} from '../../../actions/build-push/src/plan';

const to = { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'ml/model' };
const repo = `${to.registry}/ml/model`;
const files: BuildFiles = {
  authFile: '/w/auth.json',
  secretFiles: new Map([['hub', '/w/secrets/hub']]),
  metadataFile: '/w/metadata.json',
  digestFile: (i) => `/w/digest-${i}`,
};
const base: BuildInputs = {
  context: '/ws',
  file: '/ws/Dockerfile',
  target: undefined,
  buildArgs: new Map(),
  labels: new Map(),
  platforms: [],
  tags: ['v1'],
  pushTags: ['v1'],
  push: true,
  provenance: false,
};
const cacheOn: CachePolicy = { read: true, write: true };
const cacheOff: CachePolicy = { read: false, write: false };

describe('docker buildx', () => {
  test.each<[string, Partial<BuildInputs>, CachePolicy, string[]]>([
    [
      'defaults: push, no provenance, registry cache with the options ECR accepts',
      {},
      cacheOn,
      [
        'buildx',
        'build',
        '--file=/ws/Dockerfile',
        '--secret=id=hub,src=/w/secrets/hub',
        `--tag=${repo}:v1`,
        '--provenance=false',
        `--cache-from=type=registry,ref=${repo}:buildcache`,
        `--cache-to=type=registry,ref=${repo}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
        '--push',
        '--metadata-file=/w/metadata.json',
        '--progress=plain',
        '/ws',
      ],
    ],
    [
      'every option, several tags and platforms, provenance asked for, cache off',
      {
        target: 'serve',
        platforms: ['linux/amd64', 'linux/arm64'],
        buildArgs: new Map([['MODEL', 'v2']]),
        labels: new Map([['team', 'ml']]),
        tags: ['v1', 'latest'],
        pushTags: ['v1', 'latest'],
        provenance: true,
      },
      cacheOff,
      [
        'buildx',
        'build',
        '--file=/ws/Dockerfile',
        '--target=serve',
        '--platform=linux/amd64,linux/arm64',
        '--build-arg=MODEL=v2',
        '--label=team=ml',
        '--secret=id=hub,src=/w/secrets/hub',
        `--tag=${repo}:v1`,
        `--tag=${repo}:latest`,
        '--provenance=true',
        '--push',
        '--metadata-file=/w/metadata.json',
        '--progress=plain',
        '/ws',
      ],
    ],
    [
      'a gate holds the other tags: only the candidate is pushed',
      { tags: ['v1', 'latest'], pushTags: ['v1'] },
      cacheOff,
      [
        'buildx',
        'build',
        '--file=/ws/Dockerfile',
        '--secret=id=hub,src=/w/secrets/hub',
        `--tag=${repo}:v1`,
        '--provenance=false',
        '--push',
        '--metadata-file=/w/metadata.json',
        '--progress=plain',
        '/ws',
      ],
    ],
    [
      // docker buildx build --load takes every -t (docs.docker.com/reference/cli/docker/buildx/build).
      'no push, one platform: loaded for later steps under every tag; cache read only',
      { push: false, pushTags: [], tags: ['v1', 'pr-7'] },
      { read: true, write: false },
      [
        'buildx',
        'build',
        '--file=/ws/Dockerfile',
        '--secret=id=hub,src=/w/secrets/hub',
        `--tag=${repo}:v1`,
        `--tag=${repo}:pr-7`,
        '--provenance=false',
        `--cache-from=type=registry,ref=${repo}:buildcache`,
        '--load',
        '--metadata-file=/w/metadata.json',
        '--progress=plain',
        '/ws',
      ],
    ],
    [
      'no push, several platforms: nothing to load into',
      { push: false, pushTags: [], platforms: ['linux/amd64', 'linux/arm64'] },
      cacheOff,
      [
        'buildx',
        'build',
        '--file=/ws/Dockerfile',
        '--platform=linux/amd64,linux/arm64',
        '--secret=id=hub,src=/w/secrets/hub',
        `--tag=${repo}:v1`,
        '--provenance=false',
        '--metadata-file=/w/metadata.json',
        '--progress=plain',
        '/ws',
      ],
    ],
  ])('%s', (_name, overrides, cache, args) => {
    expect(dockerBuildCommands({ ...base, ...overrides }, to, files, cache)).toEqual([
      { tool: 'docker', args },
    ]);
  });

  test('no registry known (a build without AWS): the tags name the repository alone', () => {
    const [command] = dockerBuildCommands(
      { ...base, push: false, pushTags: [], tags: ['v1', 'pr-7'] },
      { registry: '', repository: 'ml/model' },
      files,
      cacheOff,
    );
    expect(command?.args.filter((a) => a.startsWith('--tag='))).toEqual([
      '--tag=ml/model:v1',
      '--tag=ml/model:pr-7',
    ]);
  });
});

describe('buildah', () => {
  const build = (...extra: string[]) => [
    'build',
    '--authfile=/w/auth.json',
    '--format=docker',
    '--file=/ws/Dockerfile',
    ...extra,
  ];
  const push = (index: number, tag: string) => ({
    tool: 'buildah',
    args: [
      'push',
      '--authfile=/w/auth.json',
      `--digestfile=/w/digest-${index}`,
      `${repo}:v1`,
      `docker://${repo}:${tag}`,
    ],
  });
  test.each<[string, Partial<BuildInputs>, CachePolicy, { tool: string; args: string[] }[]]>([
    [
      'defaults: build with layer cache in the repository, then push reading the digest back',
      {},
      cacheOn,
      [
        {
          tool: 'buildah',
          args: build(
            '--secret=id=hub,src=/w/secrets/hub',
            `--tag=${repo}:v1`,
            '--layers',
            `--cache-from=${repo}`,
            `--cache-to=${repo}`,
            '/ws',
          ),
        },
        push(0, 'v1'),
      ],
    ],
    [
      // buildah-build(1): --tag may be given more than once; each name is applied to the image.
      'every tag named at build and pushed, each with its own digest file; cache off',
      {
        tags: ['v1', 'latest'],
        pushTags: ['v1', 'latest'],
        buildArgs: new Map([['MODEL', 'v2']]),
        labels: new Map([['team', 'ml']]),
        target: 'serve',
      },
      cacheOff,
      [
        {
          tool: 'buildah',
          args: build(
            '--target=serve',
            '--build-arg=MODEL=v2',
            '--label=team=ml',
            '--secret=id=hub,src=/w/secrets/hub',
            `--tag=${repo}:v1`,
            `--tag=${repo}:latest`,
            '/ws',
          ),
        },
        push(0, 'v1'),
        push(1, 'latest'),
      ],
    ],
    [
      'a gate holds the other tags: only the candidate is pushed',
      { tags: ['v1', 'latest'], pushTags: ['v1'] },
      cacheOff,
      [
        {
          tool: 'buildah',
          args: build(
            '--secret=id=hub,src=/w/secrets/hub',
            `--tag=${repo}:v1`,
            `--tag=${repo}:latest`,
            '/ws',
          ),
        },
        push(0, 'v1'),
      ],
    ],
    [
      'several platforms: a manifest list, pushed with all its images',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      { read: true, write: false },
      [
        {
          tool: 'buildah',
          args: build(
            '--platform=linux/amd64,linux/arm64',
            '--secret=id=hub,src=/w/secrets/hub',
            `--manifest=${repo}:v1`,
            '--layers',
            `--cache-from=${repo}`,
            '/ws',
          ),
        },
        {
          tool: 'buildah',
          args: [
            'manifest',
            'push',
            '--all',
            '--authfile=/w/auth.json',
            '--digestfile=/w/digest-0',
            `${repo}:v1`,
            `docker://${repo}:v1`,
          ],
        },
      ],
    ],
    [
      // buildah-tag(1): adds names to a locally stored image.
      'several platforms, no push: the list gets the other tags with buildah tag',
      { platforms: ['linux/amd64', 'linux/arm64'], push: false, pushTags: [], tags: ['v1', 'pr-7'] },
      cacheOff,
      [
        {
          tool: 'buildah',
          args: build(
            '--platform=linux/amd64,linux/arm64',
            '--secret=id=hub,src=/w/secrets/hub',
            `--manifest=${repo}:v1`,
            '/ws',
          ),
        },
        { tool: 'buildah', args: ['tag', `${repo}:v1`, `${repo}:pr-7`] },
      ],
    ],
    [
      'no push: the build only, every tag applied',
      { push: false, pushTags: [], tags: ['v1', 'pr-7'] },
      cacheOff,
      [
        {
          tool: 'buildah',
          args: build('--secret=id=hub,src=/w/secrets/hub', `--tag=${repo}:v1`, `--tag=${repo}:pr-7`, '/ws'),
        },
      ],
    ],
  ])('%s', (_name, overrides, cache, commands) => {
    expect(buildahBuildCommands({ ...base, ...overrides }, to, files, cache)).toEqual(commands);
  });
});

/**
 * Both builders read options with Go's pflag: `--name=value` is one option whatever the value
 * holds; a word that starts with `-` and stands alone is an option. So every word that starts
 * with `-` must be one of the options the plan means to pass, with its value after `=`.
 */
describe('hostile values stay values', () => {
  const hostile: BuildInputs = {
    ...base,
    target: '--help',
    buildArgs: new Map([
      ['--output', 'type=local,dest=/'],
      ['A', '--push'],
    ]),
    labels: new Map([
      ['-t', 'evil'],
      ['team', '--load'],
    ]),
    platforms: ['--output=type=tar'],
    tags: ['v1'],
    pushTags: ['v1'],
  };
  const OPTIONS = new Set([
    'file',
    'target',
    'platform',
    'build-arg',
    'label',
    'secret',
    'tag',
    'provenance',
    'cache-from',
    'cache-to',
    'push',
    'load',
    'metadata-file',
    'progress',
    'authfile',
    'format',
    'manifest',
    'layers',
    'digestfile',
    'all',
  ]);
  const optionNames = (args: readonly string[]) =>
    args
      .filter((a) => a.startsWith('-'))
      .map((a) => /^--([a-z-]+)(=|$)/.exec(a)?.[1] ?? `not an option: ${a}`);

  test.each([
    ['docker', dockerBuildCommands(hostile, to, files, cacheOn)],
    ['buildah', buildahBuildCommands(hostile, to, files, cacheOn)],
  ])('%s', (_tool, commands) => {
    for (const command of commands) {
      for (const name of optionNames(command.args)) expect(OPTIONS).toContain(name);
      // The hostile words are there, each inside its own option.
      expect(command.args.filter((a) => a === '--help' || a === '--push' || a === '-t')).toEqual(
        command.args.includes('--push') ? ['--push'] : [],
      );
    }
    const buildArgs = commands[0]?.args ?? [];
    expect(buildArgs).toEqual(
      expect.arrayContaining([
        '--target=--help',
        '--build-arg=--output=type=local,dest=/',
        '--build-arg=A=--push',
        '--label=-t=evil',
        '--label=team=--load',
        '--platform=--output=type=tar',
      ]),
    );
  });

  test('a positional word that reads as an option is refused', () => {
    expect(() => dockerBuildCommands({ ...base, context: '--help' }, to, files, cacheOff)).toThrow(
      "refusing '--help' as a positional argument",
    );
    expect(() => loginCommand('docker', '-H', files)).toThrow("refusing '-H'");
  });
});

describe('tag plan: which tags wait for the gate', () => {
  test.each<[string, string[], boolean, string[], { pushed: string[]; afterGate: string[] }]>([
    [
      'no gate: every tag at once',
      ['sha1', 'latest'],
      false,
      ['latest'],
      { pushed: ['sha1', 'latest'], afterGate: [] },
    ],
    [
      'gate: the new first tag is the candidate',
      ['sha1', 'latest'],
      true,
      ['latest'],
      { pushed: ['sha1'], afterGate: ['latest'] },
    ],
    [
      'gate: latest listed first and taken, the first new tag goes',
      ['latest', 'v2'],
      true,
      ['latest'],
      { pushed: ['v2'], afterGate: ['latest'] },
    ],
    ['gate: one tag only', ['sha1'], true, [], { pushed: ['sha1'], afterGate: [] }],
    [
      'gate: a re-run where every tag exists pushes the first',
      ['sha1', 'latest'],
      true,
      ['sha1', 'latest'],
      { pushed: ['sha1'], afterGate: ['latest'] },
    ],
  ])('%s', (_name, tags, gated, existing, expected) => {
    expect(tagPlan(tags, gated, new Set(existing))).toEqual(expected);
  });
});

test.each([
  ['docker', ['login', '--username=AWS', '--password-stdin', to.registry], ['logout', to.registry]],
  [
    'buildah',
    ['login', '--username=AWS', '--password-stdin', '--authfile=/w/auth.json', to.registry],
    ['logout', '--authfile=/w/auth.json', to.registry],
  ],
] as const)('%s login reads the password on stdin; logout undoes it', (tool, login, logout) => {
  expect(loginCommand(tool, to.registry, files).args).toEqual(login);
  expect(logoutCommand(tool, to.registry, '/w/auth.json').args).toEqual(logout);
});

test.each<[string, 'docker' | 'buildah', string, ReturnType<typeof countCacheHits>]>([
  [
    'buildah: "Using cache" per step, FROM not counted',
    'buildah',
    'STEP 1/3: FROM scratch\nSTEP 2/3: COPY a /a\n--> Using cache 0a1b\nSTEP 3/3: RUN x\n--> 9f8e\n',
    { hits: 1, steps: 2 },
  ],
  ['buildah: nothing recognisable', 'buildah', 'Error: boom\n', undefined],
  [
    'buildx: CACHED lines per numbered step',
    'docker',
    '#1 [internal] load build definition\n#5 [1/3] FROM docker.io/library/python\n#5 CACHED\n#6 [2/3] COPY . .\n#6 CACHED\n#7 [3/3] RUN pip install\n#7 DONE 3.1s\n',
    { hits: 2, steps: 3 },
  ],
  ['buildx: no progress output', 'docker', '', undefined],
])('cache hits: %s', (_name, tool, output, expected) => {
  expect(countCacheHits(tool, output)).toEqual(expected);
});

describe('what a command pushes, and its name for people', () => {
  test.each<[string, Command, string[], string]>([
    [
      'buildx with --push pushes every tag',
      {
        tool: 'docker',
        args: ['buildx', 'build', `--tag=${repo}:v1`, `--tag=${repo}:latest`, '--push', '/ws'],
      },
      [`${repo}:v1`, `${repo}:latest`],
      'docker buildx build',
    ],
    [
      'buildx with --load pushes nothing',
      { tool: 'docker', args: ['buildx', 'build', `--tag=${repo}:v1`, '--load', '/ws'] },
      [],
      'docker buildx build',
    ],
    [
      'buildah push: its docker:// destination',
      { tool: 'buildah', args: ['push', '--digestfile=/w/d', `${repo}:v1`, `docker://${repo}:v2`] },
      [`${repo}:v2`],
      'buildah push',
    ],
    [
      'buildah manifest push',
      { tool: 'buildah', args: ['manifest', 'push', '--all', `${repo}:v1`, `docker://${repo}:v1`] },
      [`${repo}:v1`],
      'buildah manifest push',
    ],
    [
      'buildah build pushes nothing',
      { tool: 'buildah', args: ['build', '--layers', '/ws'] },
      [],
      'buildah build',
    ],
    ['buildah tag', { tool: 'buildah', args: ['tag', `${repo}:v1`, `${repo}:v2`] }, [], 'buildah tag'],
  ])('%s', (_name, command, pushes, name) => {
    expect(urisPushedBy(command)).toEqual(pushes);
    expect(commandName(command)).toBe(name);
  });
});

test('docker with an inline cache: exported with the image, read back from every tag (docs.docker.com "Inline cache")', () => {
  const [command] = dockerBuildCommands(
    { ...base, tags: ['v1', 'latest'], pushTags: ['v1', 'latest'] },
    to,
    files,
    { read: true, write: true, inline: true },
  );
  expect(command?.args.filter((a) => a.startsWith('--cache'))).toEqual([
    `--cache-from=type=registry,ref=${repo}:v1`,
    `--cache-from=type=registry,ref=${repo}:latest`,
    '--cache-to=type=inline',
  ]);
});
