import type { Interval } from '../stats';
import { isSpeedMetric, type MetricType } from './thresholds';

/** The verdict on one metric. */
export type VerdictStatus = 'pass' | 'improved' | 'warning' | 'critical' | 'inconclusive' | 'no-baseline';

/** A regression's severity. */
export type Severity = 'warning' | 'critical';

/**
 * The rule that held an alarm back, named in an `inconclusive` verdict:
 * - `history`: too few runs to know how far unchanged code wanders between processes;
 * - `evidence`: big enough, but within what unchanged runs do;
 * - `machine`: perfguard's reference loop ran as much slower as the code did;
 * - `contention`: other processes took the CPU, while CPU time per call held;
 * - `bimodal`: the code settles at several speeds and the runs do not tell which.
 */
export type RuleName = 'history' | 'evidence' | 'machine' | 'contention' | 'bimodal';

/** How many runs (processes) a verdict rests on. */
export interface RunCounts {
  /** Runs of unchanged code the reference was drawn from. */
  reference: number;
  /** Runs of the current code: the measuring process and its fresh-process rounds. */
  current: number;
}

interface VerdictBase {
  metricType: MetricType;
  /** Current centre, in the metric's unit (s for duration and CPU time per call, MB for memory): the geometric mean of the current runs' centres (their mean for memory; the median run's, against the reference, for runs that mostly slowed and were judged on the slowed ones). */
  currentValue: number;
  /** One sentence saying why. */
  reason: string;
}

/** Fields of every verdict that had a reference to judge against. */
export interface JudgedFields extends VerdictBase {
  /** The reference the verdict used: the median of the reference runs' centres (of the matching speed, for bimodal code). */
  baselineValue: number;
  /** current / reference; Infinity when the reference is 0 and the current value is not. */
  regressionFactor: number;
  /** Confidence interval of the factor, from the spread between runs; null when it cannot be estimated. */
  factorInterval: Interval | null;
  /** Probability (0 to 1) that the current runs are slower than runs of unchanged code; null with too little history. */
  confidence: number | null;
  /** How much slower the machine ran than for the reference runs, current over reference, by the one of perfguard's core and cache reference loops the machine rule reads (of those that stand out of their own wander, the one that explains the most of this benchmark's time; when neither does, the least), wall and CPU time only, or null. */
  machineFactor: number | null;
  runs: RunCounts;
}

/** No reference yet. */
export interface NoBaselineVerdict extends VerdictBase {
  status: 'no-baseline';
  baselineValue: null;
  regressionFactor: null;
  factorInterval: null;
  confidence: null;
  machineFactor: null;
}

/** Within the thresholds, or faster with evidence. */
export interface PassVerdict extends JudgedFields {
  status: 'pass' | 'improved';
}

/** Slower beyond a threshold, with evidence. */
export interface RegressionVerdict extends JudgedFields {
  status: Severity;
  confidence: number;
}

/** Slower beyond a threshold, but a rule held the alarm back: shown, never failing. */
export interface InconclusiveVerdict extends JudgedFields {
  status: 'inconclusive';
  withheldBy: RuleName;
}

/** How one metric compares with its reference: a union told apart by `status`. */
export type MetricVerdict = NoBaselineVerdict | PassVerdict | RegressionVerdict | InconclusiveVerdict;

/** True for a verdict that is a warning or critical regression. */
export function isRegressionVerdict(verdict: MetricVerdict): verdict is RegressionVerdict {
  return verdict.status === 'warning' || verdict.status === 'critical';
}

/** The lowest severity that fails: 'warning', 'critical', or 'none' (nothing fails). */
export type FailOn = 'warning' | 'critical' | 'none';

/** Whether a regression of `severity` fails at `failOn`. */
export function isFailingSeverity(severity: Severity, failOn: FailOn): boolean {
  return failOn === 'warning' || (failOn === 'critical' && severity === 'critical');
}

/** A metric that is slower than its reference with enough evidence. */
export interface Regression {
  metricType: MetricType;
  /** The reference the verdict used, in the metric's unit (s for duration and CPU time per call, MB for memory): the median of the reference runs' centres. */
  baselineValue: number;
  /** Current centre in the metric's unit (over all the current runs). */
  currentValue: number;
  /** current / reference. */
  regressionFactor: number;
  severity: Severity;
  /** Probability (0 to 1) that the current runs are slower than runs of unchanged code. */
  confidence: number;
  /** Confidence interval of the factor, or null when it cannot be estimated. */
  factorInterval: Interval | null;
}

/** The regressions among verdicts: the warnings and criticals. */
export function regressionsOf(verdicts: readonly MetricVerdict[]): Regression[] {
  return verdicts.filter(isRegressionVerdict).map((verdict) => ({
    metricType: verdict.metricType,
    baselineValue: verdict.baselineValue,
    currentValue: verdict.currentValue,
    regressionFactor: verdict.regressionFactor,
    severity: verdict.status,
    confidence: verdict.confidence,
    factorInterval: verdict.factorInterval,
  }));
}

/**
 * Overall outcome of one benchmark. `regression` means at least one metric is a warning or
 * critical; `baseline-updated` means the measurement founded a new baseline epoch instead of
 * being judged (`UPDATE_PERFORMANCE_BASELINE=true`).
 */
export type ReportStatus = 'pass' | 'regression' | 'improved' | 'inconclusive' | 'no-baseline' | 'baseline-updated';

/**
 * Overall status of verdicts: any regression, else any inconclusive, else no-baseline,
 * improved or pass. Improved means faster: the time (or instructions) per call improved; less
 * memory or CPU time alone shows in its own verdict, not as an improved benchmark.
 */
export function reportStatusOf(verdicts: readonly MetricVerdict[]): ReportStatus {
  const statuses = new Set(verdicts.map((verdict) => verdict.status));
  if (statuses.has('critical') || statuses.has('warning')) return 'regression';
  if (statuses.has('inconclusive')) return 'inconclusive';
  if (verdicts.length > 0 && verdicts.every((verdict) => verdict.status === 'no-baseline')) return 'no-baseline';
  if (verdicts.some((verdict) => verdict.status === 'improved' && isSpeedMetric(verdict.metricType))) return 'improved';
  return 'pass';
}

/** How one benchmark came out, in one word: its worst regression's severity, else its status. */
export type Outcome = Exclude<ReportStatus, 'regression'> | Severity;

/** What {@link outcomeOf} and {@link isFailing} read of a report. */
export interface JudgedReport {
  status: ReportStatus;
  regressions: readonly Pick<Regression, 'severity'>[];
}

/** The one word for a report: 'critical' or 'warning' for a regression, else its status. */
export function outcomeOf(report: JudgedReport): Outcome {
  if (report.status !== 'regression') return report.status;
  return report.regressions.some((regression) => regression.severity === 'critical') ? 'critical' : 'warning';
}

/** Whether a report fails at `failOn`: a regression at or above that severity. */
export function isFailing(report: JudgedReport, failOn: FailOn): boolean {
  const outcome = outcomeOf(report);
  return (outcome === 'critical' || outcome === 'warning') && isFailingSeverity(outcome, failOn);
}
