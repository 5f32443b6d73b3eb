import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Cancelled } from '@deploy-suite/kit';
import { pruneAfterDeploy, pruneVersions } from '../../../actions/deploy-sagemaker/src/prune';
import { newOutcome } from '../../../actions/deploy-sagemaker/src/report';
import { recordingLog } from '../../support/fakes';

// keep-versions through a fake SageMaker that pages its lists as the API reference says
// (ListModels / ListEndpointConfigs / ListEndpoints: NameContains, CreationTime Descending by
// default, MaxResults, NextToken) and answers a missing name as SageMaker does
// (ValidationException `Could not find …`).

/** The names resourceNames gives: `<endpoint>-<digest12>-<hash8>`, version n. */
const name = (n: number, kind: 'm' | 'c') =>
  `charges-${n.toString(16).padStart(12, '0')}-${kind === 'm' ? 'aaaa' : 'cccc'}${n.toString(16).padStart(4, '0')}`;
const config = (n: number) => name(n, 'c');
const model = (n: number) => name(n, 'm');

interface Fake {
  models: Map<string, number>;
  configs: Map<string, { created: number; model: string }>;
  endpoints: Map<string, { config: string; pending?: string }>;
  sent: string[];
  refuse: Partial<Record<string, Error>>;
  /** The endpoint's deploy-suite:previous-endpoint-config tag. */
  tags: { previous?: string };
}

function fakeSageMaker(versions: number): Fake & { client: SageMakerClient } {
  const fake: Fake = {
    models: new Map(),
    configs: new Map(),
    endpoints: new Map(),
    sent: [],
    refuse: {},
    tags: {},
  };
  for (let n = 1; n <= versions; n++) {
    fake.models.set(model(n), n * 1000);
    fake.configs.set(config(n), { created: n * 1000, model: model(n) });
  }
  fake.endpoints.set('charges', { config: config(versions) });
  const page = <T>(items: [string, number, T][], input: Record<string, unknown>) => {
    const contains = String(input['NameContains'] ?? '').toLowerCase();
    const sorted = items.filter(([n]) => n.toLowerCase().includes(contains)).sort((a, b) => b[1] - a[1]);
    const start = Number(input['NextToken'] ?? 0);
    const size = Number(input['MaxResults'] ?? 10);
    const next = start + size < sorted.length ? String(start + size) : undefined;
    return { items: sorted.slice(start, start + size), next };
  };
  const missing = (what: string) =>
    Object.assign(new Error(`SageMaker failed after 1 attempt: Could not find ${what} "arn".`), {
      name: 'ValidationException',
    });
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const op = command.constructor.name.replace(/Command$/, '');
    fake.sent.push(op);
    const refusal = fake.refuse[op];
    if (refusal) throw refusal;
    const input = command.input;
    switch (op) {
      case 'ListModels': {
        const { items, next } = page(
          [...fake.models].map(([n, c]) => [n, c, null]),
          input,
        );
        return {
          Models: items.map(([ModelName, c]) => ({ ModelName, CreationTime: new Date(c) })),
          NextToken: next,
        };
      }
      case 'ListEndpointConfigs': {
        const { items, next } = page(
          [...fake.configs].map(([n, c]) => [n, c.created, null]),
          input,
        );
        return {
          EndpointConfigs: items.map(([EndpointConfigName, c]) => ({
            EndpointConfigName,
            CreationTime: new Date(c),
          })),
          NextToken: next,
        };
      }
      case 'ListEndpoints': {
        const { items, next } = page(
          [...fake.endpoints.keys()].map((n, i) => [n, i, null]),
          input,
        );
        return { Endpoints: items.map(([EndpointName]) => ({ EndpointName })), NextToken: next };
      }
      case 'DescribeEndpoint': {
        const found = fake.endpoints.get(String(input['EndpointName']));
        if (!found) throw missing('endpoint');
        return {
          EndpointConfigName: found.config,
          ...(found.pending ? { PendingDeploymentSummary: { EndpointConfigName: found.pending } } : {}),
        };
      }
      case 'DescribeEndpointConfig': {
        const found = fake.configs.get(String(input['EndpointConfigName']));
        if (!found) throw missing('endpoint configuration');
        return { ProductionVariants: [{ ModelName: found.model }] };
      }
      case 'ListTags':
        return {
          Tags:
            fake.tags.previous === undefined
              ? []
              : [{ Key: 'deploy-suite:previous-endpoint-config', Value: fake.tags.previous }],
        };
      case 'DeleteEndpointConfig':
        if (!fake.configs.delete(String(input['EndpointConfigName'])))
          throw missing('endpoint configuration');
        return {};
      case 'DeleteModel':
        if (!fake.models.delete(String(input['ModelName']))) throw missing('model');
        return {};
      default:
        throw new Error(`unexpected ${op}`);
    }
  };
  return { ...fake, client: { send } as unknown as SageMakerClient };
}

