import {
  quoteOf,
  Summary,
  Timeline,
  type ActionResult,
  type OutputValue,
  type Status,
} from '@deploy-suite/kit';

/** Everything the outputs and the job summary say; filled in as the deploy goes. */
export interface Outcome {
  status: Status;
  endpoint: string;
  endpointArn: string | undefined;
  modelName: string | undefined;
  endpointConfigName: string | undefined;
  previous: string | undefined;
  /** Created or reused, for the model and the configuration. */
  notes: string[];
  /** The smoke test's result, when `smoke-test-payload` is given and the endpoint served the new configuration. */
  smokeTest?: { readonly passed: boolean; readonly response: string };
  /** The one-line verdict, with its cause. */
  verdict: string | undefined;
  /** What the run did to the endpoint; `nothing` when it already served this configuration. */
  action?: 'create' | 'update' | 'follow' | 'nothing';
  /** keep-versions: the old configurations and models deleted. */
  pruned: string[];
  /** Settings carried over from the configuration and model the endpoint served, by name. */
  kept: string[];
  /** Settings the endpoint had that an input replaced. */
  replaced: string[];
}

export function newOutcome(endpoint: string): Outcome {
  return {
    status: 'failed',
    endpoint,
    endpointArn: undefined,
    modelName: undefined,
    endpointConfigName: undefined,
    previous: undefined,
    notes: [],
    verdict: undefined,
    pruned: [],
    kept: [],
    replaced: [],
  };
}

export function outputsOf(outcome: Outcome): Record<string, OutputValue> {
  return {
    'endpoint-arn': outcome.endpointArn,
    'endpoint-config-name': outcome.endpointConfigName,
    'model-name': outcome.modelName,
    'previous-endpoint-config-name': outcome.previous,
  };
}

/** What the run comes to: outputs and summary; `failure` is what the step fails with, if it does. */
export function resultOf(outcome: Outcome, timeline: Timeline, failure?: unknown): ActionResult {
  const verdict = outcome.verdict ?? 'the run stopped before it began';
  return {
    status: outcome.status,
    headline: verdict.includes(outcome.endpoint) ? verdict : `${outcome.endpoint}: ${verdict}`,
    ...quoteOf(failure),
    outputs: outputsOf(outcome),
    body: summaryOf(outcome, timeline),
  };
}

function summaryOf(outcome: Outcome, timeline: Timeline): Summary {
  const summary = new Summary();
  const facts: [string, string][] = [
    ['Endpoint', outcome.endpoint],
    ['Configuration', `${outcome.previous ?? '(none)'} → ${outcome.endpointConfigName ?? '(none)'}`],
  ];
  if (outcome.modelName) facts.push(['Model', outcome.modelName]);
  if (outcome.kept.length > 0) facts.push(['Kept from the endpoint', outcome.kept.join(', ')]);
  if (outcome.replaced.length > 0) facts.push(['Replaced by inputs', outcome.replaced.join(', ')]);
  for (const note of outcome.notes) facts.push(['Note', note]);
  if (outcome.pruned.length > 0) facts.push(['Deleted (keep-versions)', outcome.pruned.join(', ')]);
  if (outcome.smokeTest)
    facts.push([
      'Smoke test',
      `${outcome.smokeTest.passed ? 'passed' : 'failed'}: ${outcome.smokeTest.response || '(empty answer)'}`,
    ]);
  summary.facts(facts);
  if (timeline.entries.length > 0) summary.heading('Timeline', 3).timeline(timeline.start, timeline.entries);
  return summary;
}
