import { gammaln } from 'simple-statistics';
import { formatMetric } from '../_format';
import { choose, medianOf } from '../stats';
import type { MetricScale } from './metric-scale';
import type { Reference } from './reference';
import { MEMBERSHIP_Z, matchGroup, type RunComparison, speedRange } from './run-comparison';
import { effectiveRuns } from './sittings';
import type { ConditionedRun, RunConditions, RunPoint } from './run-point';
import type { MetricThresholds, MetricType } from './thresholds';
import { minGroupSize } from './run-groups';
import type { JudgedFields, MetricVerdict, RuleName } from './verdict';

/**
 * A machine this much slower than for the reference runs (by the integer reference loop)
 * can explain a slowdown by itself. @default 1.15
 */
export const MACHINE_SLOWDOWN_GUARD = 1.15;
/** Preempted in at least this share of samples, and clearly more than the reference runs. @default 0.2 */
export const PREEMPTED_SHARE_GUARD = 0.2;

/** Everything the rules read. */
export interface RuleContext {
  metricType: MetricType;
  thresholds: MetricThresholds;
  /** Evidence level a slowdown needs, 0.5 to 1. */
  confidence: number;
  /** The current runs. */
  current: readonly ConditionedRun[];
  /** The reference runs used. */
  reference: readonly ConditionedRun[];
  scale: MetricScale;
  ref: Reference;
  comparison: RunComparison;
  fields: JudgedFields;
  /** currentValue − baselineValue, in the metric's unit (for the absolute floor). */
  delta: number;
  /** Runs the verdict will rest on once confirmed, when screening a first run for fresh-process rounds. */
  plannedRuns?: number | undefined;
  /** The reference was measured beside the current runs (`perfguard compare`): a young one is not held to ranks. */
  measuredBeside?: boolean | undefined;
  /**
   * The slowdown of this benchmark that the machine's (fields.machineFactor) explains, by how far
   * its unchanged runs moved with that reference loop (sensitivity 0 to 1); null when unknown.
   */
  machineExplains?: { factor: number; sensitivity: number } | null | undefined;
}

/** A rule decides the verdict, or passes (undefined) to the next rule. */
type DecisionRule = (context: RuleContext) => MetricVerdict | undefined;

/** A factor as a verdict's reason shows it: "1.35x". */
export function shown(factor: number): string {
  return Number.isFinite(factor) ? `${factor.toFixed(2)}x` : '∞x';
}

/** A chance or confidence as a verdict's reason shows it: "0.6 %", two decimals near 0 and 1. */
export function percent(p: number): string {
  return `${(p * 100).toFixed(p > 0.999 || p < 0.001 ? 2 : 1)} %`;
}

function withheld(context: RuleContext, withheldBy: RuleName, reason: string): MetricVerdict {
  return { ...context.fields, status: 'inconclusive', withheldBy, reason };
}

/** Whether a run condition's reading is known: positive and finite. */
export function isKnownReading(value: number | null): value is number {
  return value !== null && Number.isFinite(value) && value > 0;
}

/** The runs' known readings of a run condition, in the runs' order. */
export function conditionReadings(runs: readonly ConditionedRun[], pick: (conditions: RunConditions) => number | null): number[] {
  return runs.map((run) => pick(run.conditions)).filter(isKnownReading);
}

function medianOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : medianOf(values);
}

/** Current over reference median of a run condition; null when either side lacks it. */
export function conditionFactor(context: RuleContext, pick: (conditions: RunConditions) => number | null): number | null {
  const now = medianOrNull(conditionReadings(context.current, pick));
  const before = medianOrNull(conditionReadings(context.reference, pick));
  return now === null || before === null ? null : now / before;
}

