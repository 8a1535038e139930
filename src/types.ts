import type { MetricType, MetricVerdict } from './detector';
import type { Interval, SampleSummary, StabilityNote } from './stats';
import type { EnvironmentFingerprint } from './tracker';

export type { EnvironmentFingerprint, Interval, MetricType, MetricVerdict };

/**
 * Overall outcome of one benchmark. `regression` means at least one metric is a warning or
 * critical; `baseline-updated` means the measurement became a new baseline epoch instead of
 * being judged (`UPDATE_PERFORMANCE_BASELINE=true`).
 */
export type ReportStatus = 'pass' | 'regression' | 'improved' | 'inconclusive' | 'no-baseline' | 'baseline-updated';

/** Severity of a regression. */
export type Severity = 'warning' | 'critical';

/**
 * Per-call duration statistics, in seconds: the robust summary of the samples (mean, std,
 * min, max, median, p75, p95, p99, MAD, IQR, CV, outliers, mean and median intervals).
 */
export type DurationFigures = Omit<SampleSummary, 'count'>;

/** Heap growth per call, in MB; `rssMean` is the resident-set growth per call over the sampling phase, in MB. */
export interface MemoryFigures {
  mean: number;
  std: number;
  median: number;
  max: number;
  rssMean: number;
}

/** CPU time as a percentage of wall time while the function ran. */
export interface CpuFigures {
  mean: number;
  median: number;
  /** Over the whole sampling phase, from pidusage; null if it could not be read. */
  phase: number | null;
}

/** A metric that is slower than its baseline with enough evidence. */
export interface Regression {
  metricType: MetricType;
  /** Baseline median in the metric's unit (s, MB, %). */
  baselineValue: number;
  /** Current median in the metric's unit. */
  currentValue: number;
  /** current / baseline. */
  regressionFactor: number;
  severity: Severity;
  /** Probability (0 to 1) that the current samples are larger than the baseline's. */
  confidence: number;
  /** Confidence interval of the factor, or null when the baseline centre is 0. */
  factorInterval: Interval | null;
}

/** Codes of the notes a report can carry. */
export type ReportNoteCode =
  | StabilityNote['code']
  | 'environment-mismatch'
  | 'baseline-established'
  | 'remeasured'
  | 'profile-written'
  | 'machine-slower'
  | 'memory-busy';

/** Something a person reading the report should know. */
export interface ReportNote {
  code: ReportNoteCode;
  message: string;
}

/** The baseline a report was judged against. */
export interface BaselineInfo {
  createdAt: string;
  commit: string | null;
  reason: string | null;
  environmentKey: string;
  /** Whether it was measured on the same environment key as the current measurement. */
  isSameEnvironment: boolean;
  /** Baseline median duration per call, in seconds. */
  medianDuration: number;
  /** Baseline median absolute deviation of the duration, in seconds. */
  madDuration: number;
}

/** What `benchmark` returns, and what the JSON report holds per test. */
export interface PerformanceReport {
  name: string;
  /** Number of samples. */
  iterations: number;
  /** Calls of the function in each sample (1 unless batched). */
  callsPerIteration: number;
  duration: DurationFigures;
  memory: MemoryFigures;
  cpu: CpuFigures;
  status: ReportStatus;
  regressions: Regression[];
  /** One verdict per metric. */
  verdicts: MetricVerdict[];
  notes: ReportNote[];
  baseline: BaselineInfo | null;
  metadata: Record<string, unknown>;
  environment: EnvironmentFingerprint;
  measuredAt: string;
  /** 1, or 2 for the confirming re-measurement of a flagged benchmark. */
  attempt: number;
  isAsync: boolean;
  isGcAvailable: boolean;
  loadAverage: { before: number; after: number };
  /** Where the benchmark was called: test file and test name inside Jest, else a source line. */
  place: string;
  testFile: string | null;
  /** The run this report belongs to. */
  runId: string;
  /** Time of perfguard's fixed reference loop during the measurement, in ns: the machine's speed. */
  machineProbeNs: number;
  /**
   * Time of perfguard's fixed chain of dependent memory loads, in ns: the speed of the caches
   * and memory, which other processes share. Absent from reports stored before it existed.
   */
  memoryProbeNs?: number;
  /** The V8 CPU profile written for this benchmark, if any. */
  profilePath: string | null;
}

/** Raw samples kept with each stored result, so later runs can test against them. */
export interface StoredSamples {
  durationNs: number[];
  heapDeltaBytes: number[];
  cpuPercent: number[];
  /** Involuntary context switches per sample (absent in results stored before it was recorded). */
  preemptions?: number[];
}

/** One run: every measurement of one `jest` invocation (or one process outside Jest). */
export interface RunRecord {
  id: string;
  startedAt: string;
  endedAt: string | null;
  commit: string | null;
  branch: string | null;
  isCi: boolean;
  environment: EnvironmentFingerprint;
}

/** One stored measurement. */
export interface ResultRecord {
  id: string;
  runId: string;
  testName: string;
  attempt: number;
  createdAt: string;
  status: ReportStatus;
  environmentKey: string;
  report: PerformanceReport;
  samples: StoredSamples;
}

/** One baseline epoch. The newest epoch of a test (per environment key) is its baseline. */
export interface BaselineEpoch {
  id: string;
  testName: string;
  environmentKey: string;
  createdAt: string;
  commit: string | null;
  reason: string | null;
  createdBy: string | null;
  /** The result it was taken from; null for a deletion marker. */
  resultId: string | null;
  /** A deletion marker: the test has no baseline on this environment from here on. */
  isDeleted: boolean;
}

/** A current baseline with the result it came from. */
export interface StoredBaseline {
  epoch: BaselineEpoch;
  result: ResultRecord;
}
