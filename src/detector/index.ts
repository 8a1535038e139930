export { judgeMetric, MACHINE_SLOWDOWN_GUARD, noBaselineVerdict, runEnvelope } from './judge-metric';
export type { JudgeMetricOptions, MetricVerdict, VerdictStatus } from './judge-metric';
export { DEFAULT_THRESHOLDS, METRIC_TYPES, resolveThresholds, validateThresholds } from './thresholds';
export type { MetricThresholds, MetricType, ThresholdOverrides, Thresholds } from './thresholds';
export { isExplainedByContention, measureContention, PREEMPTED_SHARE_GUARD } from './contention';
export type { Contention, ContentionSamples } from './contention';
