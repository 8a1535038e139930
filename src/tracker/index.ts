export { assertRealTimers, createHrtimeClock, measureTimerResolutionNs } from './clock';
export type { Clock } from './clock';
export { captureEnvironment, environmentKey } from './environment';
export type { EnvironmentFingerprint } from './environment';
export { readGitInfo } from './git-info';
export type { GitInfo } from './git-info';
export { cpuSpanOf, measureFunction, MIN_CPU_SPAN_NS } from './measure-function';
export type { CpuSpan, Measurement, MeasurementSamples } from './measure-function';
export {
  DEFAULT_MAX_SAMPLES,
  DEFAULT_MIN_SAMPLES,
  DEFAULT_TIME_MS,
  DEFAULT_WARMUP_TIME_MS,
  MEASURE_OPTION_NAMES,
  resolveMeasureOptions,
} from './measure-options';
export type { MeasureOptions, ResolvedMeasureOptions } from './measure-options';
export { BATCH_THRESHOLD_NS } from './_timing-loop';
export { DEFAULT_PROFILE_MS, recordCpuProfile } from './cpu-profile';
export { startSingleRun } from './single-run';
export type { SingleRun } from './single-run';
export * from './instructions';
