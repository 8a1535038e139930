import { choose, type GroupSpread, type Interval, normalUpperTail, pooledStandardDeviation, spreadOf, studentTCdf, studentTQuantile } from '../stats';
import type { MetricScale } from './metric-scale';
import type { Reference } from './reference';
import { SPREAD_FLOOR, type RunGroup } from './run-groups';
import { effectiveRuns, type SittingSpread, sittingShare } from './sittings';

/** How the current runs compare with the reference, on the comparison scale. */
export interface RunComparison {
  /** Per current run: the reference speed (group) it is judged against. */
  matched: RunGroup[];
  /** Per current run: its distance from its matched speed (log of the factor, or MB). */
  deltas: number[];
  /** Mean of the deltas. */
  meanDelta: number;
  /** Spread between runs, pooled from the reference and the current runs. */
  spread: GroupSpread;
  /** Standard error of `meanDelta`; 0 when the spread is unknown. */
  standardError: number;
  /** P(the current runs are slower than unchanged runs), one-sided; null without degrees of freedom. */
  confidenceSlower: number | null;
  /** Interval of `meanDelta` at the verdict's confidence; null without degrees of freedom. */
  interval: Interval | null;
  /** Share of the spread between runs that runs of one sitting share, 0 to 1 ({@link sittingShare}). */
  sittingShare: number;
  /** What the current runs, one sitting's, are worth as independent runs ({@link effectiveRuns}). */
  effectiveRuns: number;
}

/**
 * Variance of a reference centre, in units of one run's: the median of its runs, which varies
 * about π/2 times as much as a mean of as many runs (from three runs on). Runs drawn from
 * fewer sittings than runs average away less: a share `share` of their variance moves with
 * the sitting, and only `sittings` draws of it were taken.
 */
function referenceVariance(runs: number, share = 0, sittings = runs): number {
  const n = Math.max(runs, 1);
  return (runs >= 3 ? Math.PI / 2 : 1) * (share / Math.min(Math.max(sittings, 1), n) + (1 - share) / n);
}

/** Variance of the mean of `runs` runs of one sitting sharing `share` of their variance, in units of one run's. */
function sittingVariance(runs: number, share: number): number {
  return share + (1 - share) / Math.max(runs, 1);
}

/** z for the prediction bound that says a run could belong to a speed (about 99 %). */
export const MEMBERSHIP_Z = 2.5;

/**
 * The speed a current run is judged against: the slowest one it could belong to (it is not
 * below that speed's range), else the fastest. For one speed, that speed.
 */
export function matchGroup(x: number, groups: readonly RunGroup[], spread: GroupSpread, floor = SPREAD_FLOOR): RunGroup {
  const fastest = groups[0];
  if (fastest === undefined) throw new RangeError('matchGroup needs at least one group');
  let chosen = fastest;
  for (const group of groups) if (x >= speedRange(group, spread, floor).lower) chosen = group;
  return chosen;
}

/** Where a new run of one speed may fall (on the comparison scale): its prediction bounds at {@link MEMBERSHIP_Z}. */
export function speedRange(group: RunGroup, spread: GroupSpread, floor = SPREAD_FLOOR): { lower: number; upper: number } {
  const half = MEMBERSHIP_Z * Math.max(spread.standardDeviation, floor) * Math.sqrt(1 + referenceVariance(group.runs));
  return { lower: group.x - half, upper: group.x + half };
}

/** What else {@link compareRuns} weighs. */
export interface CompareOptions {
  /** Spread between the counted rounds inside the current process (instruction counts), pooled with the runs'. */
  withinRun?: GroupSpread | undefined;
  /** How runs spread inside their sittings: the current runs are one sitting, and so are the reference's rounds. */
  sittings?: SittingSpread | undefined;
}

/**
 * Compares current runs with a reference: each run against the speed it matches, the mean
 * distance, its standard error from the spread between runs (the reference runs' around the
 * speeds the current runs matched, pooled with the current runs' around their mean), and
 * Student's t on those degrees of freedom. With one current run this is the prediction
 * interval of a new run; with several (fresh-process rounds) the two-sample comparison of
 * their centres, where the part of the spread a sitting shares ({@link sittingShare}) does not
 * average away over its rounds: three rounds that ran in one slow moment are one moment.
 */
