import type { Interval, MetricType } from './types';

/** A unit: what one of it is worth in the base unit, and its suffix. */
type Unit = readonly [worth: number, suffix: string];

const TIME_UNITS: readonly Unit[] = [
  [1e-9, ' ns'],
  [1e-6, ' µs'],
  [1e-3, ' ms'],
  [1, ' s'],
];
const BYTE_UNITS: readonly Unit[] = [
  [1, ' B'],
  [1024, ' KB'],
  [1024 ** 2, ' MB'],
  [1024 ** 3, ' GB'],
];
const COUNT_UNITS: readonly Unit[] = [
  [1, ' instr'],
  [1e3, ' k instr'],
  [1e6, ' M instr'],
  [1e9, ' G instr'],
];

/**
 * `value` in the largest unit it reaches, with three significant digits; when rounding carries
 * it into the next unit (999.96 µs), in that one: `1.00 ms`, never `1000 µs`.
 */
function inUnits(value: number, units: readonly Unit[]): string {
  if (!Number.isFinite(value)) return String(value);
  let index = 0;
  while (index < units.length - 1 && Math.abs(value) >= (units[index + 1]?.[0] ?? Infinity)) index++;
  const [worth, suffix] = units[index] ?? [1, ''];
  const shown = trim(value / worth);
  const next = units[index + 1];
  if (next !== undefined && Math.abs(Number(shown)) >= next[0] / worth) return `${trim(value / next[0])}${next[1]}`;
  return `${shown}${suffix}`;
}

/** A duration in seconds in the most readable unit: `812 ns`, `3.40 µs`, `12.5 ms`, `1.20 s`. */
export function formatDuration(seconds: number): string {
  return inUnits(seconds, TIME_UNITS);
}

/** A memory figure in MB in a readable unit: `512 B`, `3.20 KB`, `12.5 MB`. */
export function formatMemory(megabytes: number): string {
  return inUnits(megabytes * 1024 * 1024, BYTE_UNITS);
}

/** Instructions per call: `812 instr`, `3.40 k instr`, `1.19 M instr`. */
export function formatInstructions(count: number): string {
  return inUnits(count, COUNT_UNITS);
}

/** A metric's verdict value in its readable unit: duration and CPU time per call in seconds, memory in MB, instructions per call. */
export function formatMetric(metric: MetricType, value: number): string {
  if (metric === 'memory') return formatMemory(value);
  return metric === 'instructions' ? formatInstructions(value) : formatDuration(value);
}

/** A factor with its interval: `1.62x [1.55, 1.70]`. */
export function formatFactor(factor: number | null, interval?: Interval | null): string {
  if (factor === null) return '–';
  if (!Number.isFinite(factor)) return '∞';
  const shown = `${factor.toFixed(2)}x`;
  if (interval === undefined || interval === null) return shown;
  return `${shown} [${interval.lower.toFixed(2)}, ${interval.upper.toFixed(2)}]`;
}

/** A probability as a percentage with enough digits to tell 0.999 from 0.95: `99.9 %`. */
export function formatConfidence(probability: number | null): string {
  if (probability === null) return '–';
  const digits = probability >= 0.999 && probability < 1 ? 2 : 1;
  return `${(probability * 100).toFixed(digits)} %`;
}

/** Three significant digits (at most two decimals): `812`, `12.5`, `3.40`; 99.96 is `100`. */
function trim(value: number): string {
  const rounded = Number(Math.abs(value).toPrecision(3));
  return value.toFixed(rounded >= 100 ? 0 : rounded >= 10 ? 1 : 2);
}
