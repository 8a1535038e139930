import { chiSquaredQuantile, type GroupSpread, pooledStandardDeviation, spreadOf } from '../stats';
import type { RunPoint } from './run-point';

/**
 * How runs of one sitting (a measuring process and its fresh-process rounds, started back to
 * back) spread around each other, against how runs spread across sittings: what tells whether
 * the rounds escape the moment their sitting ran in.
 */
export interface SittingSpread {
  /** Spread of runs around their own sitting's mean, on the comparison scale, pooled over sittings. */
  within: GroupSpread;
  /** Spread of one run of each reference sitting: how far runs of different sittings wander. */
  across: GroupSpread;
  /** Distinct sittings among the reference runs (a run without one is a sitting of its own). */
  referenceSittings: number;
}

/**
 * The runs of a sitting that show its spread without the screen's pick: every founding run
 * (founding measures all its rounds), else only the fresh-process rounds. A first run was
 * sent to rounds for reading far from the reference, so beside its rounds it would look like
 * spread inside the sitting when it is the reason the sitting got rounds.
 */
function unpicked(runs: readonly RunPoint[]): RunPoint[] {
  return runs.filter((run) => run.isFounding || (run.round ?? 0) >= 1);
}

/** Runs grouped by sitting, each group in round order; a run without a sitting is a group of its own. */
export function bySitting<T extends RunPoint>(runs: readonly T[]): T[][] {
  const sittings = new Map<string, T[]>();
  const alone: T[][] = [];
  for (const run of runs) {
    if (run.sitting === undefined) {
      alone.push([run]);
      continue;
    }
    const members = sittings.get(run.sitting) ?? [];
    members.push(run);
    sittings.set(run.sitting, members);
  }
  return [...[...sittings.values()].map((members) => [...members].sort((a, b) => (a.round ?? 0) - (b.round ?? 0))), ...alone];
}

/** One run standing for its sitting: its first run the screen did not pick, else its only run. */
function standIn(members: readonly RunPoint[]): RunPoint | undefined {
  return unpicked(members)[0] ?? members[0];
}

/**
 * The spread between runs of one sitting (from the reference's sittings and the current one)
 * and across the reference's sittings (one run standing for each), on each run's `distance`
 * from the speed it matches (so bimodal code's speeds are not taken for spread), and how many
 * sittings the reference holds. Undefined when no run names its sitting (runs judged without a
 * store), which judges every run as a sitting of its own.
 */
export function sittingSpreadOf(reference: readonly RunPoint[], current: readonly RunPoint[], distance: (run: RunPoint) => number): SittingSpread | undefined {
  if ([...reference, ...current].every((run) => run.sitting === undefined)) return undefined;
  const referenceSittings = bySitting(reference);
  const currentSittings = bySitting(current);
  const within = pooledStandardDeviation([...referenceSittings, ...currentSittings].map((members) => spreadOf(unpicked(members).map(distance))));
  const across = spreadOf(referenceSittings.flatMap((members) => {
    const run = standIn(members);
    return run === undefined ? [] : [distance(run)];
  }));
  return { within, across, referenceSittings: referenceSittings.length };
}

/**
 * One-sided level of the upper bound on the spread inside sittings that the share is read from.
 * @default 0.9
 */
export const SITTING_SPREAD_LEVEL = 0.9;

/** Fewest reference sittings whose runs show how far sittings wander. @default 3 */
export const MIN_SITTINGS_ACROSS = 3;

/**
 * Both spreads of the sitting share are taken as at least this (1 % on a log scale), or the
 * metric's floor if higher: between processes, code this steady wanders by the clock's and the
 * CPU's own resolution, and runs of a sitting agreeing more closely than that says nothing of
 * moments. The end-to-end suite's steady spin loop read ±0.3 % inside a sitting and ±0.7 %
 * across three, a share of 0.70, and a planted 3x slowdown over four runs of one sitting was
 * held back for a young baseline (worth 1.3 runs). @default 0.01
 */
export const SITTING_SHARE_FLOOR = 0.01;

/**
 * The share of the variance between runs that a whole sitting shares (0 to 1): 1 − within² /
 * across², the intraclass correlation of a one-way random-effects model of runs inside
 * sittings, where across is the spread of one run of each reference sitting (at least
 * {@link MIN_SITTINGS_ACROSS}: a reference of one founding sitting shows only the spread inside
 * it). A moment of the machine that lasts longer than a sitting (here from about 5 s to over
 * 40 s) moves its first run and its rounds alike: in the verdicts bench's stores (at abbde0a)
 * rounds of one sitting spread 0.6–1.0 times as much as first runs of different sittings
 * (bench/sitting-spread.mjs). The
 * spread inside sittings is taken at its upper bound ({@link SITTING_SPREAD_LEVEL}, chi-squared
 * on its degrees of freedom; the spread across is a point estimate), so a few sittings whose
 * rounds happened to agree do not take the rounds' worth away (over six degrees of freedom, the
 * point estimate of a variance falls below half its value one time in five, P(χ² < 3) = 0.19,
 * and runs that wander independently would read a share of 0.5). Both spreads are at least
 * {@link SITTING_SHARE_FLOOR}. 0 when either spread is unknown, which judges runs as independent.
 */
export function sittingShare(sittings: SittingSpread | undefined, metricFloor = 0): number {
  const spreadFloor = Math.max(metricFloor, SITTING_SHARE_FLOOR);
  if (sittings === undefined || sittings.within.degreesOfFreedom < 1 || sittings.across.degreesOfFreedom < MIN_SITTINGS_ACROSS - 1) return 0;
  const { standardDeviation, degreesOfFreedom } = sittings.within;
  // Both spreads at least the floor: code steadier than that has no moments to share.
  const withinUpper = Math.max((standardDeviation ** 2 * degreesOfFreedom) / chiSquaredQuantile(1 - SITTING_SPREAD_LEVEL, degreesOfFreedom), spreadFloor ** 2);
  const across = Math.max(sittings.across.standardDeviation, spreadFloor);
  return across <= 0 ? 0 : Math.min(1, Math.max(0, 1 - withinUpper / across ** 2));
}

/**
 * What `runs` runs of one sitting are worth as independent runs when they share `share` of
 * their variance: runs / (1 + (runs − 1) × share), Kish's design effect for a cluster. One
 * sitting's three runs (a measuring process and two rounds) at a share of 0.5 count as 1.5.
 */
export function effectiveRuns(runs: number, share: number): number {
  return runs <= 1 ? runs : runs / (1 + (runs - 1) * share);
}
