export { benchmark, getDefaultTester, measure } from './benchmark';
export { MeasureBlock } from './measure-block';
export { BENCHMARK_OPTION_NAMES, resolveBenchmarkOptions } from './benchmark-options';
export type { BenchmarkOptions, ResolvedBenchmarkOptions } from './benchmark-options';
export { BYTES_PER_MB, overallStatus, regressionsOf, toMetricSamples } from './build-report';
export type { MetricSamples } from './build-report';
export { describeCaller } from './_caller';
export type { CallerPlace } from './_caller';
export {
  describeBaseline,
  DETECTOR_OPTION_NAMES,
  expectConfidence,
  machineFactorOf,
  memoryFactorOf,
  PerformanceRegressionDetector,
} from './performance-regression-detector';
export type { Baseline, DetectorOptions, EnvironmentMismatchMode, JudgeOverrides, MachineProbes } from './performance-regression-detector';
export { PerformanceRegressionTester } from './performance-regression-tester';
export type { TesterOptions } from './performance-regression-tester';
export { baselineAuthor, createRunRecord, currentRunId } from './run-context';
export { readUpdateBaselineFlag } from './update-baseline-flag';
