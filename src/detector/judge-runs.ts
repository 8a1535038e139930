import { medianOf } from '../stats';
import { factorOf, type MetricScale, scaleOf } from './metric-scale';
import { buildReference, type Reference } from './reference';
import { compareRuns, detectableFactor, MEMBERSHIP_Z, type RunComparison, SCREEN_CONFIDENCE } from './run-comparison';
import { SPREAD_FLOOR } from './run-groups';
import type { ConditionedRun, RunConditions } from './run-point';
import type { MetricThresholds, MetricType } from './thresholds';
import type { JudgedFields, MetricVerdict, RuleName } from './verdict';

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
}

/** A verdict with what it rests on. */
export interface RunJudgement {
  verdict: MetricVerdict;
  /** The reference used; undefined without one. */
  reference: Reference | undefined;
  comparison: RunComparison | undefined;
  /** The smallest slowdown the rule proves 9 times in 10 with this spread between runs; null when unknown. */
  detectableFactor: number | null;
}

/**
 * A machine this much slower than for the reference runs (by the integer reference loop)
 * can explain a slowdown by itself. @default 1.15
 */
export const MACHINE_SLOWDOWN_GUARD = 1.15;
/** Preempted in at least this share of samples, and clearly more than the reference runs. @default 0.2 */
export const PREEMPTED_SHARE_GUARD = 0.2;

/** Everything the rules read. */
interface RuleContext extends JudgeRunsInput {
  reference: readonly ConditionedRun[];
  scale: MetricScale;
  ref: Reference;
  comparison: RunComparison;
  fields: JudgedFields;
  /** currentValue − baselineValue, in the metric's unit (for the absolute floor). */
  delta: number;
}

/** A rule decides the verdict, or passes (undefined) to the next rule. */
type DecisionRule = (context: RuleContext) => MetricVerdict | undefined;

function shown(factor: number): string {
  return Number.isFinite(factor) ? `${factor.toFixed(2)}x` : '∞x';
}

function percent(p: number): string {
  return `${(p * 100).toFixed(p > 0.999 || p < 0.001 ? 2 : 1)} %`;
}

function withheld(context: RuleContext, withheldBy: RuleName, reason: string): MetricVerdict {
  return { ...context.fields, status: 'inconclusive', withheldBy, reason };
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value) && value > 0);
  return known.length === 0 ? null : medianOf(known);
}

function conditionFactor(context: RuleContext, pick: (conditions: RunConditions) => number | null): number | null {
  const now = medianOrNull(context.current.map((run) => pick(run.conditions)));
  const before = medianOrNull(context.reference.map((run) => pick(run.conditions)));
  return now === null || before === null ? null : now / before;
}

/**
 * Runs that disagree about the speed: some read a slowdown past the warning threshold while
 * others sit inside the range of the speed they match. The same code then settles at several
 * speeds in different processes (known from the reference, or seen among these runs
 * themselves), and the runs cannot tell a slowdown from another of its speeds. A real slowdown
 * moves every run.
 */
const bimodalRule: DecisionRule = (context) => {
  if (!context.scale.isLog || context.current.length < 2) return undefined;
  const margin = Math.log(context.thresholds.warning);
  const { deltas, matched } = context.comparison;
  const spread = Math.max(context.ref.spread.standardDeviation, SPREAD_FLOOR);
  const slower = deltas.filter((delta) => delta >= margin).length;
  const matching = deltas.filter((delta, i) => Math.abs(delta) <= MEMBERSHIP_Z * spread * Math.sqrt(1 + 1 / Math.max(matched[i]?.runs ?? 1, 1))).length;
  if (slower === 0 || matching === 0) return undefined;
  const speeds = context.ref.groups.length > 1 ? `this code settles at ${context.ref.groups.length} speeds` : 'the same code ran at clearly different speeds in different processes';
  return withheld(
    context,
    'bimodal',
    `${slower} of ${context.current.length} runs read ≥ ${context.thresholds.warning}x against the speed they match while ${matching} match it: ${speeds}, so the runs cannot tell a slowdown from another of its speeds`,
  );
};

