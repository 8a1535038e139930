export { judgeMetric, noBaselineVerdict } from './judge-metric';
export type { JudgeMetricOptions, MetricVerdict, VerdictStatus } from './judge-metric';
export { DEFAULT_THRESHOLDS, METRIC_TYPES, resolveThresholds, validateThresholds } from './thresholds';
export type { MetricThresholds, MetricType, ThresholdOverrides, Thresholds } from './thresholds';
