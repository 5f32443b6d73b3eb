import { InputError } from '@deploy-suite/kit';
import {
  imageChanges,
  renderTaskDefinition,
  sameTaskDefinition,
  type ContainerChanges,
} from '../../../actions/deploy-ecs/src/task-definition';
import { errorOf } from '../../support/inputs';

const none: ContainerChanges = {
  containerNames: [],
  image: undefined,
  environment: new Map(),
  secrets: new Map(),
};
const change = (overrides: Partial<ContainerChanges>): ContainerChanges => ({ ...none, ...overrides });

/** As DescribeTaskDefinition answers: read-only fields and ECS's defaults included. */
const described = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4',
  family: 'web',
  revision: 4,
  status: 'ACTIVE',
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [],
  registeredAt: new Date('2024-05-01T10:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:root',
  networkMode: 'awsvpc',
  containerDefinitions: [
    {
      name: 'model',
      image: 'repo/model:1',
      cpu: 0,
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      environment: [
        { name: 'MODE', value: 'serve' },
        { name: 'EMPTY', value: '' },
      ],
      mountPoints: [],
      volumesFrom: [],
      secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/token' }],
    },
    { name: 'log-router', image: 'fluent-bit:2', essential: false, cpu: 0, mountPoints: [] },
  ],
};

describe('renderTaskDefinition', () => {
  test('leaves out the read-only fields and says which', () => {
    const rendered = renderTaskDefinition(described, none);
    expect(rendered.ignored).toEqual([
      'taskDefinitionArn',
      'revision',
      'status',
      'compatibilities',
      'requiresAttributes',
      'registeredAt',
      'registeredBy',
    ]);
    expect(Object.keys(rendered.input).sort()).toEqual(['containerDefinitions', 'family', 'networkMode']);
  });

  test('sets the image and merges environment and secrets by name into the named containers only', () => {
    const { input, changed } = renderTaskDefinition(
      described,
      change({
        containerNames: ['model'],
        image: 'repo/model@sha256:abc',
        environment: new Map([
          ['MODE', 'batch'],
          ['NEW', ''],
        ]),
        secrets: new Map([['API_KEY', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:key']]),
      }),
    );
    expect(changed).toEqual(['model']);
    const [model, router] = input.containerDefinitions ?? [];
    expect(model?.image).toBe('repo/model@sha256:abc');
    expect(model?.environment).toEqual([
      { name: 'MODE', value: 'batch' },
      { name: 'EMPTY', value: '' },
      { name: 'NEW', value: '' },
    ]);
    expect(model?.secrets?.map((s) => s.name)).toEqual(['TOKEN', 'API_KEY']);
    expect(router).toEqual(described.containerDefinitions[1]);
  });

  test('keeps empty strings the user wrote and drops nulls', () => {
    const { input } = renderTaskDefinition(
      {
        family: 'web',
        cpu: null,
        containerDefinitions: [{ name: 'a', image: 'x:1', command: ['run', ''], user: null }],
      },
      none,
    );
    expect(input).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'a', image: 'x:1', command: ['run', ''] }],
    });
  });

  test('a single container needs no name; several do', () => {
    const single = { family: 'web', containerDefinitions: [{ name: 'only', image: 'x:1' }] };
    expect(renderTaskDefinition(single, change({ image: 'x:2' })).changed).toEqual(['only']);
    expect(errorOf(() => renderTaskDefinition(described, change({ image: 'x:2' })))).toBe(
      "InputError: Input 'container-name' is required when the task definition has several containers; it has: model, log-router",
    );
  });

  test.each([
    [
      change({ containerNames: ['modle'], image: 'x:2' }),
      "Input 'container-name' names 'modle', not in the task definition; its containers are: model, log-router",
    ],
    [change({ containerNames: ['model', 'gpu', 'db'] }), "names 'gpu', 'db', not in the task definition"],
  ])('unknown containers fail naming the ones that exist (%#)', (changes, message) => {
    expect(errorOf(() => renderTaskDefinition(described, changes))).toContain(message);
  });

  test.each<[Record<string, unknown>, string]>([
    [
      { family: 'web', containerDefinition: [] },
      "has a field ECS does not take: 'containerDefinition' (did you mean 'containerDefinitions'?)",
    ],
    [
      { family: 'web', containerDefinitions: [{ name: 'a', image: 'x:1', enviroment: [] }] },
      "'containerDefinitions[0].enviroment' (did you mean 'environment'?)",
    ],
    [{ containerDefinitions: [{ name: 'a', image: 'x:1' }] }, "Input 'task-definition' needs a 'family'"],
    [
      { family: 'web\n::set-output name=x::y', containerDefinitions: [{ name: 'a', image: 'x:1' }] },
      "Input 'task-definition' has a 'family' that is not 1-255 letters, digits, hyphens and underscores",
    ],
    [{ family: 'web', containerDefinitions: [] }, "needs 'containerDefinitions': a list of containers"],
  ])('a template ECS would not take fails: %p', (template, message) => {
    const error = errorOf(() => renderTaskDefinition(template, none));
    expect(error).toContain(message);
  });

  test('carries the template’s tags over when the template has none of its own', () => {
    const tags = [{ key: 'team', value: 'ml' }];
    expect(
      renderTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'a', image: 'x' }] }, none, tags)
        .input.tags,
    ).toEqual(tags);
  });

  test('errors are InputErrors, reported as the user’s mistake', () => {
    expect(() =>
      renderTaskDefinition(
        { family: 'web', containerDefinitions: [{ name: 'a', image: 'x' }] },
        change({ containerNames: ['b'] }),
      ),
    ).toThrow(InputError);
  });
});

