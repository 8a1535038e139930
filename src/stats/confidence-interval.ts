import { gammaln, mean, sampleStandardDeviation } from 'simple-statistics';
import { studentTQuantile } from './student-t';

/** A two-sided interval with the confidence level it was built for. */
export interface Interval {
  lower: number;
  upper: number;
  /** Confidence level, 0 to 1 (for the median: the level the order statistics achieve). */
  level: number;
}

/** @default 0.95 */
export const DEFAULT_CONFIDENCE_LEVEL = 0.95;

/**
 * Confidence interval of the mean: mean ± t(n-1) · s/√n.
 * Timing samples are skewed, but the mean of hundreds of them is close to normal.
 */
export function meanConfidenceInterval(values: readonly number[], level = DEFAULT_CONFIDENCE_LEVEL): Interval {
  const centre = mean(values);
  if (values.length < 2) return { lower: centre, upper: centre, level };
  const standardError = sampleStandardDeviation(values) / Math.sqrt(values.length);
  const halfWidth = studentTQuantile((1 + level) / 2, values.length - 1) * standardError;
  return { lower: centre - halfWidth, upper: centre + halfWidth, level };
}

function logBinomialHalf(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) - n * Math.LN2;
}

/**
 * Distribution-free confidence interval of the median from order statistics: the median
 * lies between the j-th smallest and the j-th largest sample with probability
 * 1 − 2·P(Binomial(n, ½) < j) (Conover, Practical Nonparametric Statistics, §3.2).
 * With too few samples for `level`, the interval is [min, max] and `level` says what it achieves.
 */
export function medianConfidenceInterval(
  sortedValues: readonly number[],
  level = DEFAULT_CONFIDENCE_LEVEL,
): Interval {
  const n = sortedValues.length;
  const alphaHalf = (1 - level) / 2;
  let below = 0; // P(Binomial(n, ½) < j) for the current j
  let j = 0;
  while (j < n / 2) {
    const next = below + Math.exp(logBinomialHalf(n, j));
    if (next > alphaHalf) break;
    below = next;
    j++;
  }
  const lowerIndex = Math.max(0, j - 1);
  const upperIndex = n - 1 - lowerIndex;
  const achieved = j === 0 ? 1 - 2 * Math.exp(logBinomialHalf(n, 0)) : 1 - 2 * below;
  return {
    lower: sortedValues[lowerIndex] ?? NaN,
    upper: sortedValues[upperIndex] ?? NaN,
    level: Math.max(0, achieved),
  };
}
