import type { CoverageReport, OverviewRow } from './dashboard-types';

// The dashboard's answers built from the rows both backends' queries return.

/** One of a test's recent final results, as the overview reads it. */
export interface RecentRow {
  median_s: number;
  status: string;
  factor: number | null;
  created_at: string;
  environment_key: string;
  branch: string | null;
  detectable: number | null;
  mode: 'time' | 'instructions';
  instructions: number | null;
}

/** A test and an environment: of a result, or of a current epoch. */
export interface TestEnvironmentRow {
  test_name: string;
  environment_key: string;
}

/** A test's overview row from its recent final results, newest first; undefined without any. */
export function overviewRow(name: string, rows: RecentRow[], baselineSince: string | null): OverviewRow | undefined {
  const latest = rows[0];
  if (latest === undefined) return undefined;
  // The sparkline stays in the latest result's mode: a count is never drawn beside a time.
  const isCounted = latest.mode === 'instructions';
  const sameMode = rows.filter((row) => row.mode === latest.mode);
  return {
    name,
    latestMedian: latest.median_s,
    latestMode: latest.mode,
    latestInstructions: latest.instructions,
    latestStatus: latest.status,
    latestFactor: latest.factor,
    latestAt: latest.created_at,
    branch: latest.branch,
    environmentKey: latest.environment_key,
    sparkline: sameMode.flatMap((row) => (isCounted ? (row.instructions === null ? [] : [row.instructions]) : [row.median_s])).reverse(),
    baselineSince,
    latestDetectable: latest.detectable,
  };
}

/** The tests that have a live baseline, from the current epochs. */
export function testsWithBaseline(epochs: TestEnvironmentRow[]): string[] {
  return [...new Set(epochs.map((epoch) => epoch.test_name))];
}

/**
 * The coverage report: the latest run's final results against the current live epochs, with the
 * stale baselines the caller found among {@link testsWithBaseline}.
 */
export function coverageOf(latestRunId: string | null, latestResults: TestEnvironmentRow[], epochs: TestEnvironmentRow[], staleBaselines: CoverageReport['staleBaselines']): CoverageReport {
  const inLatest = latestResults.map((row) => row.test_name);
  const withBaseline = new Set(testsWithBaseline(epochs));
  return {
    latestRunId,
    testsInLatestRun: inLatest,
    withBaseline: inLatest.filter((name) => withBaseline.has(name)),
    withoutBaseline: inLatest.filter((name) => !withBaseline.has(name)),
    staleBaselines,
    environmentMismatches: latestResults.flatMap((result) => {
      const own = epochs.filter((e) => e.test_name === result.test_name);
      if (own.length === 0 || own.some((e) => e.environment_key === result.environment_key)) return [];
      return [{ name: result.test_name, resultEnvironment: result.environment_key, baselineEnvironment: own[0]?.environment_key ?? '' }];
    }),
  };
}
