import { median } from 'simple-statistics';
import { bootstrapRatioInterval, type Interval, mannWhitneyGreater } from '../stats';
import { type Contention, isExplainedByContention } from './contention';
import type { MetricThresholds, MetricType } from './thresholds';

/** The verdict on one metric. */
export type VerdictStatus = 'pass' | 'improved' | 'warning' | 'critical' | 'inconclusive' | 'no-baseline';

/** How one metric compares with its baseline. Values are in the report's units (s, MB, %). */
export interface MetricVerdict {
  metricType: MetricType;
  status: VerdictStatus;
  /** Baseline centre (median), or null without a baseline. */
  baselineValue: number | null;
  /** Current centre (median). */
  currentValue: number;
  /** current / baseline; null without a baseline, Infinity when the baseline centre is 0. */
  regressionFactor: number | null;
  /** Bootstrap confidence interval of the factor, when it is defined. */
  factorInterval: Interval | null;
  /** Probability that the current samples are larger than the baseline's (1 − one-sided p). */
  confidence: number | null;
  /**
   * How much slower the machine itself ran than when the baseline was measured (ratio of
   * reference-loop times), for duration; null when unknown.
   */
  machineFactor: number | null;
  /** One sentence saying why. */
  reason: string;
}

/**
 * A machine this much slower than at baseline time (by the reference loop) can explain a
 * slowdown by itself. @default 1.15
 */
export const MACHINE_SLOWDOWN_GUARD = 1.15;

/** What {@link judgeMetric} needs besides the samples. */
export interface JudgeMetricOptions {
  thresholds: MetricThresholds;
  /** Evidence level a slowdown must reach, 0 to 1. */
  confidence: number;
  /** Bootstrap resamples for the factor's interval. @default 1000 */
  resamples?: number;
  /** Current machine speed over baseline machine speed (reference loop), if known. */
  machineFactor?: number | undefined;
  /** Preemption and CPU-time comparison of the two measurements, if known. */
  contention?: Contention | undefined;
  /**
   * Centres (medians) of recent accepted runs of the same code since the baseline, in the
   * metric's unit: how far unchanged code has wandered from run to run.
   */
  recentRunCentres?: number[] | undefined;
}

/** The slowest recent run that is not a lone outlier: the largest centre of up to 4, else the second largest. */
export function runEnvelope(centres: readonly number[]): number | undefined {
  if (centres.length < 2) return undefined;
  const sorted = [...centres].sort((a, b) => b - a);
  return centres.length < 5 ? sorted[0] : sorted[1];
}

function ratio(current: number, baseline: number): number {
  if (baseline > 0) return current / baseline;
  return current > 0 ? Infinity : 1;
}

function percent(p: number): string {
  return `${(p * 100).toFixed(p > 0.999 || p < 0.001 ? 2 : 1)} %`;
}

/**
 * Judges one metric by magnitude and evidence together.
 *
 * Centre: the median. Timing noise is right-skewed (GC pauses, preemption, cache misses add
 * time, nothing removes it), so a few slow samples move the mean but barely the median.
 * Magnitude: median(current) / median(baseline) reaches the threshold, and the increase
 * reaches the metric's absolute floor. Evidence: a one-sided Mann–Whitney U test that the
 * current samples are stochastically larger, at `confidence`. It is rank-based, so it makes
 * no normality assumption that skewed timings would break. Big factor, weak evidence:
 * `inconclusive`, shown but never failing.
 */
export function judgeMetric(
  metricType: MetricType,
  baseline: readonly number[],
  current: readonly number[],
  options: JudgeMetricOptions,
): MetricVerdict {
  const { warning, critical, minimumDelta } = options.thresholds;
  const baselineValue = median(baseline);
  const currentValue = median(current);
  const factor = ratio(currentValue, baselineValue);
  const delta = currentValue - baselineValue;
  const slower = mannWhitneyGreater(baseline, current);
  const confidence = 1 - slower.pValue;
  const alpha = 1 - options.confidence;
  const factorInterval =
    baselineValue > 0
      ? bootstrapRatioInterval(baseline, current, { level: options.confidence, resamples: options.resamples ?? 1000 })
      : null;
  const machineFactor = options.machineFactor ?? null;
  const verdict = { metricType, baselineValue, currentValue, regressionFactor: factor, factorInterval, confidence, machineFactor };
  const shown = `${factor.toFixed(2)}x`;
  if (factor >= warning && delta >= minimumDelta) {
    if (slower.pValue > alpha) {
      return { ...verdict, status: 'inconclusive', reason: `${shown} but the evidence is weak (confidence ${percent(confidence)} < ${percent(options.confidence)})` };
    }
    // Never raises an alarm, only withholds one: the machine's own slowdown, measured by a
    // reference loop during both runs, accounts for this slowdown.
    if (machineFactor !== null && machineFactor >= MACHINE_SLOWDOWN_GUARD && factor / machineFactor < warning) {
      return {
        ...verdict,
        status: 'inconclusive',
        reason: `${shown}, but the machine itself ran ${machineFactor.toFixed(2)}x slower than for the baseline (${(factor / machineFactor).toFixed(2)}x after allowing for it)`,
      };
    }
    // Between processes the same code can settle at different speeds (JIT decisions, the
    // allocator's state, a framework's global proxy): a slowdown no bigger than recent runs
    // of the unchanged code already showed is not evidence against the code.
    const envelope = runEnvelope(options.recentRunCentres ?? []);
    if (envelope !== undefined && currentValue < warning * envelope) {
      return {
        ...verdict,
        status: 'inconclusive',
        reason: `${shown}, but within ${warning}x of the slower recent runs of unchanged code (${options.recentRunCentres?.length ?? 0} runs since the baseline)`,
      };
    }
    const { contention } = options;
    if (contention !== undefined && isExplainedByContention(contention, warning)) {
      return {
        ...verdict,
        status: 'inconclusive',
        reason: `${shown} in wall time, but other processes preempted this one in ${(contention.preemptedShare * 100).toFixed(0)} % of samples and CPU time per call changed only ${contention.cpuTimeFactor.toFixed(2)}x`,
      };
    }
    const status = factor >= critical ? 'critical' : 'warning';
    return { ...verdict, status, reason: `${shown} ≥ ${status} threshold ${status === 'critical' ? critical : warning}x at confidence ${percent(confidence)}` };
  }
  if (factor <= 1 / warning && -delta >= minimumDelta && mannWhitneyGreater(current, baseline).pValue <= alpha) {
    return { ...verdict, status: 'improved', reason: `${shown}: faster than the baseline` };
  }
  const floorNote = factor >= warning ? ` (increase below the ${minimumDelta} floor)` : '';
  return { ...verdict, status: 'pass', reason: `${shown}, within the ${warning}x warning threshold${floorNote}` };
}

/** The verdict for a metric that has nothing to compare with. */
export function noBaselineVerdict(metricType: MetricType, current: readonly number[]): MetricVerdict {
  return {
    metricType,
    status: 'no-baseline',
    baselineValue: null,
    currentValue: median(current),
    regressionFactor: null,
    factorInterval: null,
    confidence: null,
    machineFactor: null,
    reason: 'no baseline to compare with',
  };
}
