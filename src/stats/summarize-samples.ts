import {
  max,
  mean,
  medianAbsoluteDeviation,
  min,
  quantileSorted,
  sampleStandardDeviation,
} from 'simple-statistics';
import {
  DEFAULT_CONFIDENCE_LEVEL,
  type Interval,
  meanConfidenceInterval,
  medianConfidenceInterval,
} from './confidence-interval';
import { countOutliers, type OutlierCount } from './outliers';

/** Robust summary of one metric's samples, in the samples' own unit. */
export interface SampleSummary {
  count: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single sample. */
  std: number;
  min: number;
  max: number;
  median: number;
  p75: number;
  p95: number;
  p99: number;
  /** Median absolute deviation from the median (unscaled). */
  mad: number;
  /** Interquartile range, Q3 − Q1. */
  iqr: number;
  /** Coefficient of variation, std / mean; `null` when the mean is not positive. */
  cv: number | null;
  /** Samples outside Tukey's fences (1.5·IQR beyond the quartiles). */
  outliers: OutlierCount;
  meanCi: Interval;
  medianCi: Interval;
}

/**
 * Summarises samples with the usual and the robust statistics. Quantiles are
 * simple-statistics' linear interpolation (R type 7, numpy's default).
 * @example summarizeSamples([1, 2, 3]).median // 2
 */
export function summarizeSamples(
  values: readonly number[],
  confidenceLevel = DEFAULT_CONFIDENCE_LEVEL,
): SampleSummary {
  if (values.length === 0) throw new RangeError('summarizeSamples needs at least one sample');
  const data = values as number[];
  const sorted = [...values].sort((a, b) => a - b);
  const average = mean(data);
  const std = values.length > 1 ? sampleStandardDeviation(data) : 0;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return {
    count: values.length,
    mean: average,
    std,
    min: min(data),
    max: max(data),
    median: quantileSorted(sorted, 0.5),
    p75: q3,
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    mad: medianAbsoluteDeviation(data),
    iqr: q3 - q1,
    cv: average > 0 ? std / average : null,
    outliers: countOutliers(sorted),
    meanCi: meanConfidenceInterval(values, confidenceLevel),
    medianCi: medianConfidenceInterval(sorted, confidenceLevel),
  };
}
