import { parse as parseYaml } from 'yaml';

/**
 * Option settings for UpdateEnvironment, read from the `option-settings` and
 * `environment-variables` inputs: pure parsing and shape checks, table-tested.
 */

export interface OptionSetting {
  readonly namespace: string;
  readonly optionName: string;
  readonly value: string;
  readonly resourceName?: string;
}

/** The namespace that holds environment properties (environment variables). */
export const ENVIRONMENT_NAMESPACE = 'aws:elasticbeanstalk:application:environment';
/** "The total size of all properties cannot exceed 4096 bytes" (EB CLI, `eb setenv`). */
export const ENVIRONMENT_BYTES_LIMIT = 4096;
/** ResourceName's length limit in the API model (ConfigurationOptionSetting); option names share it here. */
const NAME_LIMIT = 256;
/** Every namespace the API takes starts with `aws:` (general options and platform-specific ones). */
const NAMESPACE = /^aws:[A-Za-z0-9]+(?::[A-Za-z0-9_.-]+)*$/;
/** Names stop at whitespace, `=` and control characters; environment property keys are names too. */
const NAME = /^[^\s=\p{Cc}]+$/u;
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL/i;

/** A setting whose value should never be printed: its name looks like a password, secret, token or key. */
export function isSecretSetting(setting: Pick<OptionSetting, 'optionName'>): boolean {
  return SECRET_NAME.test(setting.optionName);
}

/**
 * The values of secret settings to register with the runner's masking. The runner masks every
 * occurrence of a registered value in the whole log, so values too short or too common to be a
 * secret (`on`, `true`, `1`) are left out: they would blank unrelated text. The action itself
 * always prints secret settings as `***`, registered or not.
 */
export function maskableSecrets(settings: readonly OptionSetting[]): string[] {
  return settings
    .filter((s) => isSecretSetting(s) && s.value.length >= 4 && !/^(true|false|null|none)$/i.test(s.value))
    .map((s) => s.value);
}

/** `Namespace`/`OptionName` as one line shows it, the resource first when there is one. */
export function settingName(setting: Omit<OptionSetting, 'value'>): string {
  const resource = setting.resourceName ? `${setting.resourceName}/` : '';
  return `${resource}${setting.namespace}:${setting.optionName}`;
}

/** `name=value`, or `name=***` for a secret. */
export function showSetting(setting: OptionSetting): string {
  return `${settingName(setting)}=${isSecretSetting(setting) ? '***' : setting.value}`;
}

/** Thrown with the reason; the caller turns it into an InputError naming the input. */
export class OptionProblem extends Error {}

/**
 * `option-settings` in one of three forms:
 * - a YAML or JSON list of `{Namespace, OptionName, Value, ResourceName?}` (the API's and
 *   CloudFormation's spelling) or `{namespace, option_name, value, resource_name?}` (.ebextensions'
 *   list form);
 * - a YAML or JSON map `namespace: {OptionName: value}` (.ebextensions' map form);
 * - lines `namespace:OptionName=value` (the name is after the last `:` before the first `=`).
 */