export function compareRuns(reference: Reference, current: readonly number[], scale: MetricScale, level: number, options: CompareOptions = {}): RunComparison {
  const { withinRun } = options;
  const xs = current.map((value) => scale.toScale(value));
  const matched = xs.map((x) => matchGroup(x, reference.groups, reference.spread, scale.spreadFloor));
  const deltas = xs.map((x, i) => x - (matched[i]?.x ?? 0));
  const meanDelta = deltas.reduce((sum, delta) => sum + delta, 0) / Math.max(deltas.length, 1);
  // The spread of the speeds the runs matched (for bimodal code, a fast speed can be far
  // tighter than a slow one), pooled with the current runs' own.
  const speeds = [...new Set(matched)];
  const spreads = [...(reference.groups.length > 1 ? speeds.map((group) => group.spread) : [reference.spread]), spreadOf(deltas)];
  // Instruction counts add the spread between a process's own counted rounds.
  const spread = pooledStandardDeviation(withinRun === undefined ? spreads : [...spreads, withinRun]);
  const s = Math.max(spread.standardDeviation, scale.spreadFloor);
  const share = sittingShare(options.sittings, scale.spreadFloor);
  // A speed's runs come from about its share of the reference's sittings.
  const sittingsPerRun = (options.sittings?.referenceSittings ?? reference.runs.length) / Math.max(reference.runs.length, 1);
  const matchedRuns = matched.reduce((sum, group) => sum + referenceVariance(group.runs, share, group.runs * sittingsPerRun), 0) / Math.max(matched.length, 1);
  const standardError = s * Math.sqrt(matchedRuns + sittingVariance(xs.length, share));
  const sittings = { sittingShare: share, effectiveRuns: effectiveRuns(xs.length, share) };
  if (spread.degreesOfFreedom < 1 || standardError === 0) {
    return { matched, deltas, meanDelta, spread, standardError, confidenceSlower: null, interval: null, ...sittings };
  }
  const t = meanDelta / standardError;
  const half = studentTQuantile((1 + level) / 2, spread.degreesOfFreedom) * standardError;
  return {
    matched,
    deltas,
    meanDelta,
    spread,
    standardError,
    confidenceSlower: studentTCdf(t, spread.degreesOfFreedom),
    interval: { lower: meanDelta - half, upper: meanDelta + half, level },
    ...sittings,
  };
}

/** Detection probability a detectable factor promises. @default 0.9 */
export const DETECTION_POWER = 0.9;
/** Evidence a first run needs to be sent to fresh-process rounds. @default 0.8 */
export const SCREEN_CONFIDENCE = 0.8;

/** What the detectable factor depends on. */
export interface DetectableInput {
  /** Spread between runs on a log scale, with its degrees of freedom. */
  spread: GroupSpread;
  /** Reference runs. */
  referenceRuns: number;
  /** Current runs the final verdict rests on after a flag: 1 plus the fresh-process rounds. */
  currentRuns: number;
  /** Share of the spread that runs of one sitting share ({@link sittingShare}). @default 0 */
  sittingShare?: number;
  /** Sittings the reference runs come from. @default referenceRuns */
  referenceSittings?: number;
  /** Evidence level of the verdict. */
  level: number;
  /** Smallest spread assumed (the metric's scale). @default 0.005 */
  spreadFloor?: number;
  /**
   * The rank evidence: whether a slowdown is proven when this many reference runs were as slow
   * as the fastest current run (the runs counted as {@link effectiveRuns}). Absent: the t test alone.
   */
  isProvableAsSlow?: (asSlow: number) => boolean;
}

/** Steps of the integral over the fastest current run, across ±8 spreads. */
const RANK_INTEGRAL_STEPS = 320;

function normalDensity(z: number): number {
  return Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
}

/** The counts of as-slow reference runs that prove a slowdown, each with its binomial coefficient C(referenceRuns, asSlow). */
interface ProvableCount {
  asSlow: number;
  ways: number;
}

