/**
 * Hostile JSON in the EBS volume inputs (service-managed-ebs-volume, run-task-managed-ebs-volume):
 * names given twice, Object's own names as members or values, deep nesting, numbers out of range,
 * 100,000-character values, invisible characters. Each is refused in one line that names the input,
 * or accepted as it was written. Duplicates: RFC 8259 §4, "The names within an object SHOULD be
 * unique", else receivers behave unpredictably (JSON.parse keeps the last).
 */
import { readServiceVolume, readTaskVolume } from '../../../actions/deploy-ecs/src/ebs-volumes';
import { shapeProblems } from '../../../actions/deploy-ecs/src/ecs-model';
import { duplicateName, parseJsonInput } from '../../../actions/deploy-ecs/src/json-input';
import { NO_RENDER_OVERRIDES } from '../../../actions/deploy-ecs/src/render-overrides';
import { renderTaskDefinition } from '../../../actions/deploy-ecs/src/task-definition';
import { parseDocument } from 'yaml';
import { REGISTER_TASK_DEFINITION_MODEL } from '../../../actions/deploy-ecs/src/register-task-definition-model.generated';
import { errorOf, inputsOf } from '../../support/inputs';

/** The refusal's message; it must be an InputError (a one-line refusal, not a bug). */
const refusalOf = (work: () => unknown): string => {
  const error = errorOf(work);
  expect(error).toMatch(/^InputError: /);
  return error.replace(/^InputError: /, '');
};

const ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
/** What a refusal must never hold raw: a line break, a terminal escape, a zero-width space. */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const UNSHOWABLE = /[\n\r\u001b\u200b]/;

describe('duplicateName', () => {
  test.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":1,"b":{"c":1,"c":2}}', 'b.c'],
    ['{"t":[{"k":1},{"k":1,"k":2}]}', 't[1].k'],
    ['[{"x":1},{"y":1,"y":1}]', '[1].y'],
    // The same name after escapes is the same name.
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"a b":1,"a b":2}', '"a b"'],
    ['{"__proto__":{},"__proto__":{}}', '__proto__'],
  ])('%s gives %s twice', (text, path) => {
    expect(duplicateName(text)).toEqual({ path });
  });

  test.each([
    ['{"a":1,"b":{"a":2}}'],
    ['[{"a":1},{"a":2}]'],
    // Names inside string values are values.
    ['{"a":"\\"a\\":1","b":"{\\"a\\":2}"}'],
    ['{"a":"}","a2":"{"}'],
    ['"a"'],
    ['1'],
  ])('%s gives no name twice', (text) => {
    expect(duplicateName(text)).toBeUndefined();
  });

  test('100,000 levels of nesting are walked without exhausting the stack', () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(duplicateName(deep)).toBeUndefined();
    const twice = `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)},"x":1}`;
    expect(duplicateName(twice)).toEqual({ path: 'x' });
  });
});

describe('refusals show the value, never act on it', () => {
  test("JSON.parse's quote of the broken text is shown with its line breaks and escapes visible", () => {
    const error = refusalOf(() => parseJsonInput('v', '{"a": tru\n::error::HOSTILE\u001b[31m'));
    expect(error).toMatch(/^Input 'v' is not valid JSON: /);
    expect(error).not.toMatch(UNSHOWABLE);
  });
});