export function parseOptionSettings(text: string): OptionSetting[] {
  const body = text.trim();
  if (body === '') return [];
  // YAML needs `: ` or a line-ending `:` after a key; a short-form line has neither before its `=`.
  const first =
    body
      .split('\n')
      .find((line) => !line.trim().startsWith('#'))
      ?.trim() ?? '';
  const structured = /^[[{-]/.test(first) || /:(\s|$)/.test(first.split('=')[0] ?? '');
  const settings = structured ? fromDocument(body) : body.split('\n').flatMap(fromLine);
  for (const setting of settings) checkSetting(setting);
  return settings;
}

function fromLine(line: string, index: number): OptionSetting[] {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return [];
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq).trim();
  const colon = name.lastIndexOf(':');
  if (eq < 0 || colon <= 0) {
    throw new OptionProblem(`line ${index + 1} must be namespace:OptionName=value; got '${text}'`);
  }
  return [
    { namespace: name.slice(0, colon), optionName: name.slice(colon + 1), value: text.slice(eq + 1).trim() },
  ];
}

const LIST_KEYS: ReadonlyArray<Readonly<Record<keyof OptionSetting, string>>> = [
  { namespace: 'Namespace', optionName: 'OptionName', value: 'Value', resourceName: 'ResourceName' },
  { namespace: 'namespace', optionName: 'option_name', value: 'value', resourceName: 'resource_name' },
];

function fromDocument(body: string): OptionSetting[] {
  let doc: unknown;
  try {
    doc = parseYaml(body);
  } catch (err) {
    throw new OptionProblem(`is not valid YAML or JSON: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  if (Array.isArray(doc)) return doc.map(fromListItem);
  if (isRecord(doc)) return fromMap(doc);
  throw new OptionProblem(
    'must be a list of settings, a map of namespaces, or namespace:OptionName=value lines',
  );
}

function fromListItem(item: unknown, index: number): OptionSetting {
  const where = `item ${index + 1}`;
  if (!isRecord(item)) throw new OptionProblem(`${where} must be a map with Namespace, OptionName and Value`);
  const keys = LIST_KEYS.find((spelling) => spelling.namespace in item || spelling.optionName in item);
  if (keys === undefined) {
    throw new OptionProblem(
      `${where} must have Namespace, OptionName and Value (or namespace, option_name and value); got keys ${Object.keys(item).join(', ')}`,
    );
  }
  const unknown = Object.keys(item).filter((key) => !Object.values(keys).includes(key));
  if (unknown.length > 0) {
    throw new OptionProblem(
      `${where} has unknown key ${unknown.join(', ')}; accepted: ${Object.values(keys).join(', ')}`,
    );
  }
  const resource = item[keys.resourceName];
  return {
    namespace: scalar(item[keys.namespace], `${where} ${keys.namespace}`),
    optionName: scalar(item[keys.optionName], `${where} ${keys.optionName}`),
    value: scalar(item[keys.value] ?? '', `${where} ${keys.value}`),
    ...(resource !== undefined && { resourceName: scalar(resource, `${where} ${keys.resourceName}`) }),
  };
}

function fromMap(doc: Record<string, unknown>): OptionSetting[] {
  return Object.entries(doc).flatMap(([namespace, options]) => {
    if (!isRecord(options)) throw new OptionProblem(`namespace ${namespace} must map option names to values`);
    return Object.entries(options).map(([optionName, value]) => ({
      namespace,
      optionName,
      value: scalar(value ?? '', `${namespace}:${optionName}`),
    }));
  });
}

/** Strings, numbers and booleans become the string the API takes; lists and maps are refused. */
function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new OptionProblem(`${where} must be a string, number or boolean`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSetting(setting: OptionSetting): void {
  if (!NAMESPACE.test(setting.namespace)) {
    throw new OptionProblem(
      `namespace '${setting.namespace}' must look like aws:autoscaling:launchconfiguration (aws: then words separated by ':')`,
    );
  }
  for (const [what, name] of [
    ['option name', setting.optionName],
    ['resource name', setting.resourceName],
  ] as const) {
    if (name === undefined) continue;
    if (!NAME.test(name) || name.length > NAME_LIMIT) {
      throw new OptionProblem(
        `${what} '${name}' in ${setting.namespace} must be 1 to ${NAME_LIMIT} characters without spaces, '=' or control characters`,
      );
    }
  }
  if (/\p{Cc}/u.test(setting.value.replace(/[\n\t]/g, ''))) {
    throw new OptionProblem(`the value of ${settingName(setting)} holds control characters`);
  }
}

/** `environment-variables`: KEY=value pairs into the environment properties namespace. */
export function environmentSettings(pairs: ReadonlyMap<string, string>): OptionSetting[] {
  const settings = [...pairs].map(([optionName, value]) => ({
    namespace: ENVIRONMENT_NAMESPACE,
    optionName,
    value,
  }));
  for (const setting of settings) checkSetting(setting);
  return settings;
}

/**
 * Both inputs as one list for one UpdateEnvironment. A setting named twice is refused: which one
 * should win is not for the action to guess. Environment properties together stay within 4096 bytes.
 */
export function combineSettings(
  options: readonly OptionSetting[],
  variables: readonly OptionSetting[],
): { settings: OptionSetting[]; problem?: { input: string; why: string } } {
  const settings = [...options, ...variables];
  const seen = new Map<string, number>();
  for (const [index, setting] of settings.entries()) {
    const key = settingName(setting);
    const first = seen.get(key);
    if (first !== undefined) {
      const input = index >= options.length ? 'environment-variables' : 'option-settings';
      return { settings, problem: { input, why: `sets ${key} twice; give each setting once` } };
    }
    seen.set(key, index);
  }
  const bytes = settings
    .filter((s) => s.namespace === ENVIRONMENT_NAMESPACE)
    .reduce((sum, s) => sum + Buffer.byteLength(`${s.optionName}=${s.value}`), 0);
  if (bytes > ENVIRONMENT_BYTES_LIMIT) {
    const input = variables.length > 0 ? 'environment-variables' : 'option-settings';
    return {
      settings,
      problem: {
        input,
        why: `environment properties total ${bytes} bytes; Elastic Beanstalk takes at most ${ENVIRONMENT_BYTES_LIMIT}`,
      },
    };
  }
  return { settings };
}
