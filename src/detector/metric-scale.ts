import type { MetricType } from './thresholds';

/**
 * How a metric's runs are compared. Durations and CPU are positive and vary by ratios (a
 * process 10 % slower is 10 % slower whatever the speed), so they are compared on a log
 * scale; heap growth per call can be zero or negative, so it is compared as it is.
 */
export interface MetricScale {
  readonly isLog: boolean;
  /**
   * Smallest spread between runs the comparison assumes, so a few runs that happen to agree
   * closely cannot make any difference look proven: 0.5 % for times (clocks and caches never
   * agree better), 0.001 % for instruction counts (exact), none for memory.
   */
  readonly spreadFloor: number;
  /** A value in the metric's unit on the comparison scale. */
  toScale(value: number): number;
  /** Back from the comparison scale to the metric's unit. */
  fromScale(x: number): number;
}

/** Smallest value a log scale takes, so a run that read 0 does not become −∞. */
const LOG_FLOOR = 1e-15;

const LOG_SCALE: MetricScale = {
  isLog: true,
  spreadFloor: 0.005,
  toScale: (value) => Math.log(Math.max(value, LOG_FLOOR)),
  fromScale: (x) => Math.exp(x),
};

const COUNT_SCALE: MetricScale = { ...LOG_SCALE, spreadFloor: 0.00001 };

const LINEAR_SCALE: MetricScale = {
  isLog: false,
  spreadFloor: 0,
  toScale: (value) => value,
  fromScale: (x) => x,
};

/** The scale a metric's runs are compared on. */
export function scaleOf(metric: MetricType): MetricScale {
  if (metric === 'memory') return LINEAR_SCALE;
  return metric === 'instructions' ? COUNT_SCALE : LOG_SCALE;
}

/** current / reference, Infinity from a reference of 0 (1 when both are 0). */
export function factorOf(current: number, reference: number): number {
  if (reference > 0) return current / reference;
  return current > 0 ? Infinity : 1;
}
