import { quantileSorted } from 'simple-statistics';
import { formatMetric } from '../_format';
import { type GroupSpread, medianOf, slopeUpperBound } from '../stats';
import {
  allFasterChance,
  AS_SLOW_CHANCE,
  conditionFactor,
  conditionReadings,
  decide,
  fasterThanEveryRun,
  findSlowedMajority,
  IMPROVEMENT_CONFIDENCE,
  isHeldYoung,
  isKnownReading,
  isMachineTime,
  isProvenByRanks,
  MACHINE_SLOWDOWN_GUARD,
  percent,
  type RuleContext,
  runsToProve,
  shown,
  slowedChance,
} from './decision-rules';
import { checkDetectableFactor, type ReplayedRule } from './detectable-replay';
import { factorOf, type MetricScale, scaleOf } from './metric-scale';
import { buildReference, type Reference } from './reference';
import { compareRuns, DETECTION_POWER, detectableFactor, matchGroup, type RunComparison, SCREEN_CONFIDENCE } from './run-comparison';
import type { ConditionedRun, RunConditions } from './run-point';
import { effectiveRuns, type SittingSpread, sittingSpreadOf } from './sittings';
import { isSpeedMetric, type MetricThresholds, type MetricType } from './thresholds';
import { isRegressionVerdict, type MetricVerdict } from './verdict';

/** What a run-level judgement needs. */
export interface JudgeRunsInput {
  metricType: MetricType;
  /** Runs of unchanged code since the baseline was founded (the founding runs among them). */
  reference: readonly ConditionedRun[];
  /** Runs of the current code: the measuring process, then any fresh-process rounds. */
  current: readonly ConditionedRun[];
  thresholds: MetricThresholds;
  /** Evidence level a slowdown needs, 0.5 to 1. */
  confidence: number;
  /** Fresh-process rounds a flagged first run gets (for the detectable factor). */
  rounds: number;
  /** Spread between the counted rounds inside the current process (instruction counts), pooled with the runs'. */
  withinRunSpread?: GroupSpread | undefined;
  /** Runs the verdict will rest on once confirmed in fresh processes, when screening a first run; else the current runs. */
  plannedRuns?: number | undefined;
  /** The reference was measured beside the current runs (`perfguard compare`), not over time: a young one is not held to ranks. */
  measuredBeside?: boolean | undefined;
  /**
   * Check the detectable factor by replaying the rule on the reference's own sittings
   * ({@link checkDetectableFactor}), as the report's primary metric does. @default false
   */
  isDetectableChecked?: boolean | undefined;
}

/** A verdict with what it rests on. */
export interface RunJudgement {
  verdict: MetricVerdict;
  /** The reference used; undefined without one. */
  reference: Reference | undefined;
  comparison: RunComparison | undefined;
  /**
   * The smallest slowdown the rule proves 9 times in 10 with this spread between runs, checked
   * by replaying the rule on the reference's sittings when asked ({@link checkDetectableFactor});
   * null when unknown.
   */
  detectableFactor: number | null;
}

/** A verdict with what it rests on, before the detectable factor is worked out. */
interface Verdicted extends Omit<RunJudgement, 'detectableFactor'> {
  sittings: SittingSpread | undefined;
}

function noBaseline(input: JudgeRunsInput): Verdicted {
  const values = input.current.map((run) => run.value);
  return {
    verdict: {
      metricType: input.metricType,
      status: 'no-baseline',
      baselineValue: null,
      currentValue: values.length === 0 ? 0 : medianOf(values),
      regressionFactor: null,
      factorInterval: null,
      confidence: null,
      machineFactor: null,
      reason: 'no baseline to compare with',
    },
    reference: undefined,
    comparison: undefined,
    sittings: undefined,
  };
}

function centres(scale: MetricScale, comparison: RunComparison, current: readonly ConditionedRun[]): { baselineValue: number; currentValue: number; factor: number } {
  const baselineX = comparison.matched.reduce((sum, group) => sum + group.x, 0) / Math.max(comparison.matched.length, 1);
  const currentX = baselineX + comparison.meanDelta;
  const baselineValue = scale.fromScale(baselineX);
  const currentValue = scale.isLog ? scale.fromScale(currentX) : current.reduce((sum, run) => sum + run.value, 0) / Math.max(current.length, 1);
  return { baselineValue, currentValue, factor: scale.isLog ? Math.exp(comparison.meanDelta) : factorOf(currentValue, baselineValue) };
}

