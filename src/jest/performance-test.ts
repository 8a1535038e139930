import { assertKnownOptions, expectOneOf, expectPositiveNumber } from '../_options';
import { ConfigError } from '../errors';
import { failingRegressions, formatRegressionMessage } from '../report';
import { MAX_RUNS_TO_PROVE } from '../detector';
import { BENCHMARK_OPTION_NAMES, type BenchmarkOptions, DEFAULT_ROUNDS, describeCaller, getDefaultTester } from '../runner';
import { DEFAULT_TIME_MS, DEFAULT_WARMUP_TIME_MS } from '../tracker';

/** Options of {@link performanceTest}: benchmark options plus the test's own. */
export interface PerformanceTestOptions<TInput = unknown> extends BenchmarkOptions<TInput> {
  /** Jest timeout for this test, in ms. @default from the time budget and the rounds (5 minutes a run with `iterations`) */
  timeout?: number;
  /** Lowest regression severity that fails the test. @default 'warning' */
  failOn?: 'warning' | 'critical';
}

type TestFn = (name: string, fn: () => Promise<void>, timeout?: number) => void;
interface JestTestGlobal extends TestFn {
  only: TestFn;
  skip: TestFn;
}

const TEST_OPTION_NAMES = [...BENCHMARK_OPTION_NAMES, 'timeout', 'failOn'] as const;

/** Time Jest's own start-up may take in each fresh-process round. */
const ROUND_STARTUP_MS = 30_000;

/**
 * Time for a benchmark at its budget: warm-up and sampling in every run it may rest on (the
 * measuring process and its fresh-process rounds), with room to spare.
 */
function defaultTimeoutMs(options: BenchmarkOptions): number {
  const configured = options.rounds ?? Math.max(DEFAULT_ROUNDS, Number(process.env['PERFGUARD_ROUNDS']) || 0);
  // A young baseline may ask for more runs to prove a slowdown (runsToProve).
  const rounds = options.retry === false ? 1 : configured > 1 ? Math.max(configured, MAX_RUNS_TO_PROVE) : configured;
  if (options.iterations !== undefined) return 300_000 * rounds;
  const budget = (options.warmupTime ?? DEFAULT_WARMUP_TIME_MS) + (options.time ?? DEFAULT_TIME_MS);
  return budget * rounds * 4 + ROUND_STARTUP_MS * rounds;
}

function jestTest(): JestTestGlobal {
  const test = (globalThis as { test?: unknown }).test;
  if (typeof test !== 'function') {
    throw new ConfigError('performanceTest() registers a Jest test, so it must be called at the top of a Jest test file (or inside describe()).');
  }
  return test as JestTestGlobal;
}

function register<TInput>(
  pick: (test: JestTestGlobal) => TestFn,
  name: string,
  options: PerformanceTestOptions<TInput>,
  fn: (input: TInput) => unknown,
): void {
  const record = assertKnownOptions(options, TEST_OPTION_NAMES, `performanceTest('${name}')`);
  const { timeout, failOn, ...benchmarkOptions } = record as PerformanceTestOptions<TInput>;
  const timeoutMs = timeout === undefined ? defaultTimeoutMs(benchmarkOptions as BenchmarkOptions) : expectPositiveNumber(timeout, 'timeout', 'Pass a Jest timeout in milliseconds.');
  const lowest = failOn === undefined ? 'warning' : expectOneOf(failOn, ['warning', 'critical'] as const, 'failOn');
  if (typeof fn !== 'function') throw new ConfigError(`performanceTest('${name}'): the third argument must be the function to measure.`);
  // The test body runs from Jest's code; the user's line is only on the stack now.
  const stack = new Error().stack;
  pick(jestTest())(
    name,
    async () => {
      const tester = getDefaultTester();
      const report = await tester.benchmarkAt(fn, name, benchmarkOptions, describeCaller(stack, tester.rootDir));
      if (failingRegressions(report, lowest).length > 0) throw new Error(formatRegressionMessage(report, lowest));
    },
    timeoutMs,
  );
}

/**
 * Registers a Jest test that measures `fn` and fails, with a readable message, when it
 * regresses against its baseline. `.only` and `.skip` work like Jest's own.
 * @example performanceTest('matrix_multiplication', { iterations: 10 }, () => multiply(a, b));
 */
export function performanceTest<TInput = undefined>(
  name: string,
  options: PerformanceTestOptions<TInput>,
  fn: (input: TInput) => unknown,
): void {
  register((test) => test, name, options, fn);
}

/** Like {@link performanceTest}, but the only test of its file that runs (`test.only`). */
performanceTest.only = function only<TInput = undefined>(
  name: string,
  options: PerformanceTestOptions<TInput>,
  fn: (input: TInput) => unknown,
): void {
  register((test) => test.only, name, options, fn);
};

/** Like {@link performanceTest}, but skipped (`test.skip`). */
performanceTest.skip = function skip<TInput = undefined>(
  name: string,
  options: PerformanceTestOptions<TInput>,
  fn: (input: TInput) => unknown,
): void {
  register((test) => test.skip, name, options, fn);
};