/**
 * Runs that disagree about the speed: some read a slowdown past the warning threshold while
 * others sit inside the range of the speed they match. The same code then settles at several
 * speeds in different processes, and the runs cannot tell a slowdown from another of its
 * speeds. What says the code has several speeds: the reference found them, or unchanged runs
 * have themselves read past the warning threshold ({@link slowRunsSeen}), or a gap between
 * the current runs wider than two runs of one speed leave. Without any of these, runs on both
 * sides of the threshold are the ordinary spread of a real slowdown: of three runs of a 1.3x
 * slowdown of code that wanders ±6.5–10 % (one standard deviation) between processes, one or
 * more sits inside the range of unchanged runs in a fifth to three quarters of trials (by a
 * normal model of the wander), and
 * holding those back let it pass for a speed of the code. The gap alone is not
 * enough: a reference holding a few runs of a second speed, too few to separate, is wide
 * enough to hide any gap, and that second speed was then flagged again and again
 * (bench/results-verdicts-trials.md). Runs held back here that mostly slowed are judged on the
 * slowed ones ({@link findSlowedMajority}).
 */
const bimodalRule: DecisionRule = (context) => {
  if (!context.scale.isLog || context.current.length < 2) return undefined;
  const { deltas } = context.comparison;
  const slower = deltas.filter((delta) => delta >= Math.log(context.thresholds.warning)).length;
  const matching = deltas.filter((_delta, i) => isWithinSpeed(context, i)).length;
  if (slower === 0 || matching === 0) return undefined;
  const spread = Math.max(context.ref.spread.standardDeviation, context.scale.spreadFloor);
  const seen = slowRunsSeen(context);
  const apart = widestGap(deltas) >= MEMBERSHIP_Z * Math.SQRT2 * spread;
  if (context.ref.groups.length < 2 && !seen && !apart) return undefined;
  const speeds =
    context.ref.groups.length > 1
      ? `this code settles at ${context.ref.groups.length} speeds`
      : seen
        ? 'runs of unchanged code have read this slow too'
        : 'the same code ran at clearly different speeds in different processes';
  return withheld(
    context,
    'bimodal',
    `${slower} of ${context.current.length} runs read ≥ ${context.thresholds.warning}x against the speed they match while ${matching} match it: ${speeds}, so the runs cannot tell a slowdown from another of its speeds`,
  );
};

/**
 * Whether unchanged code has itself run past the warning threshold: at least as many
 * reference runs as make a speed of their own ({@link minGroupSize}) read ≥ the warning
 * factor against the reference's centre. A second speed that shows up too seldom to be
 * separated looks like this.
 */
function slowRunsSeen(context: RuleContext): boolean {
  const centre = context.ref.groups[0]?.x;
  if (centre === undefined) return false;
  const margin = Math.log(context.thresholds.warning);
  const slow = context.ref.runs.filter((run) => context.scale.toScale(run.value) - centre >= margin).length;
  return slow >= minGroupSize(context.ref.runs.length);
}

