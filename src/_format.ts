import type { Interval, MetricType } from './types';

/** A duration in seconds in the most readable unit: `812 ns`, `3.40 µs`, `12.5 ms`, `1.20 s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const abs = shownMagnitude(seconds);
  if (abs < 1e-6) return `${trim(seconds * 1e9)} ns`;
  if (abs < 1e-3) return `${trim(seconds * 1e6)} µs`;
  if (abs < 1) return `${trim(seconds * 1e3)} ms`;
  return `${trim(seconds)} s`;
}

/** A memory figure in MB in a readable unit: `512 B`, `3.2 KB`, `12.5 MB`. */
export function formatMemory(megabytes: number): string {
  if (!Number.isFinite(megabytes)) return String(megabytes);
  const bytes = megabytes * 1024 * 1024;
  const abs = shownMagnitude(bytes);
  if (abs < 1024) return `${trim(bytes)} B`;
  if (abs < 1024 * 1024) return `${trim(bytes / 1024)} KB`;
  if (abs < 1024 ** 3) return `${trim(megabytes)} MB`;
  return `${trim(megabytes / 1024)} GB`;
}

/** Instructions per call: `812 instr`, `3.40 k instr`, `1.19 M instr`. */
export function formatInstructions(count: number): string {
  if (!Number.isFinite(count)) return String(count);
  const abs = shownMagnitude(count);
  if (abs < 1e3) return `${trim(count)} instr`;
  if (abs < 1e6) return `${trim(count / 1e3)} k instr`;
  if (abs < 1e9) return `${trim(count / 1e6)} M instr`;
  return `${trim(count / 1e9)} G instr`;
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

/** The magnitude as it will be shown (three significant digits), so 0.9999996 s is `1.00 s`, not `1000 ms`. */
function shownMagnitude(value: number): number {
  return Number(Math.abs(value).toPrecision(3));
}

function trim(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toFixed(digits);
}