const ENDPOINT_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/charges';
const request = (keep: number, protect: string[], endpointArn?: string) => ({
  endpointName: 'charges',
  keep,
  protect,
  endpointArn,
});

// The configuration rollback-to: previous reads (the endpoint's deploy-suite:previous-endpoint-config
// tag) stays with its model, whatever its age and whatever this run's protect list says.
test.each<[string, string | undefined, string[], string[]]>([
  [
    'no tag: the three oldest go',
    undefined,
    [config(1), config(2), config(3)],
    [model(1), model(2), model(3)],
  ],
  [
    'the tag names the oldest: it and its model stay',
    config(1),
    [config(2), config(3)],
    [model(2), model(3)],
  ],
  [
    'the tag names a kept one: nothing more stays',
    config(4),
    [config(1), config(2), config(3)],
    [model(1), model(2), model(3)],
  ],
  [
    'the tag names a configuration already gone: the same three go',
    'charges-999999999999-cccc0999',
    [config(1), config(2), config(3)],
    [model(1), model(2), model(3)],
  ],
])('keep 2 after 5 deploys, %s', async (_case, tag, configs, models) => {
  const sm = fakeSageMaker(5);
  if (tag !== undefined) sm.tags.previous = tag;
  const deleted = await pruneVersions(
    { sagemaker: sm.client, log: recordingLog() },
    request(2, [config(5), config(4)], ENDPOINT_ARN),
  );
  expect(deleted).toEqual([...configs, ...models]);
});

test('the tag cannot be read: one warning, nothing deleted', async () => {
  const sm = fakeSageMaker(5);
  sm.refuse['ListTags'] = Object.assign(new Error('not authorized to perform: sagemaker:ListTags'), {
    name: 'AccessDeniedException',
  });
  const log = recordingLog();
  expect(
    await pruneVersions({ sagemaker: sm.client, log }, request(2, [config(5), config(4)], ENDPOINT_ARN)),
  ).toEqual([]);
  expect(log.lines.filter((line) => line.startsWith('warning'))).toHaveLength(1);
});

test('keep 2 after 5 deploys: the three oldest configurations, then their models, are deleted', async () => {
  const sm = fakeSageMaker(5);
  const log = recordingLog();
  const deleted = await pruneVersions({ sagemaker: sm.client, log }, request(2, [config(5), config(4)]));
  expect(deleted).toEqual([config(1), config(2), config(3), model(1), model(2), model(3)]);
  expect([...sm.configs.keys()]).toEqual([config(4), config(5)]);
  expect([...sm.models.keys()]).toEqual([model(4), model(5)]);
  expect(log.lines.filter((line) => line.startsWith('warning'))).toEqual([]);
});

test('a configuration another endpoint serves or is being updated to stays, with its model', async () => {
  const sm = fakeSageMaker(5);
  sm.endpoints.set('charges-shadow', { config: config(1) });
  sm.endpoints.set('charges-canary', { config: 'someone-elses', pending: config(2) });
  sm.configs.set('someone-elses', { created: 1, model: model(3) });
  const deleted = await pruneVersions(
    { sagemaker: sm.client, log: recordingLog() },
    request(2, [config(5), config(4)]),
  );
  expect(deleted).toEqual([config(3)]);
  expect(sm.models.has(model(3))).toBe(true); // referenced by a configuration another endpoint serves
});

test('nothing beyond keep: nothing is listed beyond the two lists, nothing deleted', async () => {
  const sm = fakeSageMaker(2);
  sm.tags.previous = config(1);
  expect(
    await pruneVersions(
      { sagemaker: sm.client, log: recordingLog() },
      request(2, [config(2), config(1)], ENDPOINT_ARN),
    ),
  ).toEqual([]);
  expect(sm.sent.sort()).toEqual(['ListEndpointConfigs', 'ListModels']);
});