/** Magnitude: below the warning threshold (or the absolute floor) is a pass, or improved with evidence. */
const magnitudeRule: DecisionRule = (context) => {
  const { warning, minimumDelta } = context.thresholds;
  const { regressionFactor: factor } = context.fields;
  if (factor >= warning && context.delta >= minimumDelta) return undefined;
  const slower = context.comparison.confidenceSlower;
  if (factor <= 1 / warning && -context.delta >= minimumDelta && slower !== null && 1 - slower >= context.confidence) {
    return { ...context.fields, status: 'improved', reason: `${shown(factor)}: faster than runs of the unchanged code` };
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

/** Evidence: the current runs must lie outside what runs of unchanged code do. */
const evidenceRule: DecisionRule = (context) => {
  const slower = context.comparison.confidenceSlower ?? 0;
  if (slower >= context.confidence) return undefined;
  return withheld(
    context,
    'evidence',
    `${shown(context.fields.regressionFactor)}, but within what runs of unchanged code do (confidence ${percent(slower)} < ${percent(context.confidence)} over ${context.ref.runs.length} reference and ${context.current.length} current runs)`,
  );
};

/** The machine's own slowdown, by the integer reference loop timed in every run, explains it. */
const machineRule: DecisionRule = (context) => {
  const machine = context.fields.machineFactor;
  if (machine === null || machine < MACHINE_SLOWDOWN_GUARD) return undefined;
  if (context.fields.regressionFactor / machine >= context.thresholds.warning) return undefined;
  return withheld(
    context,
    'machine',
    `${shown(context.fields.regressionFactor)}, but the machine itself ran ${machine.toFixed(2)}x slower than for the reference runs (${(context.fields.regressionFactor / machine).toFixed(2)}x after allowing for it)`,
  );
};

/**
 * The scheduler took the CPU away (preemptions) while CPU time per call held. Code that now
 * waits switches voluntarily, not by preemption, so it is not excused.
 */
const contentionRule: DecisionRule = (context) => {
  if (context.metricType !== 'duration') return undefined;
  const now = medianOrNull(context.current.map((run) => run.conditions.preemptedShare));
  const before = medianOrNull(context.reference.map((run) => run.conditions.preemptedShare)) ?? 0;
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
 * 1. bimodal: runs that disagree about which speed they slowed from decide nothing;
 * 2. magnitude: a factor below the warning threshold passes (or improved, with evidence), so
 *    the later rules only ever hold back alarms, never raise them;
 * 3. history: no spread between runs known yet;
 * 4. evidence: inside the range of unchanged runs;
 * 5. machine and 6. contention: something other than the code explains it;
 * 7. regression.
 */
export const DECISION_RULES: readonly { name: string; decide: DecisionRule }[] = [
  { name: 'bimodal', decide: bimodalRule },
  { name: 'magnitude', decide: magnitudeRule },
  { name: 'history', decide: historyRule },
  { name: 'evidence', decide: evidenceRule },
  { name: 'machine', decide: machineRule },
  { name: 'contention', decide: contentionRule },
  { name: 'regression', decide: regressionRule },
];

function decide(context: RuleContext): MetricVerdict {
  for (const rule of DECISION_RULES) {
    const verdict = rule.decide(context);
    if (verdict !== undefined) return verdict;
  }
  throw new Error('unreachable: the regression rule always decides');
}

function noBaseline(input: JudgeRunsInput): RunJudgement {
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
    detectableFactor: null,
  };
}

function centres(scale: MetricScale, comparison: RunComparison, current: readonly ConditionedRun[]): { baselineValue: number; currentValue: number; factor: number } {
  const baselineX = comparison.matched.reduce((sum, group) => sum + group.x, 0) / Math.max(comparison.matched.length, 1);
  const currentX = baselineX + comparison.meanDelta;
  const baselineValue = scale.fromScale(baselineX);
  const currentValue = scale.isLog ? scale.fromScale(currentX) : current.reduce((sum, run) => sum + run.value, 0) / Math.max(current.length, 1);
  return { baselineValue, currentValue, factor: scale.isLog ? Math.exp(comparison.meanDelta) : factorOf(currentValue, baselineValue) };
}

/**
 * Judges the current runs of one metric against runs of unchanged code: magnitude (the
 * factor reaches the threshold) and run-level evidence together, through
 * {@link DECISION_RULES}. Pure: the caller reads the runs from the store.
 */
export function judgeRuns(input: JudgeRunsInput): RunJudgement {
  const scale = scaleOf(input.metricType);
  const ref = buildReference(input.reference, scale, input.thresholds.warning);
  if (ref === undefined || input.current.length === 0) return noBaseline(input);
  const comparison = compareRuns(ref, input.current.map((run) => run.value), scale, input.confidence);
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
  if (input.metricType === 'duration') {
    context.fields.machineFactor = conditionFactor(context, (conditions) => conditions.machineProbeNs);
  }
  return {
    verdict: decide(context),
    reference: ref,
    comparison,
    detectableFactor: scale.isLog
      ? detectableFactor({ spread: ref.spread, referenceRuns: ref.runs.length, currentRuns: 1 + input.rounds, level: input.confidence })
      : null,
  };
}

/** The lower bar a first run must clear to be confirmed in fresh processes: halfway to the warning threshold. */
export function screeningThresholds(thresholds: MetricThresholds): MetricThresholds {
  return { ...thresholds, warning: 1 + (thresholds.warning - 1) / 2 };
}

/**
 * Whether a first run deserves fresh-process rounds: it would be flagged against a lower bar
 * (half the warning threshold's slowdown, evidence at 0.8), or it is slower than that bar with
 * too little history to judge. Costs nothing when it says no.
 */
export function shouldConfirm(input: JudgeRunsInput): boolean {
  if (input.reference.length === 0) return false;
  const judged = judgeRuns({ ...input, thresholds: screeningThresholds(input.thresholds), confidence: Math.min(SCREEN_CONFIDENCE, input.confidence), rounds: 0 });
  const { verdict } = judged;
  return verdict.status === 'warning' || verdict.status === 'critical' || (verdict.status === 'inconclusive' && verdict.withheldBy === 'history');
}
