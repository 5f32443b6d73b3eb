import type { Problem } from './problem';

export type ManifestKind = 'workflow' | 'action';

/** Checks one file against GitHub's schema for its kind. */
export type SchemaCheck = (kind: ManifestKind, file: string, text: string) => Promise<Problem[]>;

/**
 * GitHub's own workflow and action.yml schemas, as its Actions language service applies them
 * (@actions/workflow-parser): structure, allowed values, and the contexts each expression may use.
 * Workflows are also converted as the service does, which adds checks across jobs (e.g. `needs`).
 * The parser is an ES module that imports JSON, so it is loaded here on first use, under tsx.
 */
export async function githubSchemaCheck(): Promise<SchemaCheck> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
    await import('@actions/workflow-parser');
  const { parseAction } = await import('@actions/workflow-parser/actions/index');
  const trace = new NoOperationTraceWriter();

  return async (kind, file, text) => {
    const source = { name: file, content: text };
    const parsed = kind === 'workflow' ? parseWorkflow(source, trace) : parseAction(source, trace);
    if (kind === 'workflow' && parsed.value !== undefined && parsed.context.errors.getErrors().length === 0) {
      await convertWorkflowTemplate(parsed.context, parsed.value);
    }
    if (parsed.value === undefined && parsed.context.errors.getErrors().length === 0) {
      return [{ file, message: `not a ${kind} (empty or not YAML)` }];
    }
    return parsed.context.errors.getErrors().map((error) => {
      const line = error.range?.start.line;
      // The parser prefixes the message with the file and position; the Problem carries both.
      const message = error.rawMessage.trim();
      return { file, ...(line === undefined ? {} : { line }), message };
    });
  };
}