/** Share of reference runs whose reference-loop reading a slower machine must exceed. @default 0.9 */
export const LOOP_STANDS_OUT_QUANTILE = 0.9;
/** Fewest reference runs whose reference-loop readings show its wander; below, a reading stands. @default 5 */
const LOOP_WANDER_MIN_RUNS = 5;
/** One-sided level of the upper bound on how much of a reference loop's slowdown a benchmark takes on. @default 0.95 */
export const SENSITIVITY_LEVEL = 0.95;
/**
 * Fewest reference runs whose loop reading stood {@link MACHINE_SLOWDOWN_GUARD} or more above
 * the loop's median before the runs can tell how far the benchmark moves with it. @default 2
 */
export const SENSITIVITY_MIN_MOVED_RUNS = 2;

/** A reference loop's slowdown and how much of it the benchmark takes on. */
interface LoopSlowdown {
  /** Current over reference median reading. */
  factor: number;
  /** Whether the current reading is above {@link LOOP_STANDS_OUT_QUANTILE} of the reference runs' readings. */
  standsOut: boolean;
  /** How far the benchmark moves with the loop, 0 to 1 ({@link sensitivityTo}). */
  sensitivity: number;
  /** The slowdown the loop explains for this benchmark: factor ^ sensitivity. */
  explains: number;
}

/**
 * How far this benchmark's unchanged runs moved with a reference loop: the slope of their log
 * values on the loop's log readings in the same runs, at
 * its upper bound (one-sided {@link SENSITIVITY_LEVEL}), clamped to 0–1. 1, all of the loop's
 * slowdown, when the runs cannot tell: too few of them, or a loop that barely wandered. A
 * neighbour that slows the loop slows code that does the same kind of work (slope near 1);
 * the cache loop also wanders with each process's memory layout, which arithmetic code does
 * not feel (slope near 0): on a quiet machine its readings went from 18 to 186 µs between
 * processes while a steady arithmetic loop moved ±0.2 %, and read as a slower machine they
 * excused 15 of 30 planted slowdowns of that loop (bench/results-verdicts.md at 5628fa9).
 * The runs tell only once the loop has moved ({@link SENSITIVITY_MIN_MOVED_RUNS}): the example
 * suite's sort_10k_strings had five runs at 2.7 ms, one of them with the cache loop 1.4x above
 * the others; the slope through that one run said 0, and when a neighbour then slowed the
 * cache loop 1.48x and the sort 1.38x for three processes in a row, it warned.
 */
function sensitivityTo(context: RuleContext, pick: (conditions: RunConditions) => number | null): number {
  if (!context.scale.isLog) return 1;
  // Each run's own value, not its distance from the speed it matches: runs slowed by a
  // neighbour can form a "speed" of their own, and the loop's readings tell which runs those were.
  const points = context.reference.flatMap((run): [number, number][] => {
    const reading = pick(run.conditions);
    return isKnownReading(reading) ? [[Math.log(reading), context.scale.toScale(run.value)]] : [];
  });
  if (points.length < LOOP_WANDER_MIN_RUNS) return 1;
  // A slope learnt from one run where the loop moved rests on that run alone.
  const usual = medianOf(points.map(([x]) => x));
  if (points.filter(([x]) => x - usual >= Math.log(MACHINE_SLOWDOWN_GUARD)).length < SENSITIVITY_MIN_MOVED_RUNS) return 1;
  const upper = slopeUpperBound(points, SENSITIVITY_LEVEL, context.scale.spreadFloor);
  return upper === null ? 1 : Math.min(1, Math.max(0, upper));
}

/**
 * How much slower one reference loop ran than for the reference runs (current over reference
 * median), whether that stands out of the loop's own wander (the current runs' median reading
 * is above {@link LOOP_STANDS_OUT_QUANTILE} of the reference runs' readings), and how much of
 * it this benchmark takes on ({@link sensitivityTo}). The cache loop wanders with each
 * process's memory layout, in clusters: on this quiet 2-core machine, from one process to the
 * next of unchanged code, 17.7, 18.2, 18.6, 19.2, 25.9, 26.1 and 72.7 µs, so a reading 1.15x
 * above its median says nothing about the machine. With too few reference runs to know the
 * wander, the reading stands.
 */
