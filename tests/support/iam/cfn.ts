/**
 * Reads a CloudFormation template the way CloudFormation resolves it for one set of parameters:
 * the short-form intrinsic tags (`!Ref`, `!Sub`, `!If`, ...) as their `Fn::` forms, conditions
 * evaluated, resources whose condition is false left out, `AWS::NoValue` removed. Only the functions
 * the IAM template uses are evaluated; another one is an error, not a guess (CloudFormation User
 * Guide, "Intrinsic function reference" and "Conditions").
 */
import { readFileSync } from 'node:fs';
import { parse, type ScalarTag, type CollectionTag, YAMLMap, YAMLSeq } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Equals',
  'Not',
  'And',
  'Or',
] as const;

function fnKey(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `!Name value` in every node kind YAML allows, as `{ "Fn::Name": value }`. */
function intrinsicTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const name of [...FUNCTIONS, 'Ref', 'Condition']) {
    const key = fnKey(name);
    // GetAtt's short form is `Resource.Attribute`; its long form is a pair.
    const scalar = (value: string): Json =>
      name === 'GetAtt' ? { [key]: value.split(/\.(.*)/s).slice(0, 2) } : { [key]: value };
    tags.push({ tag: `!${name}`, resolve: scalar });
    tags.push({
      tag: `!${name}`,
      collection: 'seq',
      resolve: (seq) => ({ [key]: (seq as YAMLSeq).toJSON() as Json }) as unknown as YAMLSeq,
    });
    tags.push({
      tag: `!${name}`,
      collection: 'map',
      resolve: (map) => ({ [key]: (map as YAMLMap).toJSON() as Json }) as unknown as YAMLMap,
    });
  }
  return tags;
}

export function readTemplate(path: string): Record<string, Json> {
  return parse(readFileSync(path, 'utf8'), { customTags: intrinsicTags() }) as Record<string, Json>;
}

