import path from 'node:path';
import { PerformanceRegressionTester } from '../../src/runner/performance-regression-tester';
import { createFakeClock } from './fake-clock';
import { plantedWork } from './planted';
import { plantedRounds } from './planted-rounds';

/**
 * Fills a store (a file, or a postgres:// URL with `rootDir`) with real runs of planted work, as
 * perf test runs would: each entry of `runs` is one run mapping test names to nanoseconds per
 * call. Fresh-process rounds are planted at the same speed as the run's own measurement.
 */
export async function seedStore(file: string, runs: Record<string, number>[], commitPrefix = 'c0ffee', rootDir = path.dirname(file)): Promise<void> {
  const clock = createFakeClock();
  let seed = 1;
  for (const [index, tests] of runs.entries()) {
    const tester = new PerformanceRegressionTester({
      store: file,
      rootDir,
      env: { PERFGUARD_RUN_ID: `${path.basename(file).replace(/\W/g, '_')}-${commitPrefix}-run-${index}`, GITHUB_SHA: `${commitPrefix}${index}`, GITHUB_REF_NAME: 'main' },
      defaults: { clock, time: 100 },
      roundRunner: plantedRounds((name) => (tests[name] ?? 0) / 1e9, 0.02, index + 1),
    });
    for (const [name, ns] of Object.entries(tests)) await tester.benchmark(plantedWork(clock, ns, seed++), name);
    await tester.close();
  }
}
