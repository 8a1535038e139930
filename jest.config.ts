import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // End-to-end tests measure real performance: they run on their own, after these (jest.e2e.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: {
    // tsconfig's isolatedModules makes ts-jest transpile only; `npm run typecheck` checks types.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30_000,
  // One throwaway PostgreSQL cluster per run for the PostgreSQL store's tests (or PERFGUARD_TEST_PG_URL).
  globalSetup: '<rootDir>/test/setup/postgres-global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/postgres-global-teardown.mjs',
};

export default config;