export interface Pseudo {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Value = Json | typeof NO_VALUE;

export interface Resolved {
  readonly resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  readonly outputs: Record<string, Json>;
  readonly conditions: Record<string, boolean>;
}

/** The template as CloudFormation would create it with these parameter values. */
export function resolveTemplate(
  template: Record<string, Json>,
  given: Readonly<Record<string, string>>,
  pseudo: Pseudo,
): Resolved {
  const declared = (template.Parameters ?? {}) as Record<
    string,
    { Type: string; Default?: string; AllowedValues?: string[] }
  >;
  for (const name of Object.keys(given)) {
    if (!declared[name]) throw new Error(`Template has no parameter ${name}`);
  }
  const parameters: Record<string, Json> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    const value = given[name] ?? declaration.Default;
    if (value === undefined) throw new Error(`Parameter ${name} has no value and no default`);
    if (declaration.AllowedValues && !declaration.AllowedValues.includes(value)) {
      throw new Error(`Parameter ${name}: ${value} is not one of ${declaration.AllowedValues.join(', ')}`);
    }
    // CloudFormation splits a CommaDelimitedList at every comma; an empty value is one empty element.
    parameters[name] = declaration.Type === 'CommaDelimitedList' ? value.split(',') : value;
  }
  const resourceIds = Object.keys((template.Resources ?? {}) as object);
  const pseudoValues: Record<string, string> = {
    'AWS::Partition': pseudo.partition,
    'AWS::Region': pseudo.region,
    'AWS::AccountId': pseudo.accountId,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const conditionBodies = (template.Conditions ?? {}) as Record<string, Json>;
  const conditions: Record<string, boolean> = {};

  const reference = (name: string): Value => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in pseudoValues) return pseudoValues[name] ?? null;
    if (name in parameters) return parameters[name] ?? null;
    // A resource's Ref is its physical id, known only once created: a readable stand-in.
    if (resourceIds.includes(name)) return `{${name}}`;
    throw new Error(`Ref to unknown ${name}`);
  };
  const condition = (name: string): boolean => {
    if (!(name in conditions)) {
      const body = conditionBodies[name];
      if (body === undefined) throw new Error(`Unknown condition ${name}`);
      const value = evaluate(body);
      if (typeof value !== 'boolean') throw new Error(`Condition ${name} is not a boolean`);
      conditions[name] = value;
    }
    return conditions[name] as boolean;
  };
  const substitute = (text: string, variables: Record<string, Value>): string =>
    text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      const value = name in variables ? variables[name] : name.includes('.') ? `{${name}}` : reference(name);
      if (typeof value !== 'string') throw new Error(`\${${name}} in Fn::Sub is not a string`);
      return value;
    });

  const evaluate = (node: Json): Value => {
    if (Array.isArray(node)) return node.map(evaluate).filter((item): item is Json => item !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    const only = keys.length === 1 ? keys[0] : undefined;
    if (only === 'Ref' || only === 'Condition' || only?.startsWith('Fn::'))
      return intrinsic(only, node[only] as Json);
    const out: Record<string, Json> = {};
    for (const key of keys) {
      const value = evaluate(node[key] as Json);
      if (value !== NO_VALUE) out[key] = value;
    }
    return out;
  };
  const args = (value: Json): Json[] => {
    if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
    return value;
  };
  const intrinsic = (name: string, value: Json): Value => {
    switch (name) {
      case 'Ref':
        return reference(String(value));
      case 'Condition':
        return condition(String(value));
      case 'Fn::If': {
        const [test, whenTrue, whenFalse] = args(value);
        return evaluate((condition(String(test)) ? whenTrue : whenFalse) as Json);
      }
      case 'Fn::Equals': {
        const [a, b] = args(value).map(evaluate);
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not':
        return !evaluate(args(value)[0] as Json);
      case 'Fn::And':
        return args(value).every((item) => evaluate(item) === true);
      case 'Fn::Or':
        return args(value).some((item) => evaluate(item) === true);
      case 'Fn::Join': {
        const [delimiter, list] = args(value);
        if (typeof delimiter !== 'string') throw new Error('Fn::Join takes a literal delimiter');
        return (evaluate(list as Json) as Json[]).map(String).join(delimiter);
      }
      case 'Fn::Split': {
        const [delimiter, text] = args(value);
        return String(evaluate(text as Json)).split(String(delimiter));
      }
      case 'Fn::Select': {
        const [index, list] = args(value);
        return (evaluate(list as Json) as Json[])[Number(evaluate(index as Json))] ?? null;
      }
      case 'Fn::Sub': {
        if (typeof value === 'string') return substitute(value, {});
        const [text, variables = {}] = args(value);
        const resolved: Record<string, Value> = {};
        for (const [key, item] of Object.entries(variables as Record<string, Json>))
          resolved[key] = evaluate(item);
        return substitute(String(text), resolved);
      }
      case 'Fn::GetAtt': {
        const [resource, attribute] = args(value);
        return `{${String(resource)}.${String(attribute)}}`;
      }
      default:
        throw new Error(`${name} is not evaluated here`);
    }
  };

  for (const name of Object.keys(conditionBodies)) condition(name);
  const resources: Resolved['resources'] = {};
  for (const [id, resource] of Object.entries(
    (template.Resources ?? {}) as Record<string, Record<string, Json>>,
  )) {
    if (typeof resource.Condition === 'string' && !condition(resource.Condition)) continue;
    resources[id] = {
      Type: String(resource.Type),
      Properties: evaluate(resource.Properties ?? {}) as Record<string, Json>,
    };
  }
  const outputs: Record<string, Json> = {};
  for (const [id, output] of Object.entries(
    (template.Outputs ?? {}) as Record<string, Record<string, Json>>,
  )) {
    if (typeof output.Condition === 'string' && !condition(output.Condition)) continue;
    outputs[id] = evaluate(output.Value as Json) as Json;
  }
  return { resources, outputs, conditions };
}
