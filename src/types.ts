import type { MetricType, MetricVerdict, Outcome, Regression, ReportStatus, RuleName, Severity, Thresholds, VerdictStatus } from './detector';
import type { Interval, SampleSummary, StabilityNote } from './stats';
import type { EnvironmentFingerprint } from './tracker';

export type { EnvironmentFingerprint, Interval, MetricType, MetricVerdict, Outcome, Regression, ReportStatus, RuleName, Severity, VerdictStatus };

/** How a benchmark is measured: wall time (the default) or instructions counted under Valgrind. */
export type MeasuringMode = 'time' | 'instructions';

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

/**
 * CPU time of all the process's threads (user and system: the JIT and the garbage collector
 * count too, so single-threaded code can read a little over 100) over wall time, in percent,
 * measured over the whole sampling phase: the CPU clock ticks too coarsely to time one sample.
 * `mean` and `median` are that figure (kept for older readers); null when the phase was
 * shorter than {@link CpuFigures} can support (100 ms).
 */
export interface CpuFigures {
  mean: number | null;
  median: number | null;
  /** The same over the whole sampling phase, from pidusage; null if it could not be read. */
  phase: number | null;
}

/** One process behind a verdict: the measuring process, or a fresh-process round. */
export interface ProcessFigures {
  /** When the process measured (ISO 8601). */
  measuredAt: string;
  /** Median duration per call, in seconds. */
  duration: number;
  /** Median heap growth per call, in MB. */
  memory: number;
  /** CPU time over wall time over the process's sampling phase, in percent; null when too short to tell. */
  cpu: number | null;
  /** perfguard's integer reference loop during the measurement, in ns; null when unknown. */
  machineProbeNs: number | null;
  /** perfguard's memory reference loop, in ns; null when unknown. */
  memoryProbeNs: number | null;
  /** Share of samples during which the process was preempted; null when unknown. */
  preemptedShare: number | null;
  /** CPU time per call, in seconds; null when too short to tell. */
  cpuTimePerCall: number | null;
  /** Instructions per call (instructions mode); absent or null in time mode. */
  instructions?: number | null;
}

/** What callgrind counted for a benchmark in instructions mode. */
export interface InstructionFigures {
  /** Instructions per call: the median of the counted rounds, perfguard's own loop subtracted. */
  median: number;
  /** Instructions per call in each counted round. */
  rounds: number[];
  /** Calls in each counted round. */
  callsPerRound: number;
  /** (max − min) / median of the rounds: 0 for deterministic code. */
  roundSpread: number;
  /** What perfguard's loop costs per call, already subtracted. */
  overheadPerCall: number;
}

/** A speed runs of the benchmark settle at (several for bimodal code). */
export interface SpeedGroup {
  /** Median per-call value of the group's runs: seconds, or instructions per call in instructions mode. */
  duration: number;
  /** Runs (processes) in the group. */
  runs: number;
}

/** What the primary verdict (duration, or instructions in instructions mode) rests on: runs (processes), not samples. */
export interface RunEvidence {
  /** Runs of unchanged code the reference was drawn from. */
  referenceRuns: number;
  /** Runs of the current code: the measuring process and its fresh-process rounds. */
  currentRuns: number;
  /**
   * How far runs of unchanged code wander between processes: the standard deviation of their
   * centres on a log scale (0.06 ≈ ±6 %); null with fewer than two runs.
   */
  spread: number | null;
  /**
   * The smallest slowdown (a factor) the rule proves 9 times in 10 with this spread, here;
   * null when unknown.
   */
  detectableFactor: number | null;
  /**
   * The share of the variance between runs which a sitting's runs (the measuring process and its fresh-process
   * rounds, started back to back) share, 0 to 1: how little more rounds of one sitting add.
   * Absent from reports written before it was recorded.
   */
  sittingShare?: number;
  /** The speeds runs settle at: one, or several for bimodal code. */
  groups: SpeedGroup[];
  /**
   * Set when the founding runs were left out because every accepted run since contradicts them;
   * `duration` is in the primary metric's unit, as in `groups`.
   */
  foundingSetAside: { duration: number; runsSince: number; direction: 'faster' | 'slower' } | null;
}

/** Codes of the notes a report can carry. */
export type ReportNoteCode =
  | StabilityNote['code']
  | 'environment-mismatch'
  | 'baseline-established'
  /** Only in reports stored by perfguard before runs were the unit of evidence. */
  | 'remeasured'
  | 'rounds'
  | 'rounds-unavailable'
  | 'little-history'
  | 'detectable-effect'
  | 'bimodal'
  | 'baseline-set-aside'
  | 'crowded-runs'
  | 'profile-written'
  /** Only in reports stored by earlier versions (now the `machine` rule's reason). */
  | 'machine-slower'
  | 'memory-busy'
  | 'instructions-delta'
  | 'nondeterministic';

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
  /**
   * The reference duration per call the verdict used, in seconds: the median of the centres of
   * the runs of unchanged code since the baseline was founded (of the matching speed, for
   * bimodal code).
   */
  medianDuration: number;
  /** Median absolute deviation of those runs' centres, in seconds: their wander between processes. */
  madDuration: number;
  /** Runs (processes) the reference was drawn from. */
  runs: number;
  /** Instructions mode: the reference instructions per call the verdict used (the duration is then wall time under Valgrind). */
  medianInstructions?: number;
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
  /** How it was measured. Baselines and history are kept per mode. */
  mode: MeasuringMode;
  /**
   * Instructions mode: what callgrind counted, judged instead of the duration (which is wall
   * time under Valgrind, tens of times slower than native, and not compared).
   */
  instructions?: InstructionFigures;
  status: ReportStatus;
  regressions: Regression[];
  /** One verdict per metric (CPU is left out when the runs were too short for the CPU clock). */
  verdicts: MetricVerdict[];
  /** The processes behind the verdict: the measuring process first, then any fresh-process rounds. */
  processes: ProcessFigures[];
  /** What the duration verdict rests on; null without a baseline. */
  evidence: RunEvidence | null;
  /** The thresholds the verdicts used (absent from reports stored before they were recorded). */
  thresholds?: Thresholds;
  notes: ReportNote[];
  baseline: BaselineInfo | null;
  metadata: Record<string, unknown>;
  environment: EnvironmentFingerprint;
  measuredAt: string;
  /**
   * 1. (Stores written before fresh-process rounds also hold 2: a same-process re-measurement.)
   */
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

/** Raw samples of the measuring process, kept with each stored result. */
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

/** A stored process behind a result, with the result's place in history. */
export interface StoredProcess extends ProcessFigures {
  resultId: string;
  /** 0 for the measuring process, 1 and up for fresh-process rounds. */
  index: number;
  /** Part of the result the baseline epoch was founded on. */
  isFounding: boolean;
}

/** One baseline epoch. The newest epoch of a test (per environment key and mode) is its baseline. */
export interface BaselineEpoch {
  id: string;
  testName: string;
  environmentKey: string;
  /** Measuring mode; epochs of older stores are 'time'. */
  mode?: MeasuringMode;
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