function loopSlowdown(context: RuleContext, pick: (conditions: RunConditions) => number | null): LoopSlowdown | null {
  const factor = conditionFactor(context, pick);
  if (factor === null) return null;
  const sensitivity = sensitivityTo(context, pick);
  const explains = factor ** sensitivity;
  const before = conditionReadings(context.reference, pick).sort((a, b) => a - b);
  if (before.length < LOOP_WANDER_MIN_RUNS) return { factor, standsOut: true, sensitivity, explains };
  const standsOut = medianOf(conditionReadings(context.current, pick)) > quantileSorted(before, LOOP_STANDS_OUT_QUANTILE);
  return { factor, standsOut, sensitivity, explains };
}

/**
 * How much slower the machine ran than for the reference runs, by perfguard's two reference
 * loops, the core's and the caches': the loop that explains the most of this benchmark's time
 * among those whose slowdown stands out of their own wander ({@link loopSlowdown}); when
 * neither does, the one that explains the least. A neighbour on the other hyperthread of a
 * core, or one thrashing the shared caches, slows code that sorts, allocates or walks large
 * data (its CPU time per call grows too, so the contention rule cannot tell) and shows in the
 * cache loop while the core loop barely moves. Read without the wander, the cache loop excused
 * 13 of 30 planted slowdowns of a steady arithmetic loop on a quiet machine
 * (bench/results-verdicts-trials.md); a cache loop that drifts up for a whole session, past its
 * recorded wander, still did (15 of 30, bench/results-verdicts.md at 5628fa9) until a loop
 * explained only as much as the benchmark's unchanged runs had moved with it.
 */
function machineSlowdownOf(context: RuleContext): LoopSlowdown | null {
  const loops = [loopSlowdown(context, (conditions) => conditions.machineProbeNs), loopSlowdown(context, (conditions) => conditions.memoryProbeNs)].flatMap((loop) => (loop === null ? [] : [loop]));
  const standing = loops.filter((loop) => loop.standsOut);
  if (standing.length > 0) return standing.reduce((most, loop) => (loop.explains > most.explains ? loop : most));
  return loops.reduce<LoopSlowdown | null>((least, loop) => (least === null || loop.explains < least.explains ? loop : least), null);
}

/**
 * Judges the current runs of one metric against runs of unchanged code: magnitude (the
 * factor reaches the threshold) and run-level evidence together, through
 * {@link DECISION_RULES}, with the smallest slowdown the rule proves here. Pure: the caller
 * reads the runs from the store.
 */
export function judgeRuns(input: JudgeRunsInput): RunJudgement {
  const judged = judgeVerdict(input);
  const { reference, comparison } = judged;
  if (reference === undefined || comparison === undefined) return { verdict: judged.verdict, reference, comparison, detectableFactor: null };
  const scale = scaleOf(input.metricType);
  const promised = detectableOf(input, reference, scale, { share: comparison.sittingShare, referenceSittings: judged.sittings?.referenceSittings });
  const detectable =
    input.isDetectableChecked === true && scale.isLog
      ? checkDetectableFactor({ reference: reference.runs as ConditionedRun[], rounds: input.rounds, rule: replayedRule(input), promised, warning: input.thresholds.warning, power: DETECTION_POWER })
      : promised;
  return { verdict: judged.verdict, reference, comparison, detectableFactor: detectable };
}

/**
 * This input's rule, for replaying it on other runs: its screen for rounds and its verdict,
 * without the current process's own counted rounds (instructions mode), which are not theirs.
 */
function replayedRule(input: JudgeRunsInput): ReplayedRule {
  const rule = { ...input, withinRunSpread: undefined, isDetectableChecked: false };
  return {
    confirms: (reference, first) => shouldConfirm({ ...rule, reference, current: [first] }),
    flags: (reference, current) => isRegressionVerdict(judgeVerdict({ ...rule, reference, current }).verdict),
  };
}

