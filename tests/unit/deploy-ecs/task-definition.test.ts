import { InputError } from '@deploy-suite/kit';
import {
  imageChanges,
  renderTaskDefinition,
  sameTaskDefinition,
  type ContainerChanges,
} from '../../../actions/deploy-ecs/src/task-definition';
import { errorOf } from '../../support/inputs';
import { NO_RENDER_OVERRIDES } from '../../../actions/deploy-ecs/src/render-overrides';

const none: ContainerChanges = {
  containerNames: [],
  image: undefined,
  images: new Map(),
  environment: new Map(),
  secrets: new Map(),
  overrides: NO_RENDER_OVERRIDES,
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

  // Paths and problems as AWS's model of RegisterTaskDefinition has them (botocore's service-2.json,
  // which the AWS CLI validates against; its validate.py refuses the same types, lists and enums).
  const app = { name: 'app', image: 'x:1' };
  test.each<[string, Record<string, unknown>, string]>([
    [
      'a misspelt top-level field',
      { family: 'web', containerDefinition: [] },
      'containerDefinition: unknown field (did you mean containerDefinitions?)',
    ],
    [
      'a field in the wrong case (ECS would drop healthcheck without a word)',
      {
        family: 'web',
        containerDefinitions: [app, { ...app, name: 'b', healthcheck: { command: ['true'] } }],
      },
      'containerDefinitions[1].healthcheck: unknown field (did you mean healthCheck?)',
    ],
    [
      'a misspelt container field',
      { family: 'web', containerDefinitions: [{ ...app, enviroment: [] }] },
      'containerDefinitions[0].enviroment: unknown field (did you mean environment?)',
    ],
    [
      'an object where a list belongs',
      {
        family: 'web',
        containerDefinitions: [app, { ...app, name: 'b', portMappings: { containerPort: 80 } }],
      },
      'containerDefinitions[1].portMappings: expected a list (got an object)',
    ],
    [
      'a list where an object belongs',
      { family: 'web', containerDefinitions: [{ ...app, logConfiguration: [] }] },
      'containerDefinitions[0].logConfiguration: expected an object (got a list)',
    ],
    [
      'a quoted number where ECS takes an integer',
      { family: 'web', containerDefinitions: [{ ...app, memory: '512' }] },
      'containerDefinitions[0].memory: expected a whole number (got the string "512"); write 512 without quotes',
    ],
    [
      'a number where ECS takes a string (task-level cpu)',
      { family: 'web', cpu: 256, containerDefinitions: [app] },
      'cpu: expected a string (got the number 256); write "256"',
    ],
    [
      'a value outside an enum',
      { family: 'web', networkMode: 'AWSVPC', containerDefinitions: [app] },
      "networkMode: 'AWSVPC' is not one of bridge, host, awsvpc, none (did you mean awsvpc?)",
    ],
    [
      'a nested enum',
      {
        family: 'web',
        containerDefinitions: [{ ...app, portMappings: [{ containerPort: 80, protocol: 'TCP' }] }],
      },
      "containerDefinitions[0].portMappings[0].protocol: 'TCP' is not one of tcp, udp (did you mean tcp?)",
    ],
    [
      'a boolean written as a string',
      { family: 'web', containerDefinitions: [{ ...app, essential: 'true' }] },
      'containerDefinitions[0].essential: expected true or false (got the string "true")',
    ],
    [
      'a required member missing deep down',
      { family: 'web', containerDefinitions: [{ ...app, secrets: [{ name: 'TOKEN' }] }] },
      'containerDefinitions[0].secrets[0].valueFrom: is required',
    ],
    [
      'a docker label that is not a string',
      { family: 'web', containerDefinitions: [{ ...app, dockerLabels: { 'com.example.port': 8080 } }] },
      'containerDefinitions[0].dockerLabels["com.example.port"]: expected a string (got the number 8080)',
    ],
    [
      'a log option under a misspelt key',
      { family: 'web', containerDefinitions: [{ ...app, logConfiguration: { logdriver: 'awslogs' } }] },
      'containerDefinitions[0].logConfiguration.logdriver: unknown field (did you mean logDriver?); containerDefinitions[0].logConfiguration.logDriver: is required',
    ],
    ['no family', { containerDefinitions: [app] }, 'family: is required'],
    [
      'no containers',
      { family: 'web', containerDefinitions: [] },
      'containerDefinitions: needs at least one container',
    ],
    [
      'a family ECS does not take (model documentation: letters, numbers, _ and -)',
      { family: 'web app', containerDefinitions: [app] },
      "family: 'web app' is not up to 255 letters, numbers, underscores and hyphens",
    ],
    [
      'a container name ECS does not take',
      { family: 'web', containerDefinitions: [{ ...app, name: 'app.v2' }] },
      "containerDefinitions[0].name: 'app.v2' is not up to 255 letters",
    ],
    [
      'more containers than the quota of 10 (Amazon ECS service quotas, not adjustable)',
      {
        family: 'web',
        containerDefinitions: Array.from({ length: 11 }, (_, i) => ({ ...app, name: `c${i}` })),
      },
      'containerDefinitions: has 11 containers; ECS takes at most 10',
    ],
    [
      'more than 50 tags (the model: Tags max 50)',
      {
        family: 'web',
        containerDefinitions: [app],
        tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}` })),
      },
      'tags: takes at most 50 items; has 51',
    ],
    [
      'a tag of the user’s own under the reserved aws: prefix (RegisterTaskDefinition.tags)',
      { family: 'web', containerDefinitions: [app], tags: [{ key: 'aws:team', value: 'ml' }] },
      "tags[0].key: 'aws:team': the aws: prefix is reserved for AWS use",
    ],
    [
      'a tag key given twice',
      {
        family: 'web',
        containerDefinitions: [app],
        tags: [
          { key: 'team', value: 'ml' },
          { key: 'team', value: 'data' },
        ],
      },
      "tags[1].key: 'team' is given twice",
    ],
    [
      'a secret that is neither an ARN nor a parameter name (API reference, Secret.valueFrom)',
      { family: 'web', containerDefinitions: [{ ...app, secrets: [{ name: 'T', valueFrom: 'my secret' }] }] },
      "containerDefinitions[0].secrets[0].valueFrom: 'my secret' is not a Secrets Manager or SSM parameter ARN",
    ],
    [
      'a log secret with an ARN of another service',
      {
        family: 'web',
        containerDefinitions: [
          {
            ...app,
            logConfiguration: {
              logDriver: 'splunk',
              secretOptions: [{ name: 'splunk-token', valueFrom: 'arn:aws:s3:::bucket/token' }],
            },
          },
        ],
      },
      "containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom: 'arn:aws:s3:::bucket/token' is neither",
    ],
    [
      'an image by a malformed digest (ContainerDefinition.image)',
      { family: 'web', containerDefinitions: [{ ...app, image: 'repo@sha256:abc' }] },
      'containerDefinitions[0].image: has a digest that is not sha256: followed by 64 hexadecimal digits',
    ],
  ])('refuses %s', (_name, template, message) => {
    const error = errorOf(() => renderTaskDefinition(template, none));
    expect(error).toMatch(/^InputError: Input 'task-definition' is not a task definition ECS takes: /);
    expect(error).toContain(message);
  });

  test('several problems are listed in one line, the first five of them', () => {
    const error = errorOf(() =>
      renderTaskDefinition(
        { family: 'web', containerDefinitions: [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }] },
        none,
      ),
    );
    expect(error).not.toContain('\n');
    expect(error).toContain('containerDefinitions[0].e: unknown field; and 2 more');
  });

  test('a huge value or key from the file is cut short in the error line', () => {
    const error = errorOf(() =>
      renderTaskDefinition(
        { family: 'web', networkMode: 'x'.repeat(10_000), containerDefinitions: [app] },
        none,
      ),
    );
    expect(error.length).toBeLessThan(500);
    expect(error).toContain("networkMode: 'xxx");
    expect(error).toContain('…');
  });

  test('a task definition as the API model documents it in full passes', () => {
    const full = {
      family: 'scorer',
      taskRoleArn: 'arn:aws:iam::123456789012:role/scorer',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '1 vCPU',
      memory: '2048',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      ephemeralStorage: { sizeInGiB: 30 },
      volumes: [
        { name: 'models', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED' } },
      ],
      containerDefinitions: [
        {
          name: 'model',
          image: `1234.dkr.ecr.us-east-1.amazonaws.com/scorer@sha256:${'a'.repeat(64)}`,
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: 'tcp', appProtocol: 'http', name: 'http' }],
          environment: [{ name: 'MODE', value: '' }],
          secrets: [
            {
              name: 'A',
              valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::',
            },
            { name: 'B', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/token' },
            { name: 'C', valueFrom: '/prod/token' },
            { name: 'D', valueFrom: 'token' },
          ],
          healthCheck: {
            command: ['CMD-SHELL', 'curl -f http://localhost:8080/v2/health/ready'],
            interval: 10,
          },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/scorer' } },
          dockerLabels: { 'com.example.team': 'ml', empty: '' },
          mountPoints: [{ sourceVolume: 'models', containerPath: '/models', readOnly: true }],
          dependsOn: [{ containerName: 'log-router', condition: 'START' }],
          ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
          linuxParameters: { initProcessEnabled: true, capabilities: { add: ['SYS_PTRACE'] } },
          resourceRequirements: [{ type: 'GPU', value: '1' }],
        },
        {
          name: 'log-router',
          image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
          essential: false,
          firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
        },
      ],
      tags: [{ key: 'team', value: 'ml' }],
    };
    expect(renderTaskDefinition(full, none).input).toEqual(full);
  });

  test('carries the template’s tags over when the template has none of its own', () => {
    const tags = [{ key: 'team', value: 'ml' }];
    expect(
      renderTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'a', image: 'x' }] }, none, tags)
        .input.tags,
    ).toEqual(tags);
  });

  describe('aws ecs describe-task-definition output, as printed', () => {
    // The CLI prints {"taskDefinition": {...}} and, with --include TAGS, "tags" beside it
    // (API reference, DescribeTaskDefinition response).
    const printed = { taskDefinition: described, tags: [{ key: 'team', value: 'ml' }] };

    test('registers the inner task definition without its read-only fields, with the tags beside it', () => {
      const rendered = renderTaskDefinition(printed, change({ containerNames: ['model'], image: 'x:2' }));
      expect(rendered.ignored).toContain('taskDefinitionArn');
      expect(rendered.input.family).toBe('web');
      expect(rendered.input.tags).toEqual([{ key: 'team', value: 'ml' }]);
      expect(rendered.input.containerDefinitions?.[0]?.image).toBe('x:2');
      expect(rendered.input).not.toHaveProperty('taskDefinition');
    });

    test('without --include TAGS there are no tags, and an empty list registers none', () => {
      expect(renderTaskDefinition({ taskDefinition: described }, none).input).not.toHaveProperty('tags');
      expect(renderTaskDefinition({ taskDefinition: described, tags: [] }, none).input).not.toHaveProperty(
        'tags',
      );
    });

    test('its tags win over the tags of the service’s current revision', () => {
      const rendered = renderTaskDefinition(printed, none, [{ key: 'old', value: '1' }]);
      expect(rendered.input.tags).toEqual([{ key: 'team', value: 'ml' }]);
    });

    test('tags AWS reserves (a CloudFormation stack’s) are left out and named, from the file or the service', () => {
      const stackTags = [
        { key: 'aws:cloudformation:stack-name', value: 'ml' },
        { key: 'AWS:Owner', value: 'x' },
        { key: 'team', value: 'ml' },
      ];
      for (const rendered of [
        renderTaskDefinition({ taskDefinition: described, tags: stackTags }, none),
        renderTaskDefinition(described, none, stackTags),
      ]) {
        expect(rendered.input.tags).toEqual([{ key: 'team', value: 'ml' }]);
        expect(rendered.reservedTags).toEqual(['aws:cloudformation:stack-name', 'AWS:Owner']);
      }
    });

    test('every read-only field AWS’s model lists is left out, deleteRequestedAt included', () => {
      const withAll = {
        taskDefinition: {
          ...described,
          deregisteredAt: '2024-06-01T00:00:00Z',
          deleteRequestedAt: '2024-06-02T00:00:00Z',
          status: 'INACTIVE',
        },
      };
      const rendered = renderTaskDefinition(withAll, none);
      for (const field of [
        'taskDefinitionArn',
        'revision',
        'status',
        'requiresAttributes',
        'compatibilities',
        'registeredAt',
        'registeredBy',
        'deregisteredAt',
        'deleteRequestedAt',
      ]) {
        expect(rendered.ignored).toContain(field);
        expect(rendered.input).not.toHaveProperty(field);
      }
    });

    test.each<[string, Record<string, unknown>, string]>([
      [
        'a field beside taskDefinition',
        { taskDefinition: described, revision: 4 },
        'revision: unknown field beside taskDefinition',
      ],
      [
        'tags that are not a list',
        { taskDefinition: described, tags: { team: 'ml' } },
        'tags: expected a list (got an object)',
      ],
      [
        'a tag key too long (the model: TagKey at most 128)',
        { taskDefinition: described, tags: [{ key: 'k'.repeat(129) }] },
        'tags[0].key: takes at most 128 characters; has 129',
      ],
      [
        'tags both inside and beside',
        { taskDefinition: { ...described, tags: [] }, tags: [] },
        'tags: given both here and in taskDefinition.tags',
      ],
      [
        'a shape error inside, named by its path in the task definition',
        { taskDefinition: { ...described, networkMode: 'vpc' } },
        "networkMode: 'vpc' is not one of",
      ],
    ])('refuses %s', (_name, template, message) => {
      expect(errorOf(() => renderTaskDefinition(template, none))).toContain(message);
    });
  });

  describe('images: several containers in one revision', () => {
    test('sets each named container’s image, beside container-name/image for another', () => {
      const rendered = renderTaskDefinition(
        described,
        change({
          containerNames: ['model'],
          image: 'repo/model:2',
          images: new Map([['log-router', 'fluent-bit:3']]),
        }),
      );
      expect(rendered.input.containerDefinitions?.map((c) => c.image)).toEqual([
        'repo/model:2',
        'fluent-bit:3',
      ]);
      expect(rendered.changed).toEqual(['model', 'log-router']);
    });

    test('alone, it needs no container-name even with several containers', () => {
      const rendered = renderTaskDefinition(
        described,
        change({
          images: new Map([
            ['model', 'repo/model:3'],
            ['log-router', 'fluent-bit:3'],
          ]),
        }),
      );
      expect(rendered.input.containerDefinitions?.map((c) => c.image)).toEqual([
        'repo/model:3',
        'fluent-bit:3',
      ]);
      // Environment and secrets stay as they were: images sets images only.
      expect(rendered.input.containerDefinitions?.[0]?.environment).toEqual(
        described.containerDefinitions[0]?.environment,
      );
    });

    test.each<[string, Partial<ContainerChanges>, string]>([
      [
        'an unknown container, naming the input',
        { images: new Map([['sidecar', 'x:1']]) },
        "InputError: Input 'images' names 'sidecar', not in the task definition; its containers are: model, log-router",
      ],
      [
        'the container image already sets',
        { containerNames: ['model'], image: 'x:2', images: new Map([['model', 'x:3']]) },
        "InputError: Input 'images' sets 'model', which image already sets",
      ],
    ])('refuses %s', (_name, changes, message) => {
      expect(errorOf(() => renderTaskDefinition(described, change(changes)))).toContain(message);
    });
  });

  describe('the 64 KiB limit on a task definition (RegisterTaskDefinition: "Max allowed length is 65536 bytes")', () => {
    const template = (value: string) => ({
      family: 'web',
      containerDefinitions: [{ name: 'a', image: 'x:1', environment: [{ name: 'BIG', value }] }],
    });
    const overhead = JSON.stringify(template('')).length;

    test('exactly 65,536 bytes as sent registers; one more is refused, naming the largest value', () => {
      expect(() => renderTaskDefinition(template('v'.repeat(65_536 - overhead)), none)).not.toThrow();
      expect(errorOf(() => renderTaskDefinition(template('v'.repeat(65_537 - overhead)), none))).toBe(
        "InputError: Input 'task-definition' makes a task definition of 65,537 bytes as JSON; ECS takes at most 65,536 (64 KiB). Largest values: containerDefinitions[0].environment[0].value (65,427 bytes). Move large values to environmentFiles or secrets",
      );
    });

    test('bytes, not characters: multi-byte values count in UTF-8', () => {
      const error = errorOf(() => renderTaskDefinition(template('é'.repeat(33_000)), none));
      expect(error).toContain('66,');
    });

    test.each<[string, Partial<ContainerChanges>, string]>([
      [
        'environment-variables',
        { environment: new Map([['BIG', 'v'.repeat(70_000)]]) },
        "Input 'environment-variables' makes",
      ],
      [
        'secrets',
        { secrets: new Map([['S', `arn:aws:ssm:us-east-1:123456789012:parameter/${'p'.repeat(70_000)}`]]) },
        "Input 'secrets' makes",
      ],
    ])('what %s adds is blamed on that input', (_name, changes, message) => {
      expect(errorOf(() => renderTaskDefinition(template('small'), change(changes)))).toContain(message);
    });

    test('docker labels count too, and are named', () => {
      const labels = {
        family: 'web',
        containerDefinitions: [
          { name: 'a', image: 'x:1', dockerLabels: { 'com.example.blob': 'b'.repeat(66_000) } },
        ],
      };
      expect(errorOf(() => renderTaskDefinition(labels, none))).toContain(
        'containerDefinitions[0].dockerLabels["com.example.blob"] (66,000 bytes)',
      );
    });
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