function provableCounts(referenceRuns: number, isProvable: (asSlow: number) => boolean): ProvableCount[] {
  return Array.from({ length: referenceRuns + 1 }, (_, asSlow) => asSlow)
    .filter(isProvable)
    .map((asSlow) => ({ asSlow, ways: choose(referenceRuns, asSlow) }));
}

function rankChance(shift: number, referenceRuns: number, currentRuns: number, counts: readonly ProvableCount[]): number {
  if (counts.length === 0) return 0;
  const step = 16 / RANK_INTEGRAL_STEPS;
  let chance = 0;
  for (let i = 0; i < RANK_INTEGRAL_STEPS; i++) {
    const x = shift - 8 + (i + 0.5) * step;
    const fastest = currentRuns * normalDensity(x - shift) * normalUpperTail(x - shift) ** (currentRuns - 1);
    const slower = normalUpperTail(x);
    const provable = counts.reduce((sum, term) => sum + term.ways * slower ** term.asSlow * (1 - slower) ** (referenceRuns - term.asSlow), 0);
    chance += fastest * provable * step;
  }
  return Math.min(1, chance);
}

/**
 * Chance the rank evidence proves a slowdown of `shift` spreads: with runs spread normally
 * (reference runs around 0, current ones around `shift`), the fastest current run leaves a
 * count of reference runs as slow as it that `isProvable` accepts. Integrates over where the
 * fastest current run falls, the count being binomial there.
 */
export function rankProbability(shift: number, referenceRuns: number, currentRuns: number, isProvable: (asSlow: number) => boolean): number {
  return rankChance(shift, referenceRuns, currentRuns, provableCounts(referenceRuns, isProvable));
}

/**
 * The chance the rule proves a slowdown of `delta` (log scale), as a function of `delta`: what
 * does not depend on it (the spreads, the t quantiles, the provable counts) is worked out once.
 */
function detectionProbabilityOf(input: DetectableInput): (delta: number) => number {
  const s = Math.max(input.spread.standardDeviation, input.spreadFloor ?? SPREAD_FLOOR);
  const df = Math.max(input.spread.degreesOfFreedom, 1);
  const share = input.sittingShare ?? 0;
  const reference = referenceVariance(input.referenceRuns, share, input.referenceSittings);
  const firstRun = s * Math.sqrt(reference + 1);
  const allRuns = s * Math.sqrt(reference + sittingVariance(input.currentRuns, share));
  const ranked = effectiveRuns(input.currentRuns, share);
  const screenQuantile = studentTQuantile(SCREEN_CONFIDENCE, df);
  const testQuantile = studentTQuantile(input.level, df);
  const counts = input.isProvableAsSlow === undefined ? undefined : provableCounts(input.referenceRuns, input.isProvableAsSlow);
  // Normal approximation of the power of each test: the first run must pass the screen, then
  // all runs must pass the verdict's t test and its ranks. The two look at the same runs and
  // mostly agree, so the weaker of them bounds the chance that both do.
  return (delta) => {
    const screened = input.currentRuns > 1 ? normalUpperTail(screenQuantile - delta / firstRun) : 1;
    const tested = normalUpperTail(testQuantile - delta / allRuns);
    const byRanks = counts === undefined ? 1 : rankChance(delta / s, input.referenceRuns, ranked, counts);
    return screened * Math.min(tested, byRanks);
  };
}

/**
 * The smallest slowdown (a factor, such as 1.07) that the run-level rule proves 9 times in
 * 10 given the spread between runs here: the noise's limit, apart from the thresholds.
 * Null without a spread to go on, or when no slowdown can be proven (ranks against too few runs).
 */
export function detectableFactor(input: DetectableInput): number | null {
  if (input.spread.degreesOfFreedom < 1) return null;
  const detectionProbability = detectionProbabilityOf(input);
  let low = 0;
  let high = 5;
  if (detectionProbability(high) < DETECTION_POWER) return null;
  while (high - low > 1e-4) {
    const middle = (low + high) / 2;
    if (detectionProbability(middle) >= DETECTION_POWER) high = middle;
    else low = middle;
  }
  return Math.exp(high);
}