/** The verdict of {@link judgeRuns} without the detectable factor. */
function judgeVerdict(input: JudgeRunsInput): Verdicted {
  const scale = scaleOf(input.metricType);
  const ref = buildReference(input.reference, scale, input.thresholds.warning);
  if (ref === undefined || input.current.length === 0) return noBaseline(input);
  const sittings = sittingSpreadOf(ref.runs, input.current, (run) => {
    const x = scale.toScale(run.value);
    return x - matchGroup(x, ref.groups, ref.spread, scale.spreadFloor).x;
  });
  const comparison = compareRuns(ref, input.current.map((run) => run.value), scale, input.confidence, { withinRun: input.withinRunSpread, sittings });
  const { baselineValue, currentValue, factor } = centres(scale, comparison, input.current);
  const reference = ref.runs as ConditionedRun[];
  const context: RuleContext = {
    ...input,
    reference,
    scale,
    ref,
    comparison,
    delta: currentValue - baselineValue,
    fields: {
      metricType: input.metricType,
      baselineValue,
      currentValue,
      regressionFactor: factor,
      factorInterval:
        comparison.interval === null || !scale.isLog
          ? null
          : { lower: Math.exp(comparison.interval.lower), upper: Math.exp(comparison.interval.upper), level: comparison.interval.level },
      confidence: comparison.confidenceSlower,
      machineFactor: null,
      runs: { reference: ref.runs.length, current: input.current.length },
      reason: '',
    },
  };
  // Wall time and CPU time per call both run on the machine's cores and caches: a neighbour
  // that slows perfguard's reference loops slows both (the example suite's JSON runs read a
  // critical CPU time per call while their wall time was rightly excused by the machine).
  if (isMachineTime(input.metricType)) {
    const machine = machineSlowdownOf(context);
    context.fields.machineFactor = machine?.factor ?? null;
    context.machineExplains = machine === null ? null : { factor: machine.explains, sensitivity: machine.sensitivity };
  }
  const verdict = decide(context);
  // Runs the bimodal rule held back may have mostly slowed.
  const slowed = verdict.status === 'inconclusive' && verdict.withheldBy === 'bimodal' ? judgeSlowed(input, context) : undefined;
  return slowed ?? { verdict, reference: ref, comparison, sittings };
}

/**
 * Runs held back by the bimodal rule that mostly slowed ({@link findSlowedMajority}), judged on
 * the slowed ones by every rule: a regression when the slowed runs alone are one and unchanged
 * code would put at least that many runs that slow by chance at most {@link AS_SLOW_CHANCE} of
 * the time ({@link slowedChance}, with the sitting share the slowed runs leave: the run that
 * kept its speed would make their sitting look unshared). The other runs sat at a speed of
 * unchanged code, as a process that took a faster speed of the code and slowed as much would.
 * The factor is the median of all the runs' (each against the speed it matches), not the slowed
 * runs' mean, which picking them inflates; its severity follows it, and so does the metric's
 * absolute floor. The interval is the slowed runs' mean's, so none is given. Undefined
 * otherwise, and the runs stay held back.
 */
function judgeSlowed(input: JudgeRunsInput, context: RuleContext): Verdicted | undefined {
  const slowed = findSlowedMajority(context);
  if (slowed === null) return undefined;
  const current = input.current.filter((_run, i) => slowed.includes(i));
  // The current process's own counted rounds (instructions mode) belong to the first run.
  const judged = judgeVerdict({ ...input, current, withinRunSpread: slowed.includes(0) ? input.withinRunSpread : undefined });
  if (!isRegressionVerdict(judged.verdict) || judged.comparison === undefined) return undefined;
  const chance = slowedChance(context, slowed, judged.comparison.sittingShare);
  if (chance > AS_SLOW_CHANCE) return undefined;
  const { warning, critical, minimumDelta } = input.thresholds;
  const factor = Math.exp(medianOf(context.comparison.deltas));
  const currentValue = judged.verdict.baselineValue * factor;
  if (currentValue - judged.verdict.baselineValue < minimumDelta) return undefined;
  const status = factor >= critical ? 'critical' : 'warning';
  const kept = input.current.filter((_run, i) => !slowed.includes(i)).map((run) => formatMetric(input.metricType, run.value));
  const verdict: MetricVerdict = {
    ...judged.verdict,
    status,
    regressionFactor: factor,
    factorInterval: null,
    currentValue,
    runs: { reference: judged.verdict.runs.reference, current: input.current.length },
    reason: `${shown(factor)} (the median of ${input.current.length} runs) ≥ ${status} threshold ${status === 'critical' ? critical : warning}x: ${current.length} of the ${input.current.length} runs slowed, at confidence ${percent(judged.comparison.confidenceSlower ?? 0)} over ${judged.verdict.runs.reference} reference runs, and unchanged code puts at least that many runs that slow at most ${percent(chance)} of the time; the ${kept.length === 1 ? 'run' : 'runs'} at ${kept.join(' and ')} sat at a speed of unchanged code, as a process that took a faster speed of the code and slowed as much would`,
  };
  return { ...judged, verdict };
}

