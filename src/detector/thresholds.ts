import { assertKnownOptions, describeValue } from '../_options';
import { ConfigError } from '../errors';

/**
 * The metrics perfguard judges: `duration` (wall time per call), `memory` (heap growth per
 * call) and `cpu` (CPU time of all threads per call) in time mode; `instructions` (per call,
 * judged with the duration thresholds) in instructions mode.
 */
export type MetricType = 'duration' | 'memory' | 'cpu' | 'instructions';

/** Whether a metric is the benchmark's speed (time or instructions per call): what `improved` speaks of. */
export function isSpeedMetric(metricType: MetricType): boolean {
  return metricType === 'duration' || metricType === 'instructions';
}

/** The metrics with thresholds of their own. */
export type ThresholdMetric = Exclude<MetricType, 'instructions'>;

/** Slowdown factors at which a metric's regression becomes a warning or critical. */
export interface MetricThresholds {
  /** Factor (current / baseline) from which a regression is a warning; above 1, below `critical`. */
  warning: number;
  /** Factor from which a regression is critical. */
  critical: number;
  /**
   * Smallest absolute increase, in the metric's unit (MB for memory, seconds for duration and
   * for CPU time per call), that can count as a regression at all.
   */
  minimumDelta: number;
}

/** Thresholds for every metric. */
export interface Thresholds {
  duration: MetricThresholds;
  memory: MetricThresholds;
  cpu: MetricThresholds;
}

/** A partial override of {@link Thresholds}, as accepted by options. */
export type ThresholdOverrides = { [M in ThresholdMetric]?: Partial<MetricThresholds> };

/**
 * Defaults. Duration: warning 1.2x, critical 1.5x, no floor. Memory (heap growth per call):
 * 1.3x / 2x and at least 1 MB more, since small heap deltas swing wildly. CPU (CPU time of all
 * threads per call, which other processes taking the CPU do not inflate, unlike a share of
 * wall time): 1.25x / 1.5x, no floor.
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  duration: Object.freeze({ warning: 1.2, critical: 1.5, minimumDelta: 0 }),
  memory: Object.freeze({ warning: 1.3, critical: 2, minimumDelta: 1 }),
  cpu: Object.freeze({ warning: 1.25, critical: 1.5, minimumDelta: 0 }),
});

/** The metric names thresholds can be given for. */
export const METRIC_TYPES: readonly ThresholdMetric[] = ['duration', 'memory', 'cpu'];

/**
 * A fresh, mutable copy of `base` (the defaults unless given) with `overrides` applied and
 * validated. Unknown metric or field names are refused.
 */
export function resolveThresholds(
  overrides?: ThresholdOverrides,
  where = 'thresholds',
  base: Readonly<Thresholds> = DEFAULT_THRESHOLDS,
): Thresholds {
  const record = assertKnownOptions(overrides, METRIC_TYPES, where);
  const thresholds: Thresholds = {
    duration: { ...base.duration },
    memory: { ...base.memory },
    cpu: { ...base.cpu },
  };
  for (const metric of METRIC_TYPES) {
    const override = assertKnownOptions(record[metric], ['warning', 'critical', 'minimumDelta'], `${where}.${metric}`);
    Object.assign(thresholds[metric], override);
  }
  validateThresholds(thresholds);
  return thresholds;
}

/**
 * Refuses thresholds that cannot work: warning must be above 1 and below critical, and the
 * floor a number of zero or more. Called where options enter and again before judging,
 * since `detector.thresholds` can be changed at runtime.
 */
export function validateThresholds(thresholds: Thresholds): void {
  for (const metric of METRIC_TYPES) {
    const { warning, critical, minimumDelta } = thresholds[metric];
    const name = `thresholds.${metric}`;
    if (typeof warning !== 'number' || !Number.isFinite(warning) || warning <= 1) {
      throw new ConfigError(`\`${name}.warning\` must be a factor above 1 (such as 1.2 for 20 % slower), received ${describeValue(warning)}.`);
    }
    if (typeof critical !== 'number' || !Number.isFinite(critical) || critical <= warning) {
      throw new ConfigError(
        `\`${name}.critical\` must be above \`${name}.warning\` (${warning}), received ${describeValue(critical)}. Raise critical or lower warning.`,
      );
    }
    if (typeof minimumDelta !== 'number' || !Number.isFinite(minimumDelta) || minimumDelta < 0) {
      throw new ConfigError(`\`${name}.minimumDelta\` must be a number of zero or more, received ${describeValue(minimumDelta)}.`);
    }
  }
}