test('lists are read page after page (NextToken), at 100 a page', async () => {
  const sm = fakeSageMaker(150);
  const deleted = await pruneVersions(
    { sagemaker: sm.client, log: recordingLog() },
    request(3, [config(150), config(149)]),
  );
  expect(deleted).toHaveLength(2 * 147);
  expect(sm.sent.filter((op) => op === 'ListModels')).toHaveLength(2);
});

test('a delete refused (AccessDeniedException) is one warning line; the rest goes on; nothing throws', async () => {
  const sm = fakeSageMaker(4);
  sm.refuse['DeleteModel'] = Object.assign(
    new Error(
      'SageMaker DeleteModel failed after 1 attempt: User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: sagemaker:DeleteModel',
    ),
    { name: 'AccessDeniedException' },
  );
  const log = recordingLog();
  const deleted = await pruneVersions({ sagemaker: sm.client, log }, request(2, [config(4), config(3)]));
  expect(deleted).toEqual([config(1), config(2)]);
  const warnings = log.lines.filter((line) => line.startsWith('warning'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(
    new RegExp(
      `^warning: keep-versions: could not delete ${model(1)}, ${model(2)}: .*not authorized to perform: sagemaker:DeleteModel`,
    ),
  );
});

test('a name already gone counts as deleted (a retried delete whose answer was lost)', async () => {
  const sm = fakeSageMaker(3);
  const realSend = sm.client.send.bind(sm.client);
  (sm.client as { send: unknown }).send = async (command: {
    constructor: { name: string };
    input: Record<string, unknown>;
  }) => {
    if (command.constructor.name === 'DeleteEndpointConfigCommand')
      sm.configs.delete(String(command.input['EndpointConfigName']));
    return realSend(command as never);
  };
  const log = recordingLog();
  expect(await pruneVersions({ sagemaker: sm.client, log }, request(2, [config(3), config(2)]))).toEqual([
    config(1),
    model(1),
  ]);
  expect(log.lines.filter((line) => line.startsWith('warning'))).toEqual([]);
});

test('ListEndpoints refused: one warning, nothing deleted (which configurations are in use is not known)', async () => {
  const sm = fakeSageMaker(4);
  sm.refuse['ListEndpoints'] = Object.assign(
    new Error('not authorized to perform: sagemaker:ListEndpoints'),
    {
      name: 'AccessDeniedException',
    },
  );
  const log = recordingLog();
  expect(await pruneVersions({ sagemaker: sm.client, log }, request(2, [config(4), config(3)]))).toEqual([]);
  expect(sm.sent).not.toContain('DeleteEndpointConfig');
  expect(log.lines.filter((line) => line.startsWith('warning'))).toEqual([
    "warning: keep-versions: nothing deleted, the endpoint's versions could not be read: not authorized to perform: sagemaker:ListEndpoints",
  ]);
});

test('a cancel during the prune is not swallowed', async () => {
  const sm = fakeSageMaker(4);
  sm.refuse['DeleteEndpointConfig'] = new Cancelled('The runner cancelled the step');
  await expect(
    pruneVersions({ sagemaker: sm.client, log: recordingLog() }, request(2, [config(4), config(3)])),
  ).rejects.toBeInstanceOf(Cancelled);
});

describe('pruneAfterDeploy', () => {
  const outcomeOf = (status: 'succeeded' | 'rolled-back', action: 'update' | 'nothing') => ({
    ...newOutcome('charges'),
    status,
    action,
    endpointConfigName: config(4),
    previous: action === 'update' ? config(3) : undefined,
  });

  test.each<[string, 'succeeded' | 'rolled-back', 'update' | 'nothing', number, number]>([
    ['a successful update prunes, protecting the previous configuration', 'succeeded', 'update', 2, 2],
    ['keep-versions 0 deletes nothing', 'succeeded', 'update', 0, 0],
    ['a failed update (rolled back by SageMaker) deletes nothing', 'rolled-back', 'update', 2, 0],
    ['a run that changed nothing knows no rollback target: deletes nothing', 'succeeded', 'nothing', 2, 0],
  ])('%s', async (_why, status, action, keep, configsDeleted) => {
    const sm = fakeSageMaker(4);
    const outcome = outcomeOf(status, action);
    await pruneAfterDeploy({ sagemaker: sm.client, log: recordingLog() }, keep, outcome);
    expect(outcome.pruned.filter((n) => n === config(1) || n === config(2))).toHaveLength(configsDeleted);
    expect(sm.configs.has(config(3))).toBe(true);
  });
});
