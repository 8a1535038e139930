import { quantileSorted } from 'simple-statistics';

/** Counts of samples outside Tukey's fences. */
export interface OutlierCount {
  /** Below Q1 − 1.5·IQR. */
  low: number;
  /** Above Q3 + 1.5·IQR. */
  high: number;
}

/**
 * Counts outliers by Tukey's fences: below Q1 − 1.5·IQR or above Q3 + 1.5·IQR
 * (the rule pytest-benchmark also reports). Robust: the fences rest on quartiles,
 * which the outliers themselves barely move.
 */
export function countOutliers(sortedValues: readonly number[]): OutlierCount {
  if (sortedValues.length < 4) return { low: 0, high: 0 };
  const q1 = quantileSorted(sortedValues, 0.25);
  const q3 = quantileSorted(sortedValues, 0.75);
  const fence = 1.5 * (q3 - q1);
  let low = 0;
  let high = 0;
  for (const value of sortedValues) {
    if (value < q1 - fence) low++;
    else if (value > q3 + fence) high++;
  }
  return { low, high };
}
