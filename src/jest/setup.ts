// `perfguard/jest`, for setupFilesAfterEnv: registers perfguard's matchers, and closes the
// store of the helpers' default tester after each test file.
import { closeDefaultTester } from '../runner';
import { perfguardMatchers } from './matchers';

export type { NoRegressionsOptions } from './matchers';
export { perfguardMatchers } from './matchers';
export { performanceTest } from './performance-test';
export type { PerformanceTestOptions } from './performance-test';

const jestExpect = (globalThis as { expect?: { extend?: (matchers: object) => void } }).expect;
if (typeof jestExpect?.extend === 'function') jestExpect.extend(perfguardMatchers);

const jestAfterAll = (globalThis as { afterAll?: (fn: () => Promise<void>) => void }).afterAll;
if (typeof jestAfterAll === 'function') jestAfterAll(closeDefaultTester);