describe('sameTaskDefinition', () => {
  const rendered = renderTaskDefinition(described, none).input;
  test.each<[string, Record<string, unknown>, boolean]>([
    ['the same revision rendered without changes', described, true],
    [
      'a file without the defaults ECS fills in',
      {
        ...described,
        containerDefinitions: [
          {
            name: 'model',
            image: 'repo/model:1',
            portMappings: [{ containerPort: 8080 }],
            environment: [
              { name: 'EMPTY', value: '' },
              { name: 'MODE', value: 'serve' },
            ],
            secrets: described.containerDefinitions[0]?.secrets,
          },
          { name: 'log-router', image: 'fluent-bit:2', essential: false },
        ],
      },
      true,
    ],
    [
      'another image',
      {
        ...described,
        containerDefinitions: [
          { ...described.containerDefinitions[0], image: 'repo/model:2' },
          described.containerDefinitions[1],
        ],
      },
      false,
    ],
    [
      'an empty value dropped',
      {
        ...described,
        containerDefinitions: [
          { ...described.containerDefinitions[0], environment: [{ name: 'MODE', value: 'serve' }] },
          described.containerDefinitions[1],
        ],
      },
      false,
    ],
    ['another memory size', { ...described, memory: '2048' }, false],
  ])('%s: %p', (_name, current, same) => {
    expect(sameTaskDefinition(rendered, current)).toBe(same);
  });
});

test('imageChanges lists containers whose image differs, including added ones', () => {
  const after = {
    containerDefinitions: [
      { name: 'model', image: 'repo/model:2' },
      { name: 'log-router', image: 'fluent-bit:2' },
      { name: 'new', image: 'n:1' },
    ],
  };
  expect(imageChanges(described, after)).toEqual([
    { container: 'model', before: 'repo/model:1', after: 'repo/model:2' },
    { container: 'new', before: undefined, after: 'n:1' },
  ]);
  expect(imageChanges(undefined, { containerDefinitions: [{ name: 'a', image: 'x:1' }] })).toEqual([
    { container: 'a', before: undefined, after: 'x:1' },
  ]);
});
