import { DEFAULT_CONFIDENCE_LEVEL, type Interval } from './confidence-interval';
import { createSeededRandom, type RandomSource } from './random';
import { medianInPlace } from './select';

/** Options of {@link bootstrapRatioInterval}. */
export interface BootstrapOptions {
  /** @default 0.95 */
  level?: number;
  /** Number of resamples. @default 1000 */
  resamples?: number;
  /** Source of randomness. @default a generator seeded from the samples, for repeatable intervals */
  random?: RandomSource;
}

/** @default 1000 */
export const DEFAULT_BOOTSTRAP_RESAMPLES = 1000;

function resampleMedian(source: readonly number[], buffer: Float64Array, random: RandomSource): number {
  const n = source.length;
  for (let i = 0; i < n; i++) buffer[i] = source[Math.floor(random() * n)] as number;
  return medianInPlace(buffer);
}

function seedFrom(baseline: readonly number[], current: readonly number[]): number {
  let seed = 0x9e3779b9 ^ (baseline.length * 31 + current.length);
  for (const value of [baseline[0], current[0], baseline.at(-1), current.at(-1)]) {
    seed = Math.imul(seed ^ Math.floor((value ?? 0) * 1000), 0x85ebca6b) >>> 0;
  }
  return seed;
}

/**
 * Percentile-bootstrap confidence interval of median(current) / median(baseline), the
 * slowdown factor (criterion resamples the same way). Each side is resampled on its own,
 * as the two runs are independent.
 */
export function bootstrapRatioInterval(
  baseline: readonly number[],
  current: readonly number[],
  options: BootstrapOptions = {},
): Interval {
  const level = options.level ?? DEFAULT_CONFIDENCE_LEVEL;
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const random = options.random ?? createSeededRandom(seedFrom(baseline, current));
  const baselineBuffer = new Float64Array(baseline.length);
  const currentBuffer = new Float64Array(current.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const denominator = resampleMedian(baseline, baselineBuffer, random);
    const numerator = resampleMedian(current, currentBuffer, random);
    ratios[r] = denominator === 0 ? (numerator === 0 ? 1 : Infinity) : numerator / denominator;
  }
  ratios.sort();
  const tail = (1 - level) / 2;
  const at = (p: number): number => ratios[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))] as number;
  return { lower: at(tail), upper: at(1 - tail), level };
}
