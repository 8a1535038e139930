// The public API. Every value here is listed in README and in test/public-api.test.ts, so a
// new export is a decision; internals live under `perfguard/internals`.
export { benchmark, measure, PerformanceRegressionDetector, PerformanceRegressionTester } from './runner';
export { performanceTest } from './jest/performance-test';
export { DEFAULT_THRESHOLDS, isFailing, outcomeOf } from './detector';
export {
  ConfigError,
  DuplicateNameError,
  FakeTimersError,
  InstructionsModeError,
  isConfigError,
  isInstructionsModeError,
  isMeasurementError,
  isPerfguardError,
  isStoreError,
  MeasurementError,
  PerfguardError,
  StoreError,
} from './errors';

export type { Baseline, BenchmarkOptions, DetectorOptions, EnvironmentMismatchMode, MeasureBlock, SingleRunOptions, TesterOptions } from './runner';
export type { PerformanceTestOptions } from './jest/performance-test';
export type { PerfguardReporterOptions } from './jest/reporter';
export type { NoRegressionsOptions } from './jest/matchers';
export type {
  FailOn,
  InconclusiveVerdict,
  MetricThresholds,
  NoBaselineVerdict,
  PassVerdict,
  RegressionVerdict,
  RunCounts,
  ThresholdOverrides,
  Thresholds,
} from './detector';
export type { PerfguardErrorCode } from './errors';
export type { Clock, MeasureOptions } from './tracker';
export type {
  BaselineInfo,
  CpuFigures,
  DurationFigures,
  EnvironmentFingerprint,
  Interval,
  MeasuringMode,
  MemoryFigures,
  MetricType,
  MetricVerdict,
  Outcome,
  PerformanceReport,
  ProcessFigures,
  Regression,
  ReportNote,
  ReportNoteCode,
  ReportStatus,
  RuleName,
  RunEvidence,
  Severity,
  SpeedGroup,
  VerdictStatus,
} from './types';
