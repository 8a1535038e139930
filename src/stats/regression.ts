import { linearRegression } from 'simple-statistics';
import { studentTQuantile } from './student-t';

/**
 * The one-sided upper bound at `level` of the least-squares slope of `y` on `x`, from the
 * residuals' standard deviation (at least `minSpread`, so a perfect fit cannot claim an exact
 * slope) on n − 2 degrees of freedom. Null with fewer than three points or when `x` does not
 * vary, where no slope can be told.
 */
export function slopeUpperBound(points: readonly (readonly [x: number, y: number])[], level: number, minSpread = 0): number | null {
  const n = points.length;
  if (n < 3) return null;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  if (!(sxx > 0)) return null;
  const { m: slope, b: intercept } = linearRegression(points.map(([x, y]) => [x, y]));
  const residual = points.reduce((sum, [x, y]) => sum + (y - intercept - slope * x) ** 2, 0) / (n - 2);
  const s = Math.max(Math.sqrt(residual), minSpread);
  return slope + (studentTQuantile(level, n - 2) * s) / Math.sqrt(sxx);
}
