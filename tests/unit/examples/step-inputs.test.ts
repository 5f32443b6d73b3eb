import { actionInputs, workflowCallInputs } from '../../../scripts/validate-workflows/manifests';
import {
  checkStepInputs,
  usedAction,
  type KnownCallees,
} from '../../../scripts/validate-workflows/step-inputs';

const DEPLOY = actionInputs(`
name: deploy
description: d
inputs:
  service:
    description: s
    required: true
  cluster:
    description: c
    required: true
    default: default
  image:
    description: i
    required: false
runs: { using: node24, main: dist/index.js }
`);

const callees = (workflows: KnownCallees['workflows'] = new Map()): KnownCallees => ({
  actions: new Map([['deploy-ecs', DEPLOY]]),
  workflows,
});

const workflow = (steps: string) => `
on: push
jobs:
  ship:
    runs-on: ubuntu-24.04
    steps:
${steps}
`;

test('an input that is required and has no default must be given; one with a default need not', () => {
  expect([...DEPLOY].map(([name, input]) => [name, input.mustBeGiven])).toEqual([
    ['service', true],
    ['cluster', false],
    ['image', false],
  ]);
});

test('a with: key the action does not declare names the file, job, step, key and the near input', () => {
  const text = workflow(`
      - id: ecs
        uses: org/deploy-ecs@v1
        with:
          service: api
          imagee: repo@sha256:ab`);
  expect(checkStepInputs('deploy.yml', text, callees())).toEqual([
    {
      file: 'deploy.yml',
      line: 12,
      message:
        "job 'ship', step 'ecs' (uses org/deploy-ecs@v1): 'imagee' is not an input of action 'deploy-ecs'; did you mean 'image'?",
    },
  ]);
});

test('a key far from every input lists what the action declares', () => {
  const text = workflow(`
      - uses: org/deploy-ecs@v1
        with:
          service: api
          colour: blue`);
  const [problem] = checkStepInputs('deploy.yml', text, callees());
  expect(problem?.message).toBe(
    "job 'ship', step '#1' (uses org/deploy-ecs@v1): 'colour' is not an input of action 'deploy-ecs' (it declares: service, cluster, image)",
  );
});

test.each([
  ['no with: at all', `      - name: Deploy\n        uses: org/deploy-ecs@v1`],
  [
    'an empty value',
    `      - name: Deploy\n        uses: org/deploy-ecs@v1\n        with:\n          service: ''`,
  ],
])('a missing required input is an error: %s', (_case, steps) => {
  expect(checkStepInputs('deploy.yml', workflow(steps), callees()).map((p) => p.message)).toEqual([
    "job 'ship', step 'Deploy' (uses org/deploy-ecs@v1): required input 'service' of action 'deploy-ecs' is not given",
  ]);
});

test('the same action used from this repository (./actions/<name>) is checked too', () => {
  const text = workflow(`
      - uses: ./actions/deploy-ecs
        with:
          servce: api`);
  expect(checkStepInputs('ci.yml', text, callees()).map((p) => p.message)).toEqual([
    "job 'ship', step '#1' (uses ./actions/deploy-ecs): 'servce' is not an input of action 'deploy-ecs'; did you mean 'service'?",
    "job 'ship', step '#1' (uses ./actions/deploy-ecs): required input 'service' of action 'deploy-ecs' is not given",
  ]);
});

test('actions this repository does not declare, and run steps, are left alone', () => {
  const text = workflow(`
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: arn:aws:iam::1:role/x
      - uses: org/unknown-action@v1
        with:
          whatever: 1
      - run: echo hi`);
  expect(checkStepInputs('deploy.yml', text, callees())).toEqual([]);
});

test("a job calling a reusable workflow beside it is checked against that workflow's inputs", () => {
  const called = workflowCallInputs(`
on:
  workflow_call:
    inputs:
      environment: { type: string, required: true }
      image: { type: string, required: true }
      sync-dags: { type: boolean, default: false }
jobs: {}
`);
  expect(called).toBeDefined();
  const text = `
on: push
jobs:
  staging:
    uses: ./.github/workflows/deploy-environment.yml
    with:
      environment: staging
      images: x
`;
  const problems = checkStepInputs(
    'deploy.yml',
    text,
    callees(new Map([['deploy-environment.yml', called!]])),
  );
  expect(problems.map((p) => p.message)).toEqual([
    "job 'staging' (uses ./.github/workflows/deploy-environment.yml): 'images' is not an input of workflow 'deploy-environment.yml'; did you mean 'image'?",
    "job 'staging' (uses ./.github/workflows/deploy-environment.yml): required input 'image' of workflow 'deploy-environment.yml' is not given",
  ]);
});

test('a workflow that is not reusable declares no inputs to check against', () => {
  expect(workflowCallInputs('on: push\njobs: {}\n')).toBeUndefined();
  expect(workflowCallInputs('on: [push, workflow_call]\njobs: {}\n')).toEqual(new Map());
});

// GitHub resolves `{owner}/{repo}/{path}@{ref}` to the action in that folder of the repository
// (docs.github.com, "Workflow syntax for GitHub Actions", jobs.<job_id>.steps[*].uses), so the
// suite's actions can be used from this repository with a per-action tag.
test('the path form owner/repo/actions/<action>@<action>/v1 is checked against that action', () => {
  const text = workflow(`
      - id: ecs
        uses: org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1
        with:
          service: api
          imagee: repo@sha256:ab`);
  expect(checkStepInputs('deploy.yml', text, callees()).map((p) => p.message)).toEqual([
    "job 'ship', step 'ecs' (uses org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1): 'imagee' is not an input of action 'deploy-ecs'; did you mean 'image'?",
  ]);
});

test.each([
  ['org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1', { action: 'deploy-ecs' }],
  ['org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1.2.0', { action: 'deploy-ecs' }],
  ['org/deploy-suite/actions/deploy-ecs@3f2a9c0e1b7d4a6f8e2c5b9d0a1f3e7c6b4d2a8e', { action: 'deploy-ecs' }],
  ['org/deploy-suite/actions/deploy-ecs@main', { action: 'deploy-ecs' }],
  [
    'org/deploy-suite/actions/deploy-ecs@sync-dags/v1',
    {
      action: 'deploy-ecs',
      refProblem: "the ref 'sync-dags/v1' is a tag of 'sync-dags', not of 'deploy-ecs'; use 'deploy-ecs/v1'",
    },
  ],
  ['org/deploy-ecs@v1', { action: 'deploy-ecs' }],
  ['./actions/deploy-ecs', { action: 'deploy-ecs' }],
  ['org/deploy-suite/other/deploy-ecs@v1', undefined],
  ['docker://alpine:3', undefined],
])('usedAction(%s)', (uses, expected) => {
  expect(usedAction(uses)).toEqual(expected);
});

test('a path-form step whose tag names another action is reported at its uses: line', () => {
  const text = workflow(`
      - uses: org/deploy-suite/actions/deploy-ecs@sync-dags/v1
        with:
          service: api`);
  expect(checkStepInputs('deploy.yml', text, callees())).toEqual([
    {
      file: 'deploy.yml',
      line: 8,
      message:
        "job 'ship', step '#1' (uses org/deploy-suite/actions/deploy-ecs@sync-dags/v1): the ref 'sync-dags/v1' is a tag of 'sync-dags', not of 'deploy-ecs'; use 'deploy-ecs/v1'",
    },
  ]);
});
