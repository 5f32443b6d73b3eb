// Two projects: unit tests never touch the network; integration tests run the bundled actions
// against the local stack and need it started (see tests/support/stack).
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@deploy-suite/kit$': '<rootDir>/packages/kit/src/index.ts' },
  rootDir: __dirname,
};
module.exports = {
  // Per-project timeouts are not honoured by jest; integration and e2e tests drive real servers.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    },
  ],
};
