import { errorFunction, probit } from 'simple-statistics';

/**
 * Upper tail of the standard normal distribution, P(Z >= z).
 * Built on simple-statistics' `errorFunction` (fractional error below 1.2e-7), not its
 * `cumulativeStdNormalProbability`, which is a two-decimal lookup table.
 */
export function normalUpperTail(z: number): number {
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

/** The z such that P(Z <= z) = p, for 0 < p < 1 (simple-statistics' `probit`). */
export function normalQuantile(p: number): number {
  return probit(p);
}