/**
 * The smallest slowdown this verdict's rule proves 9 times in 10 here: over the runs a flagged
 * verdict rests on (against a young baseline, as many as ranks need), as much as one sitting's
 * runs are worth, and by the evidence rule's t test and ranks both. Null on a linear scale.
 */
function detectableOf(input: JudgeRunsInput, ref: Reference, scale: MetricScale, sittings: { share: number; referenceSittings: number | undefined }): number | null {
  if (!scale.isLog) return null;
  const referenceRuns = ref.runs.length;
  const heldYoung = isHeldYoung(input.metricType, input.measuredBeside);
  const currentRuns = input.rounds >= 1 && heldYoung ? runsToProve(referenceRuns, 1 + input.rounds) : 1 + input.rounds;
  const worth = effectiveRuns(currentRuns, sittings.share);
  return detectableFactor({
    spread: ref.spread,
    referenceRuns,
    currentRuns,
    sittingShare: sittings.share,
    ...(sittings.referenceSittings === undefined ? {} : { referenceSittings: sittings.referenceSittings }),
    level: input.confidence,
    spreadFloor: scale.spreadFloor,
    isProvableAsSlow: (asSlow) => isProvenByRanks(referenceRuns, asSlow, worth, heldYoung),
  });
}

/** The lower bar a first run must clear to be confirmed in fresh processes: halfway to the warning threshold. */
export function screeningThresholds(thresholds: MetricThresholds): MetricThresholds {
  return { ...thresholds, warning: 1 + (thresholds.warning - 1) / 2 };
}

/**
 * Whether a first run deserves fresh-process rounds: it would be flagged against a lower bar
 * (half the warning threshold's slowdown, evidence at 0.8), or it is slower than that bar with
 * too little history to judge, or it missed the fastest speed of bimodal code, or it would be
 * called improved (a claim either way rests on fresh processes). Costs nothing when it says no.
 */
export function shouldConfirm(input: JudgeRunsInput): boolean {
  if (input.reference.length === 0) return false;
  const judged = judgeVerdict({ ...input, thresholds: screeningThresholds(input.thresholds), confidence: Math.min(SCREEN_CONFIDENCE, input.confidence), rounds: 0, plannedRuns: input.current.length + input.rounds });
  const { verdict } = judged;
  // Too little history to judge, or bimodal code whose first run missed its fastest speed:
  // more runs are the only way to tell.
  if (verdict.status === 'warning' || verdict.status === 'critical' || verdict.status === 'improved') return true;
  if (verdict.status === 'inconclusive') return verdict.withheldBy === 'history' || verdict.withheldBy === 'bimodal';
  return couldBecomeImproved(input, judged);
}

/**
 * A speed-up is called improved only over several runs all faster than every reference run
 * (allFasterChance), so a first run is confirmed when it could get there: the time or
 * instructions per call (what `improved` speaks of), past the screening bar and the metric's
 * floor, faster than every reference run, with enough reference runs for the runs after the
 * rounds to reach the chance an improvement needs.
 */
function couldBecomeImproved(input: JudgeRunsInput, judged: Verdicted): boolean {
  if (!isSpeedMetric(input.metricType)) return false;
  const { verdict, reference, comparison } = judged;
  if (reference === undefined || comparison === undefined || verdict.status === 'no-baseline') return false;
  const faster = 1 - (comparison.confidenceSlower ?? 1);
  return (
    verdict.regressionFactor <= 1 / screeningThresholds(input.thresholds).warning &&
    verdict.baselineValue - verdict.currentValue >= input.thresholds.minimumDelta &&
    faster >= SCREEN_CONFIDENCE &&
    fasterThanEveryRun(input.current, reference.runs).faster &&
    allFasterChance(reference.runs.length, input.current.length + input.rounds) <= 1 - IMPROVEMENT_CONFIDENCE
  );
}
