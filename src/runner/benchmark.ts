import type { PerformanceReport } from '../types';
import { describeCaller } from './_caller';
import type { BenchmarkOptions, SingleRunOptions } from './benchmark-options';
import { PerformanceRegressionTester } from './performance-regression-tester';

let defaultTester: PerformanceRegressionTester | undefined;

/** The tester behind the package-level helpers, created on first use. */
export function getDefaultTester(): PerformanceRegressionTester {
  defaultTester ??= new PerformanceRegressionTester({ rootDir: process.cwd() });
  return defaultTester;
}

/**
 * Closes the default tester's store (and its connections, for PostgreSQL); the next helper
 * call opens it again. `perfguard/jest` calls it after each test file, whose module registry,
 * and so whose default tester, Jest throws away.
 */
export async function closeDefaultTester(): Promise<void> {
  const tester = defaultTester;
  defaultTester = undefined;
  await tester?.close();
}

/**
 * Measures `fn`, judges it against its stored baseline and records the result.
 * @example
 * const report = await benchmark(() => work(), 'my_component_operation', {
 *   iterations: 20,
 *   metadata: { inputSize: 1000 },
 * });
 * expect(report.regressions).toHaveLength(0);
 */
export async function benchmark<TInput = undefined>(
  fn: (input: TInput) => unknown,
  name: string,
  options?: BenchmarkOptions<TInput>,
): Promise<PerformanceReport> {
  const tester = getDefaultTester();
  return tester.benchmarkAt(fn, name, options, describeCaller(new Error().stack, tester.rootDir));
}

/**
 * Measures one run of `fn` with the default tester (see `PerformanceRegressionTester.measure`),
 * judged as a run against the single runs of unchanged code since its baseline.
 * @example const report = await measure('cold_start', () => loadConfig());
 */
export async function measure(name: string, fn: () => unknown, options?: SingleRunOptions): Promise<PerformanceReport> {
  const tester = getDefaultTester();
  return tester.measureAt(name, fn, options, describeCaller(new Error().stack, tester.rootDir)) as Promise<PerformanceReport>;
}
