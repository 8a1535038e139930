import type { MetricType } from './thresholds';

/**
 * How a metric's runs are compared. Durations and CPU are positive and vary by ratios (a
 * process 10 % slower is 10 % slower whatever the speed), so they are compared on a log
 * scale; heap growth per call can be zero or negative, so it is compared as it is.
 */
export interface MetricScale {
  readonly isLog: boolean;
  /** A value in the metric's unit on the comparison scale. */
  toScale(value: number): number;
  /** Back from the comparison scale to the metric's unit. */
  fromScale(x: number): number;
}

/** Smallest value a log scale takes, so a run that read 0 does not become −∞. */
const LOG_FLOOR = 1e-15;

const LOG_SCALE: MetricScale = {
  isLog: true,
  toScale: (value) => Math.log(Math.max(value, LOG_FLOOR)),
  fromScale: (x) => Math.exp(x),
};

const LINEAR_SCALE: MetricScale = {
  isLog: false,
  toScale: (value) => value,
  fromScale: (x) => x,
};

/** The scale a metric's runs are compared on. */
export function scaleOf(metric: MetricType): MetricScale {
  return metric === 'memory' ? LINEAR_SCALE : LOG_SCALE;
}

/** current / reference, Infinity from a reference of 0 (1 when both are 0). */
export function factorOf(current: number, reference: number): number {
  if (reference > 0) return current / reference;
  return current > 0 ? Infinity : 1;
}
