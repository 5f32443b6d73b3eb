/**
 * examples/iam/template.yaml uses CloudFormation's resources as their registry schemas define them
 * (the AWS CDK's service spec, @aws-cdk/aws-service-spec, built from those schemas): every resource
 * type exists, every property is one the type has and of its kind, every required property is set,
 * and every Fn::GetAtt names an attribute the type returns. Checked for every role switched on and
 * for the smallest useful set of parameters.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readTemplate } from '../../support/iam/cfn';
import { TEMPLATE_PATH, templateFor } from '../../support/iam/policy';
import { EVERYTHING } from '../../support/iam/roles';

interface SpecType {
  type: string;
  element?: SpecType;
  types?: SpecType[];
  reference?: { $ref: string };
}
interface SpecProperty {
  type: SpecType;
  required?: boolean;
}
interface SpecResource {
  cloudFormationType: string;
  properties: Record<string, SpecProperty>;
  attributes: Record<string, unknown>;
}
interface SpecTypeDefinition {
  $id: string;
  properties: Record<string, SpecProperty>;
}

const database = JSON.parse(
  gunzipSync(
    readFileSync(join(dirname(require.resolve('@aws-cdk/aws-service-spec')), '..', 'db.json.gz')),
  ).toString('utf8'),
) as {
  schema: {
    resource: { entities: SpecResource[] };
    typeDefinition: { entities: SpecTypeDefinition[] };
  };
};
const resourceTypes = new Map(database.schema.resource.entities.map((r) => [r.cloudFormationType, r]));
const typeDefinitions = new Map(database.schema.typeDefinition.entities.map((t) => [t.$id, t]));

/** Where `value` does not fit `type`, as path: problem lines. */
function misfits(value: unknown, type: SpecType, path: string): string[] {
  switch (type.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'json':
      return typeof value === 'object' && value !== null ? [] : [`${path}: not an object`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => misfits(item, type.element ?? { type: 'json' }, `${path}[${i}]`))
        : [`${path}: not a list`];
    case 'union':
      return (type.types ?? []).some((option) => misfits(value, option, path).length === 0)
        ? []
        : [`${path}: none of ${(type.types ?? []).map((t) => t.type).join(', ')}`];
    case 'ref': {
      const definition = typeDefinitions.get(type.reference?.$ref ?? '');
      if (!definition) return [`${path}: unknown type ${type.reference?.$ref}`];
      return propertyMisfits(value as Record<string, unknown>, definition.properties, path);
    }
    default:
      return [];
  }
}

function propertyMisfits(
  value: Record<string, unknown>,
  properties: Record<string, SpecProperty>,
  path: string,
): string[] {
  const unknown = Object.keys(value)
    .filter((name) => !(name in properties))
    .map((name) => `${path}.${name}: no such property`);
  const missing = Object.entries(properties)
    .filter(([name, property]) => property.required && !(name in value))
    .map(([name]) => `${path}.${name}: required`);
  const wrong = Object.entries(value).flatMap(([name, item]) => {
    const property = properties[name];
    return property ? misfits(item, property.type, `${path}.${name}`) : [];
  });
  return [...unknown, ...missing, ...wrong];
}

const minimal = { GitHubRepository: 'octo-org/model-service', DagsBucket: 'bucket' };

test.each([
  ['every role', EVERYTHING],
  ['one role', minimal],
])('with %s, every resource fits its CloudFormation type', (_, parameters) => {
  const resolved = templateFor(parameters);
  const problems = Object.entries(resolved.resources).flatMap(([id, resource]) => {
    const spec = resourceTypes.get(resource.Type);
    if (!spec) return [`${id}: no resource type ${resource.Type}`];
    return propertyMisfits(resource.Properties, spec.properties, id);
  });
  expect(problems).toEqual([]);
});

test('every Fn::GetAtt names an attribute its resource type returns', () => {
  const template = readTemplate(TEMPLATE_PATH) as { Resources: Record<string, { Type: string }> };
  const text = JSON.stringify(template);
  const attributes = [...text.matchAll(/"Fn::GetAtt":\["([^"]+)","([^"]+)"\]/g)];
  expect(attributes.length).toBeGreaterThan(0);
  for (const [, resource = '', attribute = ''] of attributes) {
    const type = template.Resources[resource]?.Type ?? '';
    expect([resource, Object.keys(resourceTypes.get(type)?.attributes ?? {})]).toEqual([
      resource,
      expect.arrayContaining([attribute]),
    ]);
  }
});
