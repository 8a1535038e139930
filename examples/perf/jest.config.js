// The example performance suite (`npm run perf`, which runs it through `perfguard test`):
// serial, against the built package, with perfguard's reporter. A JavaScript config, not
// TypeScript: Jest compiles a .ts config with ts-node in every process it starts (about 2.5 s
// here), and every fresh-process round of a flagged benchmark is a Jest process of its own.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/examples/perf'],
  testMatch: ['**/*.perf.test.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // One worker: perf tests beside other test files would measure each other.
  maxWorkers: 1,
  // benchmark() inside it() may measure a flagged benchmark again in fresh processes.
  testTimeout: 120_000,
  moduleNameMapper: {
    '^perfguard$': '<rootDir>/dist/index.js',
    '^perfguard/jest$': '<rootDir>/dist/jest/setup.js',
  },
  setupFilesAfterEnv: ['<rootDir>/dist/jest/setup.js'],
  reporters: ['default', ['<rootDir>/dist/jest/reporter.js', { outputDir: 'perfguard-reports', failOn: 'critical' }]],
};
