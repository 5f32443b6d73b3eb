/** What the chain scenario observes inside its namespaces, handed to the test as JSON. */
import type { ChainFacts, PreviousRelease, Prediction, StepId } from '../../support/chain';

export interface StepFacts {
  readonly id: StepId;
  readonly action: string;
  readonly exitCode: number;
  readonly postExitCode: number | undefined;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly errors: string[];
  readonly seconds: number;
}

export interface ChainE2eFacts {
  readonly registryHost: string;
  readonly previous: PreviousRelease;
  readonly steps: StepFacts[];
  readonly failed: StepId | undefined;
  readonly observed: ChainFacts;
  readonly prediction: Prediction;
  readonly seconds: number;
}
