import { median, medianAbsoluteDeviation, sampleStandardDeviation } from 'simple-statistics';

/** MAD × 1.4826 estimates the standard deviation of normal data while ignoring outliers. */
const MAD_TO_STD = 1.4826;

/** From this many values on, {@link robustStandardDeviation} uses the MAD. @default 8 */
export const ROBUST_SPREAD_MIN_VALUES = 8;

/**
 * A standard deviation that one wild value cannot inflate: 1.4826 × MAD from
 * {@link ROBUST_SPREAD_MIN_VALUES} values on, where the MAD is stable; the sample standard
 * deviation below that, where a MAD of three or four values can be zero by chance.
 * 0 for fewer than two values.
 */
export function robustStandardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const data = values as number[];
  if (values.length < ROBUST_SPREAD_MIN_VALUES) return sampleStandardDeviation(data);
  return MAD_TO_STD * medianAbsoluteDeviation(data);
}

/** A group's spread with its degrees of freedom, for pooling. */
export interface GroupSpread {
  standardDeviation: number;
  degreesOfFreedom: number;
}

/** The spread of several groups around their own centres, weighted by degrees of freedom. */
export function pooledStandardDeviation(groups: readonly GroupSpread[]): GroupSpread {
  let sum = 0;
  let degreesOfFreedom = 0;
  for (const group of groups) {
    if (group.degreesOfFreedom <= 0) continue;
    sum += group.standardDeviation ** 2 * group.degreesOfFreedom;
    degreesOfFreedom += group.degreesOfFreedom;
  }
  return { standardDeviation: degreesOfFreedom === 0 ? 0 : Math.sqrt(sum / degreesOfFreedom), degreesOfFreedom };
}

/** The spread of `values` around their median, with n − 1 degrees of freedom. */
export function spreadOf(values: readonly number[]): GroupSpread {
  return { standardDeviation: robustStandardDeviation(values), degreesOfFreedom: Math.max(0, values.length - 1) };
}

/** The median of a non-empty list. */
export function medianOf(values: readonly number[]): number {
  return median(values);
}