describe('service-managed-ebs-volume and run-task-managed-ebs-volume with hostile JSON', () => {
  const volume = (json: string) =>
    readServiceVolume(
      inputsOf({ 'service-managed-ebs-volume-name': 'data', 'service-managed-ebs-volume': json }),
    );
  const task = (json: string) =>
    readTaskVolume(
      inputsOf({ 'run-task-managed-ebs-volume-name': 'scratch', 'run-task-managed-ebs-volume': json }),
    );
  const valid = `"roleArn":"${ROLE}","sizeInGiB":30`;

  test.each([
    ['a size given twice, the larger last', `{${valid},"sizeInGiB":3000}`, 'gives sizeInGiB twice'],
    ['a size given twice, the larger first', `{"sizeInGiB":3000,${valid}}`, 'gives sizeInGiB twice'],
    [
      'a tag spec member twice',
      `{${valid},"tagSpecifications":[{"resourceType":"volume","resourceType":"volume"}]}`,
      'gives tagSpecifications[0].resourceType twice',
    ],
    ['__proto__ as a member', `{${valid},"__proto__":{"sizeInGiB":1}}`, '__proto__: unknown field'],
    ['constructor as a member', `{${valid},"constructor":{"prototype":{}}}`, 'constructor: unknown field'],
    ['toString as a member', `{${valid},"toString":1}`, 'toString: unknown field'],
    [
      '__proto__ inside a tag spec',
      `{${valid},"tagSpecifications":[{"resourceType":"volume","__proto__":{}}]}`,
      'tagSpecifications[0].__proto__: unknown field',
    ],
    [
      'constructor as volumeType',
      `{${valid},"volumeType":"constructor"}`,
      "volumeType: 'constructor' is not one of gp2",
    ],
    [
      '__proto__ as volumeType',
      `{${valid},"volumeType":"__proto__"}`,
      "volumeType: '__proto__' is not one of gp2",
    ],
    ['hasOwnProperty as volumeType', `{${valid},"volumeType":"hasOwnProperty"}`, 'is not one of gp2'],
    [
      'a size past 64-bit floats',
      `{"roleArn":"${ROLE}","sizeInGiB":1e400}`,
      'sizeInGiB: expected a whole number (got the number Infinity)',
    ],
    [
      'a size past Int32',
      `{"roleArn":"${ROLE}","sizeInGiB":2147483648}`,
      'sizeInGiB: must be at most 2147483647',
    ],
    [
      'a size past 2^53',
      `{"roleArn":"${ROLE}","sizeInGiB":9007199254740993}`,
      'sizeInGiB: must be at most 2147483647',
    ],
    ['a negative size', `{"roleArn":"${ROLE}","sizeInGiB":-1}`, 'sizeInGiB: must be 1–65,536 GiB; got -1'],
    ['a fractional size', `{"roleArn":"${ROLE}","sizeInGiB":30.5}`, 'sizeInGiB: expected a whole number'],
    [
      'iops as an exponent',
      `{${valid},"volumeType":"gp3","iops":1e6}`,
      'iops: must be 3,000–80,000 IOPS for gp3; got 1000000',
    ],
    ['--help', '--help', 'is not valid JSON'],
    [
      '100,000 levels of lists',
      `{${valid},"tagSpecifications":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      'tagSpecifications[0]: expected an object (got a list)',
    ],
    [
      '100,000 levels of objects',
      `{${valid},"x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
      'x: unknown field',
    ],
    [
      'a role ARN with a line of commands',
      `{"roleArn":"${ROLE}\\n::error::HOSTILE","sizeInGiB":30}`,
      'roleArn: must be an IAM role ARN',
    ],
    ['a role ARN with a zero-width space', `{"roleArn":"${ROLE}\\u200b","sizeInGiB":30}`, '\\u200b'],
  ])('refuses %s in one line naming the input', (_, json, why) => {
    for (const [read, input] of [
      [volume, 'service-managed-ebs-volume'],
      [task, 'run-task-managed-ebs-volume'],
    ] as const) {
      const error = refusalOf(() => read(json));
      expect(error.startsWith(`Input '${input}' `)).toBe(true);
      expect(error).toContain(why);
      expect(error).not.toMatch(UNSHOWABLE);
      expect(error.length).toBeLessThan(400);
    }
  });

  test('a 100,000-character value is quoted cut, in one short line', () => {
    const long = 'a'.repeat(100_000);
    for (const json of [
      `{"roleArn":"${long}","sizeInGiB":30}`,
      `{${valid},"filesystemType":"${long}"}`,
      `{${valid},"${long}":1}`,
    ]) {
      const error = refusalOf(() => volume(json));
      expect(error).toMatch(/^Input 'service-managed-ebs-volume' is not a volume configuration ECS takes: /);
      expect(error).toContain('characters)');
      expect(error.length).toBeLessThan(400);
    }
    const name = refusalOf(() =>
      readServiceVolume(
        inputsOf({ 'service-managed-ebs-volume-name': long, 'service-managed-ebs-volume': `{${valid}}` }),
      ),
    );
    expect(name).toMatch(/^Input 'service-managed-ebs-volume-name' must be up to 255 letters/);
    expect(name).toContain('(100000 characters)');
  });

  test.each([
    ['a line of commands', 'data\n::error::HOSTILE', 'data\\u000a::error::HOSTILE'],
    ['a carriage return', 'data\r::add-mask::HOSTILE', 'data\\u000d::add-mask::HOSTILE'],
    ['a terminal escape', '\u001b[31mdata', '\\u001b[31mdata'],
    ['a right-to-left override', 'data\u202e', 'data\\u202e'],
  ])('a volume name with %s is refused, the character shown', (_, name, shown) => {
    const error = refusalOf(() =>
      readServiceVolume(
        inputsOf({ 'service-managed-ebs-volume-name': name, 'service-managed-ebs-volume': `{${valid}}` }),
      ),
    );
    expect(error).toContain(`Input 'service-managed-ebs-volume-name' must be up to 255 letters`);
    expect(error).toContain(`got '${shown}'`);
  });

  test("a byte order mark before the JSON is trimmed with the value (@actions/core getInput trims), as JavaScript's trim does", () => {
    expect(volume(`\ufeff{${valid}}`)).toEqual({
      name: 'data',
      managedEBSVolume: { roleArn: ROLE, sizeInGiB: 30 },
    });
  });

  test('tag values that are workflow commands, Markdown or HTML are data: sent as written', () => {
    const tags = [
      { key: 'note', value: '::set-output name=x::y' },
      { key: 'html', value: '<script>alert(1)</script> **bold** %0A' },
    ];
    const json = JSON.stringify({
      roleArn: ROLE,
      sizeInGiB: 30,
      tagSpecifications: [{ resourceType: 'volume', tags }],
    });
    expect(volume(json)).toEqual({ name: 'data', managedEBSVolume: JSON.parse(json) });
  });
});

describe('the ECS model check', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    "a task definition member named %s is an unknown field, not Object's",
    (key) => {
      const input = JSON.parse(`{"family":"web","containerDefinitions":[],"${key}":{}}`) as unknown;
      expect(shapeProblems(REGISTER_TASK_DEFINITION_MODEL, 'RegisterTaskDefinitionRequest', input)).toEqual([
        { path: key, why: expect.stringMatching(/^unknown field/) },
      ]);
    },
  );
});

describe("a task definition file with Object's names as members", () => {
  const none = {
    containerNames: [],
    image: undefined,
    images: new Map<string, string>(),
    environment: new Map<string, string>(),
    secrets: new Map<string, string>(),
    overrides: NO_RENDER_OVERRIDES,
  };
  const container = '{"name":"model","image":"registry.local/scoring:1","memory":512}';
  // Read as the task-definition input reads a file (yaml, which keeps __proto__ an own member).
  test.each([
    [`{"__proto__":{"cpu":"4096"},"family":"web","containerDefinitions":[${container}]}`, '__proto__'],
    [`{"constructor":{},"family":"web","containerDefinitions":[${container}]}`, 'constructor'],
    [
      `{"family":"web","containerDefinitions":[{"__proto__":{"privileged":true},"name":"model","image":"registry.local/scoring:1","memory":512}]}`,
      'containerDefinitions[0].__proto__',
    ],
  ])('%s is refused: %s is an unknown field, never the prototype', (text, path) => {
    const file = parseDocument(text).toJS() as Record<string, unknown>;
    expect(refusalOf(() => renderTaskDefinition(file, none))).toContain(`${path}: unknown field`);
  });
});
