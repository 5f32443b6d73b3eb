/**
 * Consumes a step's output one line at a time, the way the runner's output manager does:
 * workflow commands are carried out, everything else becomes a log line. Every line is masked
 * before it leaves this class, with the masks known at that moment (the runner masks going
 * forward only), and an `add-mask` value itself is never written.
 */
import { SecretMasker } from './masker';
import { parseWorkflowCommand, type WorkflowCommand } from './workflow-commands';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  readonly level: AnnotationLevel;
  readonly message: string;
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export interface StepLogOptions {
  readonly masker: SecretMasker;
  /** Show `::debug::` lines (ACTIONS_STEP_DEBUG / RUNNER_DEBUG). */
  readonly debug: boolean;
  /** ACTIONS_ALLOW_UNSECURE_COMMANDS: enables the retired `set-env` and `add-path`. */
  readonly allowUnsecureCommands: boolean;
  /** Receives each finished, masked log line. */
  readonly write: (line: string) => void;
}

const GROUP_INDENT = '    ';

export class StepLog {
  readonly annotations: Annotation[] = [];
  /** From the deprecated `::set-output` command. */
  readonly outputs: Record<string, string> = {};
  /** From the deprecated `::save-state` command. */
  readonly state: Record<string, string> = {};
  /** From `::set-env` when unsecure commands are allowed. */
  readonly env: Record<string, string> = {};
  readonly path: string[] = [];
  /** Set when the runner would fail the step whatever the exit code (a command it could not process). */
  commandFailed = false;

  private inGroup = false;
  private echo = false;
  private stopToken: string | undefined;

  constructor(private readonly options: StepLogOptions) {}

  /** One line of the step's output, without its line ending. */
  line(raw: string): void {
    if (this.stopToken !== undefined) {
      const resume = parseWorkflowCommand(raw, new Set([this.stopToken]));
      if (resume && resume.name === this.stopToken.toLowerCase()) {
        this.print(raw);
        this.stopToken = undefined;
      } else {
        this.print(raw);
      }
      return;
    }
    const command = parseWorkflowCommand(raw);
    if (!command) {
      this.print(raw);
      return;
    }
    if (this.echo && !OMIT_ECHO.has(command.name)) this.print(raw);
    try {
      this.run(command, raw);
    } catch (error) {
      const shown = OMIT_ECHO.has(command.name) ? command.name : raw;
      this.error(`Unable to process command '${shown}' successfully.`);
      this.error((error as Error).message);
      this.commandFailed = true;
    }
  }

  /** An annotation raised by the runner itself (not by a command in the output). */
  warning(message: string): void {
    this.annotate({ level: 'warning', message });
  }

  error(message: string): void {
    this.annotate({ level: 'error', message });
  }

  info(message: string): void {
    this.print(message);
  }

  private run(command: WorkflowCommand, raw: string): void {
    const { name, properties, data } = command;
    switch (name) {
      case 'stop-commands':
        this.print(raw);
        this.stopToken = data;
        return;
      case 'add-mask':
        if (!this.options.masker.add(data)) {
          this.warning("Can't add secret mask for empty string in ##[add-mask] command.");
        } else if (this.echo) {
          this.print('::add-mask::***');
        }
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotate(toAnnotation(name, command));
        return;
      case 'debug':
        if (this.options.debug) this.print(prefixLines('Debug: ', data));
        return;
      case 'group':
        this.inGroup = false;
        this.print(`▸ ${data}`);
        this.inGroup = true;
        return;
      case 'endgroup':
        this.inGroup = false;
        return;
      case 'echo':
        this.setEcho(data);
        return;
      case 'set-output':
        this.outputs[requireName(properties, name)] = data;
        this.warning(deprecated(name));
        return;
      case 'save-state':
        this.state[requireName(properties, name)] = data;
        this.warning(deprecated(name));
        return;
      case 'set-env':
        this.requireUnsecure(name);
        this.env[requireName(properties, name)] = data;
        return;
      case 'add-path':
        this.requireUnsecure(name);
        if (data === '') throw new Error("Required field 'path' is missing in ##[add-path] command.");
        this.path.push(data);
        return;
      case 'add-matcher':
      case 'remove-matcher':
        // Problem matchers turn tool output into annotations on github.com; the harness keeps
        // the lines as plain log text.
        return;
      default:
        this.print(raw);
    }
  }

  private setEcho(value: string): void {
    switch (value.trim().toUpperCase()) {
      case 'ON':
        this.echo = true;
        return;
      case 'OFF':
        this.echo = false;
        return;
      default:
        throw new Error(
          `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${value}'.`,
        );
    }
  }

  private requireUnsecure(name: string): void {
    if (!this.options.allowUnsecureCommands) {
      throw new Error(
        `The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into ` +
          'unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`.',
      );
    }
  }

  private annotate(annotation: Annotation): void {
    const masker = this.options.masker;
    const masked: Annotation = {
      ...annotation,
      message: masker.mask(annotation.message),
      ...(annotation.title === undefined ? {} : { title: masker.mask(annotation.title) }),
    };
    this.annotations.push(masked);
    this.print(formatAnnotation(masked));
  }

  private print(text: string): void {
    for (const line of this.options.masker.mask(text).split('\n')) {
      this.options.write(this.inGroup ? GROUP_INDENT + line : line);
    }
  }
}

/** Commands whose text the runner never echoes, so their data cannot leak through echo. */
const OMIT_ECHO: ReadonlySet<string> = new Set(['add-mask', 'debug', 'error', 'warning', 'notice']);

function requireName(properties: Readonly<Record<string, string>>, command: string): string {
  const name = properties['name'];
  if (name === undefined || name === '')
    throw new Error(`Required field 'name' is missing in ##[${command}] command.`);
  return name;
}

function deprecated(command: string): string {
  return `The \`${command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files.`;
}

function toAnnotation(level: AnnotationLevel, command: WorkflowCommand): Annotation {
  const p = command.properties;
  return {
    level,
    message: command.data,
    ...(p['title'] === undefined ? {} : { title: p['title'] }),
    ...(p['file'] === undefined ? {} : { file: p['file'] }),
    ...optionalInt('line', p['line']),
    ...optionalInt('col', p['col']),
    ...optionalInt('endLine', p['endline']),
    ...optionalInt('endColumn', p['endcolumn']),
  };
}

function optionalInt<K extends string>(key: K, value: string | undefined): Partial<Record<K, number>> {
  if (value === undefined || !/^\d+$/.test(value.trim())) return {};
  return { [key]: Number(value) } as Partial<Record<K, number>>;
}

/**
 * `::error file=src/a.ts,line=3,title=T::message`: the annotation as the action wrote it, so what
 * the harness prints can be matched against what the action emits.
 */
export function formatAnnotation(annotation: Annotation): string {
  const props = [
    annotation.file === undefined ? undefined : `file=${annotation.file}`,
    annotation.line === undefined ? undefined : `line=${annotation.line}`,
    annotation.col === undefined ? undefined : `col=${annotation.col}`,
    annotation.title === undefined ? undefined : `title=${annotation.title}`,
  ].filter((p): p is string => p !== undefined);
  const head = `::${annotation.level}${props.length === 0 ? '' : ` ${props.join(',')}`}::`;
  return prefixLines(head, annotation.message);
}

/** Prefixes the first line and indents the rest to line up under it. */
function prefixLines(prefix: string, text: string): string {
  const pad = ' '.repeat(prefix.length);
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? prefix : pad) + line)
    .join('\n');
}
