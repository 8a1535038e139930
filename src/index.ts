export {
  ConfigError,
  DuplicateNameError,
  FakeTimersError,
  isConfigError,
  isMeasurementError,
  isPerfguardError,
  isStoreError,
  MeasurementError,
  PerfguardError,
  StoreError,
} from './errors';
export type { PerfguardErrorCode } from './errors';
export {
  assessStability,
  bootstrapRatioInterval,
  mannWhitneyGreater,
  meanConfidenceInterval,
  medianConfidenceInterval,
  summarizeSamples,
} from './stats';
export type { MannWhitneyResult, SampleSummary, StabilityNote, StabilityNoteCode } from './stats';
export { captureEnvironment, environmentKey, measureFunction } from './tracker';
export { performanceTest } from './jest/performance-test';
export type { PerformanceTestOptions } from './jest/performance-test';
export type { PerfguardReporterOptions } from './jest/reporter';
export type { Clock, Measurement, MeasurementSamples, MeasureOptions } from './tracker';
export { DEFAULT_THRESHOLDS, judgeMetric } from './detector';
export type { MetricThresholds, ThresholdOverrides, Thresholds, VerdictStatus } from './detector';
export { resolveStorePath, SCHEMA_VERSION, SqliteStore } from './store';
export type { OpenStoreOptions } from './store';
export {
  benchmark,
  measure,
  MeasureBlock,
  PerformanceRegressionDetector,
  PerformanceRegressionTester,
  readUpdateBaselineFlag,
} from './runner';
export type { Baseline, BenchmarkOptions, DetectorOptions, EnvironmentMismatchMode, TesterOptions } from './runner';
export type {
  BaselineEpoch,
  BaselineInfo,
  CpuFigures,
  DurationFigures,
  EnvironmentFingerprint,
  Interval,
  MemoryFigures,
  MetricType,
  MetricVerdict,
  PerformanceReport,
  Regression,
  ReportNote,
  ReportStatus,
  ResultRecord,
  RunRecord,
  Severity,
  StoredBaseline,
  StoredSamples,
} from './types';
