// What the dashboard's JSON endpoints answer, as the store reads it.

/** One test on the overview: its latest figures and a sparkline of recent medians. */
export interface OverviewRow {
  name: string;
  /** The latest result's median duration (wall time under Valgrind in instructions mode). */
  latestMedian: number;
  /** The latest result's measuring mode. */
  latestMode: 'time' | 'instructions';
  /** The latest result's instructions per call (instructions mode), else null. */
  latestInstructions: number | null;
  latestStatus: string;
  latestFactor: number | null;
  latestAt: string;
  branch: string | null;
  environmentKey: string;
  /** The judged figure of the most recent results in the latest result's mode (median seconds, or instructions per call), oldest first. */
  sparkline: number[];
  baselineSince: string | null;
  /** The latest verdict's detectable factor, when known. */
  latestDetectable: number | null;
}

/** One point of a test's time series. */
export interface SeriesPoint {
  runId: string;
  date: string;
  commit: string | null;
  branch: string | null;
  attempt: number;
  median: number;
  p25: number;
  p75: number;
  memory: number;
  /** CPU time over wall time, in percent (all threads, over the sampling phase); null when too short to tell. */
  cpu: number | null;
  /** CPU time of all threads per call, in seconds; null when unknown. */
  cpuTimePerCall: number | null;
  status: string;
  factor: number | null;
  environmentKey: string;
  /** Processes the verdict rests on. */
  runs: number;
  /** The duration thresholds the verdict used; null for results stored before they were recorded. */
  warning: number | null;
  critical: number | null;
  /** The smallest slowdown the verdict could prove; null when unknown. */
  detectable: number | null;
  /** How it was measured; in instructions mode `instructions` is what was judged. */
  mode: 'time' | 'instructions';
  /** Instructions per call (instructions mode), else null. */
  instructions: number | null;
}

/** A regression in the history. */
export interface RegressionRow {
  name: string;
  date: string;
  commit: string | null;
  branch: string | null;
  factor: number | null;
  /** Median duration (wall time under Valgrind in instructions mode). */
  median: number;
  severity: string;
  mode: 'time' | 'instructions';
  /** Instructions per call (instructions mode), else null. */
  instructions: number | null;
}

/** A baseline epoch as the dashboard draws it. */
export interface EpochPoint {
  createdAt: string;
  commit: string | null;
  reason: string | null;
  environmentKey: string;
  isDeleted: boolean;
  /** The median duration of the founding result (wall time under Valgrind in instructions mode). */
  median: number | null;
  /** The measuring mode the epoch is a baseline of. */
  mode: 'time' | 'instructions';
  /** Instructions per call of the founding result (instructions mode), else null. */
  instructions: number | null;
}

/** Which tests are covered by what. */
export interface CoverageReport {
  latestRunId: string | null;
  testsInLatestRun: string[];
  withBaseline: string[];
  withoutBaseline: string[];
  /** Baselines whose test has not run in the last `staleRuns` runs. */
  staleBaselines: { name: string; lastRunAt: string | null; runsSince: number }[];
  /** Tests whose latest result ran on another environment than their baseline. */
  environmentMismatches: { name: string; resultEnvironment: string; baselineEnvironment: string }[];
}
