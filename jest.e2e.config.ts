import type { Config } from 'jest';
import base from './jest.config';

// End-to-end tests: real Jest runs of a project that installs the packed tarball. They
// measure real performance, so they run one at a time, after the other tests, not beside them.
const config: Config = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 300_000,
};

export default config;