/** The widest gap between neighbouring values (0 for fewer than two). */
function widestGap(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let widest = 0;
  for (let i = 1; i < sorted.length; i++) widest = Math.max(widest, (sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
  return widest;
}

/**
 * The runs that slowed, when runs that disagree about the speed (held back by the bimodal rule)
 * mostly slowed: more than half of them read the warning threshold or more against the speed
 * they match, and every other one sits inside the range of its speed. Code that takes a faster
 * speed in some of its processes, too seldom to make a speed of its own, puts a slowed process
 * of that speed at the usual one: on a model of code with a sixth of its processes at 0.75x
 * (as the verdicts bench's Map and JSON workloads), holding back two runs at 1.3x beside one at
 * the usual speed left 1.3x flagged in 60 % of trials (bench/results-model.md). Whether they
 * prove a slowdown is {@link slowedChance}'s to say. Null when they did not mostly slow.
 */
export function findSlowedMajority(context: RuleContext): number[] | null {
  const margin = Math.log(context.thresholds.warning);
  const { deltas } = context.comparison;
  const slowed = deltas.flatMap((delta, i) => (delta >= margin ? [i] : []));
  const runs = context.current.length;
  if (slowed.length * 2 <= runs || slowed.length === runs) return null;
  return deltas.every((delta, i) => delta >= margin || isWithinSpeed(context, i)) ? slowed : null;
}

/**
 * The chance that runs of unchanged code put as many of `context`'s current runs as slow as
 * the slowed ones ({@link findSlowedMajority}) or more: for each count j from theirs to all of
 * them, the ways of picking j of the current runs, C(k, j), times the ranks' chance that j runs
 * all come out that slow ({@link asSlowChance}, each run against the speed it matches, the j
 * counted as the independent runs they are worth with their sitting's share `share`). A sum of
 * such terms bounds the chance from above. Two of three runs past every one of 30 reference
 * runs: 0.6 %.
 */
export function slowedChance(context: RuleContext, slowed: readonly number[], share: number): number {
  const slowest = Math.min(...slowed.map((i) => context.comparison.deltas[i] ?? Infinity));
  const reference = referenceDeltas(context.ref, context.scale);
  const asSlow = reference.filter((delta) => delta >= slowest).length;
  const runs = context.current.length;
  let chance = 0;
  for (let j = slowed.length; j <= runs; j++) chance += choose(runs, j) * asSlowChance(reference.length, asSlow, effectiveRuns(j, share));
  return chance;
}

/** Whether current run `i` sits inside the range of the speed it was matched to. */
function isWithinSpeed(context: RuleContext, i: number): boolean {
  const spread = Math.max(context.ref.spread.standardDeviation, context.scale.spreadFloor);
  const runs = Math.max(context.comparison.matched[i]?.runs ?? 1, 1);
  return Math.abs(context.comparison.deltas[i] ?? Infinity) <= MEMBERSHIP_Z * spread * Math.sqrt(1 + 1 / runs);
}

/**
 * The chance that `runs` runs of unchanged code all miss a speed it settles at in a share
 * `share` of its processes: (1 − share)^runs, each process taking its speed independently.
 */
function missedFastestChance(share: number, runs: number): number {
  return (1 - share) ** runs;
}

/**
 * Whether runs that missed the fastest speed say nothing by missing it: two or more, each
 * inside the range of a slower speed, and unchanged code would miss the fastest speed in as
 * many runs more often than 1 − confidence ({@link missedFastestChance}). A first run alone
 * cannot tell, so the screen still sends it to rounds, the fastest speed's chance to show up
 * (and with rounds off, or none started, it stays held back). Runs among the slower speeds
 * that read past the warning threshold are held back by the bimodal rule before this one.
 */
function isMissedFastestUnremarkable(context: RuleContext, fastestShare: number): boolean {
  const { current, comparison, ref } = context;
  if (current.length < 2) return false;
  const atSlowerSpeeds = comparison.matched.every((group, i) => group !== ref.groups[0] && isWithinSpeed(context, i));
  return atSlowerSpeeds && missedFastestChance(fastestShare, current.length) > 1 - context.confidence;
}

/**
 * Bimodal code whose fastest speed none of the current runs reached, and whose slowest speed's
 * range they did not clearly pass (no run past it, or runs past it by less than the warning
 * threshold on average against the speeds matched; the range is the pooled spread's): every
 * run sits among the code's speeds (at a slower one, or between them), which is what a
 * slowdown from the fastest speed would look like too. While the
 * fastest speed still shows up among the runs (the fresh-process rounds give it several
 * chances), the slower ones are the code's own; when it does not, nothing can be told. The
 * example suite's sort_10k_numbers, at 2.16 ms in 9 of 12 runs and 3.28 ms in 3, ran three
 * unchanged processes at 2.70 ms, and was called a warning while only runs matching a slower
 * speed were held back. Not held: runs whose missing the fastest speed is unremarkable
 * ({@link isMissedFastestUnremarkable}), judged against the speeds they match. A speed taken in
 * a fifth of the processes is missed by three runs half of the time: replayed on the example
 * suite's store, unchanged sittings of regex_validate_2k_emails (128 µs in 14–20 % of its
 * runs, 230 µs in the rest) were held back 9 times in 27, and on the verdicts bench's, 10 of 15
 * unchanged sittings of noisy regular expressions were. The price: a slowdown that moves every
 * run from the fastest speed onto a slower one passes, which happens share^runs of the time
 * (1 % for three runs of a fifth); slowdowns of the other speeds still show past their range.
 */
const slowerSpeedRule: DecisionRule = (context) => {
  const setAside = context.ref.setAside;
  if (setAside !== null && setAside.direction === 'faster' && context.scale.isLog) {
    // The founding runs were set aside as a bad moment; runs back at their speed may be the
    // code's other speed instead (bimodal code whose founding processes all took the slow one).
    const founding = context.scale.toScale(setAside.foundingValue);
    const margin = Math.log(context.thresholds.warning);
    if (context.current.every((run) => Math.abs(context.scale.toScale(run.value) - founding) < margin)) {
      return withheld(
        context,
        'bimodal',
        `the run(s) match the speed of the founding runs that were set aside (${formatMetric(context.metricType, setAside.foundingValue)}): the code may settle at that speed too, and so would a slowdown; re-record the baseline with UPDATE_PERFORMANCE_BASELINE=true if the founding was a bad moment`,
      );
    }
  }
  const { groups } = context.ref;
  const fastest = groups[0];
  const slowest = groups[groups.length - 1];
  if (!context.scale.isLog || groups.length < 2 || fastest === undefined || slowest === undefined) return undefined;
  const { matched, deltas } = context.comparison;
  const margin = Math.log(context.thresholds.warning);
  // Reached: matched to the fastest speed (beyond every slower one's range) and not slower than it past the warning threshold.
  if (matched.some((group, i) => group === fastest && (deltas[i] ?? Infinity) < margin)) return undefined;
  // Past the slowest speed's range, and slower than the speeds matched by the warning threshold: a slowdown the later rules judge.
  const slowestTop = speedRange(slowest, context.ref.spread, context.scale.spreadFloor).upper;
  if (context.current.some((run) => context.scale.toScale(run.value) > slowestTop) && context.comparison.meanDelta >= margin) return undefined;
  const total = groups.reduce((sum, group) => sum + group.runs, 0);
  if (isMissedFastestUnremarkable(context, fastest.runs / total)) return undefined;
  const share = Math.round((fastest.runs / total) * 100);
  return withheld(
    context,
    'bimodal',
    `none of the ${context.current.length} run(s) reached this code's fastest speed (${formatMetric(context.metricType, Math.exp(fastest.x))}, ${share} % of reference runs), and none ran past its slowest (${formatMetric(context.metricType, Math.exp(slowest.x))}): they sit among its speeds, and so would a slowdown from the fastest one`,
  );
};

/**
 * Evidence a speed-up needs to be called improved: the t test at 99 % or more, every current
 * run faster than every reference run with a chance of at most 1 % for runs of unchanged code
 * ({@link allFasterChance}), confirmed in fresh processes like a slowdown, and not explained
 * by a faster machine. Unchanged code has fast moments too: at 95 % over one run, the example
 * suite's unchanged reruns read "improved" 6 times in 90, and at 99 % still 4 times, where a
 * slow founding moment or a second speed of the code put slow runs in the reference that the
 * t test's spread did not cover. @default 0.99
 */
export const IMPROVEMENT_CONFIDENCE = 0.99;

/**
 * The chance that `current` runs all come out faster than every one of `reference` runs when
 * all are runs of the same code (exchangeable, so any order of the runs is as likely):
 * 1 / C(reference + current, current). It assumes nothing about how the runs spread, so a
 * reference with a slow founding moment or with two speeds cannot make unchanged code look
 * improved: its fast runs are in the reference too. Three current runs need seven reference
 * runs to reach 1 %; one run never does.
 */
export function allFasterChance(reference: number, current: number): number {
  // Faster than every reference run is, mirrored, as slow as none of them.
  return asSlowChance(reference, 0, current);
}

/** The fastest reference run's value, and whether every current run is faster than it. */
export function fasterThanEveryRun(current: readonly RunPoint[], reference: readonly RunPoint[]): { fastestReference: number; faster: boolean } {
  const fastestReference = Math.min(...reference.map((run) => run.value));
  return { fastestReference, faster: current.every((run) => run.value < fastestReference) };
}

/** Why a speed-up with t-test evidence is still not called improved, or null when it is. */
function notImproved(context: RuleContext, factor: number): string | null {
  const n = context.reference.length;
  const k = context.current.length;
  const { fastestReference, faster } = fasterThanEveryRun(context.current, context.reference);
  if (!faster) {
    return `${shown(factor)}: faster, but runs of unchanged code have been as fast (the fastest of ${n} reference runs: ${formatMetric(context.metricType, fastestReference)})`;
  }
  const chance = allFasterChance(n, context.comparison.effectiveRuns);
  if (chance > 1 - IMPROVEMENT_CONFIDENCE) {
    return `${shown(factor)}: faster than all ${n} reference run(s), but ${runsCounted(k, context.comparison.effectiveRuns, 'current')} and ${n} reference run(s) are too few to call it improved (runs of unchanged code would all be this fast ${percent(chance)} of the time)`;
  }
  const machine = fasterMachineOf(context);
  if (machine !== null && factor / machine > 1 / context.thresholds.warning) {
    return `${shown(factor)}: faster, but so was the machine itself (${machine.toFixed(2)}x, perfguard's reference loops)`;
  }
  return null;
}

/** Magnitude: below the warning threshold (or the absolute floor) is a pass, or improved with evidence. */
const magnitudeRule: DecisionRule = (context) => {
  const { warning, minimumDelta } = context.thresholds;
  const { regressionFactor: factor } = context.fields;
  if (factor >= warning && context.delta >= minimumDelta) return undefined;
  const slower = context.comparison.confidenceSlower;
  if (factor <= 1 / warning && -context.delta >= minimumDelta && slower !== null && 1 - slower >= Math.max(context.confidence, IMPROVEMENT_CONFIDENCE)) {
    const reason = notImproved(context, factor);
    if (reason !== null) return { ...context.fields, status: 'pass', reason };
    return { ...context.fields, status: 'improved', reason: `${shown(factor)}: faster than runs of unchanged code` };
  }
  const floor = factor >= warning ? ` (increase below the ${minimumDelta} floor)` : '';
  return { ...context.fields, status: 'pass', reason: `${shown(factor)}, within the ${warning}x warning threshold${floor}` };
};

/** History: without two runs of spread, unchanged code's wander between processes is unknown. */
const historyRule: DecisionRule = (context) => {
  if (context.comparison.confidenceSlower !== null) return undefined;
  return withheld(
    context,
    'history',
    `${shown(context.fields.regressionFactor)}, but ${context.ref.runs.length} reference run(s) and ${context.current.length} current run(s) cannot show how far unchanged code wanders between processes: confirm in fresh processes (rounds) or let history build up`,
  );
};

/** Each reference run's distance from the speed (group) it matches, on the comparison scale, in the reference's order. */
function referenceDeltas(ref: Reference, scale: MetricScale): number[] {
  return ref.runs.map((run) => {
    const x = scale.toScale(run.value);
    return x - matchGroup(x, ref.groups, ref.spread, scale.spreadFloor).x;
  });
}

/**
 * The chance that `current` runs of unchanged code all come out at least as slow as the
 * fastest of them when `asSlow` of `reference` runs already did (all runs exchangeable):
 * C(asSlow + current, current) / C(reference + current, current). A rank test that assumes
 * nothing about how the runs spread; {@link allFasterChance} is its mirror with `asSlow` 0.
 * `current` may be fractional: runs of one sitting worth fewer independent ones.
 */
export function asSlowChance(reference: number, asSlow: number, current: number): number {
  if (!Number.isInteger(current)) {
    // Runs of one sitting counted as fewer independent ones (effectiveRuns): the same ratio by Γ.
    return Math.exp(gammaln(asSlow + current + 1) - gammaln(asSlow + 1) + gammaln(reference + 1) - gammaln(reference + current + 1));
  }
  let chance = 1;
  for (let i = 1; i <= current; i++) chance *= (asSlow + i) / (reference + i);
  return chance;
}

/**
 * Most chance a slowdown may have of being runs of unchanged code by {@link asSlowChance}, when
 * reference runs were as slow as the current runs. @default 0.01
 */
export const AS_SLOW_CHANCE = 0.01;

/**
 * Fewest reference runs against which three runs (the default rounds) can prove a slowdown by
 * ranks alone: seven, since 1 / C(7 + 3, 3) is 0.8 %. Against fewer, a baseline is young: its
 * runs were mostly taken in one sitting and have not shown every speed the code settles at.
 * @default 7
 */
export const YOUNG_REFERENCE_RUNS = 7;
/** Most runs a verdict is planned to rest on so that a young baseline can prove a slowdown by ranks. @default 7 */
export const MAX_RUNS_TO_PROVE = 7;

/**
 * Runs a flagged verdict should rest on: `rounds`, or while the baseline is young
 * ({@link YOUNG_REFERENCE_RUNS}) as many as ranks need to prove a slowdown against its
 * `referenceRuns` runs (every run slower than all of them, {@link allFasterChance}'s mirror, at
 * most {@link AS_SLOW_CHANCE}), up to {@link MAX_RUNS_TO_PROVE}: seven against three founding
 * runs, five against four, four against five or six; against one or two, which no seven runs
 * can prove a slowdown against, `rounds`.
 */
export function runsToProve(referenceRuns: number, rounds: number): number {
  if (referenceRuns >= YOUNG_REFERENCE_RUNS) return rounds;
  let runs = rounds;
  while (runs < MAX_RUNS_TO_PROVE && asSlowChance(referenceRuns, 0, runs) > AS_SLOW_CHANCE) runs++;
  // Against one or two runs not even that many can: spend no more than the rounds.
  return asSlowChance(referenceRuns, 0, runs) <= AS_SLOW_CHANCE ? runs : rounds;
}

/**
 * Evidence: the current runs must lie outside what runs of unchanged code do. By Student's t
 * on log centres at `confidence`; and, when some reference runs were as slow as the fastest
 * current run, or the baseline is young ({@link YOUNG_REFERENCE_RUNS}), by ranks too
 * ({@link asSlowChance} at most {@link AS_SLOW_CHANCE}). A young baseline's few runs, taken back
 * to back, can miss a speed the code settles at in some processes: the example suite failed
 * unchanged reruns on order_totals_1k at 1.68x against 4 reference runs (1 / C(7, 3) = 2.9 %)
 * and on sort_10k_strings at 1.43x against 6 (1 / C(9, 3) = 1.2 %), each three runs slower
 * than all of them, which a t test on a tight spread called certain. Code that
 * visits a slow speed in some processes, too seldom or too unevenly to be separated, leaves a
 * few slow runs in the reference and a robust spread that ignores them: the t test then calls
 * runs of that speed certain (the example suite's order_totals_1k, 6 of 13 unchanged runs at
 * 11.6–15.4 µs against a centre of 10.1 µs, read 1.40x "at confidence 100 %" for three runs at
 * 13.4–15.2 µs). Ranks see that unchanged runs were that slow.
 */
const evidenceRule: DecisionRule = (context) => {
  const slower = context.comparison.confidenceSlower ?? 0;
  if (slower < context.confidence) {
    return withheld(
      context,
      'evidence',
      `${shown(context.fields.regressionFactor)}, but within what runs of unchanged code do (confidence ${percent(slower)} < ${percent(context.confidence)} over ${context.ref.runs.length} reference and ${runsCounted(context.current.length, context.comparison.effectiveRuns, 'current')})`,
    );
  }
  // Each run's distance from the speed it matches, so a run of a fast speed is ranked against its own speed's runs.
  const deltas = referenceDeltas(context.ref, context.scale);
  const fastestCurrent = Math.min(...context.comparison.deltas);
  const n = deltas.length;
  const asSlow = deltas.filter((delta) => delta >= fastestCurrent).length;
  // Screening a first run: could the runs after the rounds reach it, were they all as slow?
  const planned = Math.max(context.plannedRuns ?? 0, context.current.length);
  // The runs of one sitting share its moment: ranked as the independent runs they are worth.
  const runs = effectiveRuns(planned, context.comparison.sittingShare);
  if (isProvenByRanks(n, asSlow, runs, isHeldYoung(context.metricType, context.measuredBeside))) return undefined;
  const chance = asSlowChance(n, asSlow, runs);
  const counted = runsCounted(planned, runs);
  if (asSlow === 0) {
    return withheld(
      context,
      'history',
      `${shown(context.fields.regressionFactor)} and slower than all ${n} runs of unchanged code, but the baseline is young (fewer than ${YOUNG_REFERENCE_RUNS} runs, mostly taken in one sitting, may not have shown every speed the code settles at), and ${counted} of unchanged code would all be this slow ${percent(chance)} of the time (at most ${percent(AS_SLOW_CHANCE)}): more runs of this code (fresh-process rounds), more runs on main, or a baseline founded on more runs on main (UPDATE_PERFORMANCE_BASELINE=true perfguard test --rounds ${YOUNG_REFERENCE_RUNS}, which accepts the code measured as the baseline) settle it`,
    );
  }
  return withheld(
    context,
    'evidence',
    `${shown(context.fields.regressionFactor)}, but ${asSlow} of ${n} runs of unchanged code were as slow as the fastest of these ${context.current.length} (against the speed each matches): ${counted} of unchanged code would all be this slow ${percent(chance)} of the time (at most ${percent(AS_SLOW_CHANCE)} to call it a slowdown)`,
  );
};

/**
 * `runs` runs, and what they are worth as independent runs when their sitting's moment
 * counts them as fewer: "3 current runs", or "3 current runs of one sitting (worth 1.6, as …)".
 */
function runsCounted(runs: number, worth: number, kind = ''): string {
  const counted = `${runs} ${kind === '' ? '' : `${kind} `}runs`;
  return runs - worth < 0.05 ? counted : `${counted} of one sitting (worth ${worth.toFixed(1)}, as the sitting's moment moves them together)`;
}

/**
 * Whether a young baseline's runs hold this metric to ranks ({@link YOUNG_REFERENCE_RUNS}):
 * wall and CPU time, which a sitting's speed moves, unless the reference was measured beside
 * the current runs (`perfguard compare`).
 */
export function isHeldYoung(metricType: MetricType, measuredBeside: boolean | undefined): boolean {
  return isMachineTime(metricType) && measuredBeside !== true;
}

/**
 * The rank evidence of the evidence rule: `current` runs prove a slowdown when `asSlow` of
 * `reference` runs were as slow as the fastest of them and that comes by chance at most
 * {@link AS_SLOW_CHANCE} of the time, or when none was and the baseline is not held young.
 */
export function isProvenByRanks(reference: number, asSlow: number, current: number, heldYoung: boolean): boolean {
  if (asSlowChance(reference, asSlow, current) <= AS_SLOW_CHANCE) return true;
  // Slower than every run of unchanged code: enough against an established baseline, not a young one.
  return asSlow === 0 && (reference >= YOUNG_REFERENCE_RUNS || !heldYoung);
}

/** Whether a metric is a time spent on the machine's cores (wall time or CPU time per call), which the machine's own speed moves; instructions and memory it does not. */
export function isMachineTime(metricType: MetricType): boolean {
  return metricType === 'duration' || metricType === 'cpu';
}

/** How much faster the machine ran than for the reference runs (below 1/1.15), by the faster of its reference loops; else null. */
function fasterMachineOf(context: RuleContext): number | null {
  if (!isMachineTime(context.metricType)) return null;
  const factors = [conditionFactor(context, (conditions) => conditions.machineProbeNs), conditionFactor(context, (conditions) => conditions.memoryProbeNs)].flatMap((factor) => (factor === null ? [] : [factor]));
  const fastest = factors.length === 0 ? null : Math.min(...factors);
  return fastest !== null && fastest <= 1 / MACHINE_SLOWDOWN_GUARD ? fastest : null;
}

/**
 * The machine's own slowdown, by perfguard's reference loops timed in every run, explains it:
 * the part of the loop's slowdown this benchmark takes on (by how far its unchanged runs moved
 * with that loop) is at least {@link MACHINE_SLOWDOWN_GUARD} and leaves less than the warning
 * threshold.
 */
const machineRule: DecisionRule = (context) => {
  const machine = context.fields.machineFactor;
  if (machine === null) return undefined;
  const explains = context.machineExplains ?? { factor: machine, sensitivity: 1 };
  if (explains.factor < MACHINE_SLOWDOWN_GUARD) return undefined;
  const left = context.fields.regressionFactor / explains.factor;
  if (left >= context.thresholds.warning) return undefined;
  const part = explains.sensitivity < 1 ? `, of which this benchmark's unchanged runs took on ${shown(explains.factor)}` : '';
  return withheld(
    context,
    'machine',
    `${shown(context.fields.regressionFactor)}, but the machine itself ran ${machine.toFixed(2)}x slower than for the reference runs (perfguard's core or cache reference loop${part}; ${left.toFixed(2)}x after allowing for it): rerun when the machine is quieter`,
  );
};

/**
 * The scheduler took the CPU away (preemptions) while CPU time per call held. Code that now
 * waits switches voluntarily, not by preemption, so it is not excused. The reference's
 * preemption is read from its runs that were not crowded: a crowded run counts at the time its
 * CPU time accounts for, as if it had kept its core.
 */
const contentionRule: DecisionRule = (context) => {
  if (context.metricType !== 'duration') return undefined;
  const now = medianOrNull(conditionReadings(context.current, (conditions) => conditions.preemptedShare));
  const calm = context.reference.filter((run) => run.isCrowded !== true);
  const before = medianOrNull(conditionReadings(calm, (conditions) => conditions.preemptedShare)) ?? 0;
  const cpuTime = conditionFactor(context, (conditions) => conditions.cpuTimePerCall);
  if (now === null || cpuTime === null) return undefined;
  if (now < PREEMPTED_SHARE_GUARD || now < before + 0.1 || cpuTime >= context.thresholds.warning) return undefined;
  return withheld(
    context,
    'contention',
    `${shown(context.fields.regressionFactor)} in wall time, but other processes preempted this one in ${(now * 100).toFixed(0)} % of samples and CPU time per call changed only ${cpuTime.toFixed(2)}x`,
  );
};

/** Past every rule: a regression, critical from the critical threshold on. */
const regressionRule: DecisionRule = (context) => {
  const { warning, critical } = context.thresholds;
  const status = context.fields.regressionFactor >= critical ? 'critical' : 'warning';
  const confidence = context.comparison.confidenceSlower ?? 0;
  return {
    ...context.fields,
    status,
    confidence,
    reason: `${shown(context.fields.regressionFactor)} ≥ ${status} threshold ${status === 'critical' ? critical : warning}x at confidence ${percent(confidence)} over ${context.ref.runs.length} reference and ${context.current.length} current runs`,
  };
};

/**
 * The decision, in order; the first rule that decides wins. The order matters:
 * 1. bimodal: runs that disagree about which speed they slowed from decide nothing, and
 *    (slower-speed) neither do runs of bimodal code that never reach its fastest speed and
 *    sit among its speeds; runs held back here that mostly slowed ({@link findSlowedMajority})
 *    are judged again on the slowed ones, by all of these rules (`judgeSlowed` in
 *    `judge-runs.ts`);
 * 2. magnitude: a factor below the warning threshold passes (or improved, with evidence), so
 *    the later rules only ever hold back alarms, never raise them;
 * 3. history: no spread between runs known yet;
 * 4. evidence: inside the range of unchanged runs;
 * 5. machine and 6. contention: something other than the code explains it;
 * 7. regression.
 */
export const DECISION_RULES: readonly { name: string; decide: DecisionRule }[] = [
  { name: 'bimodal', decide: bimodalRule },
  { name: 'slower-speed', decide: slowerSpeedRule },
  { name: 'magnitude', decide: magnitudeRule },
  { name: 'history', decide: historyRule },
  { name: 'evidence', decide: evidenceRule },
  { name: 'machine', decide: machineRule },
  { name: 'contention', decide: contentionRule },
  { name: 'regression', decide: regressionRule },
];

/** The first decision of {@link DECISION_RULES}. */
export function decide(context: RuleContext): MetricVerdict {
  for (const rule of DECISION_RULES) {
    const verdict = rule.decide(context);
    if (verdict !== undefined) return verdict;
  }
  throw new Error('unreachable: the regression rule always decides');
}
