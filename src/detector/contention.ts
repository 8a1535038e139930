import { median } from 'simple-statistics';

/** Signs that other processes took the CPU away during a measurement. */
export interface Contention {
  /** Share of the current samples during which the process was preempted at least once. */
  preemptedShare: number;
  /** The same share in the baseline's samples. */
  baselinePreemptedShare: number;
  /** median(CPU time per call) now over the baseline's: what the code itself costs. */
  cpuTimeFactor: number;
}

/** Samples as the contention check reads them. */
export interface ContentionSamples {
  durationNs: number[];
  cpuPercent: number[];
  preemptions?: number[] | undefined;
}

/** Preempted in at least this share of samples, and clearly more than the baseline. @default 0.2 */
export const PREEMPTED_SHARE_GUARD = 0.2;

function share(preemptions: number[]): number {
  return preemptions.length === 0 ? 0 : preemptions.filter((count) => count > 0).length / preemptions.length;
}

function cpuTimePerCall(samples: ContentionSamples): number {
  return median(samples.durationNs.map((ns, i) => (ns * (samples.cpuPercent[i] ?? 0)) / 100));
}

/**
 * Compares how much the process was preempted, and what a call cost in CPU time, between
 * two measurements. Wall time counts the moments the scheduler gave the CPU to other
 * processes; CPU time does not. Undefined when either side lacks the counters.
 */
export function measureContention(baseline: ContentionSamples, current: ContentionSamples): Contention | undefined {
  if (baseline.preemptions === undefined || current.preemptions === undefined) return undefined;
  const before = cpuTimePerCall(baseline);
  if (!(before > 0)) return undefined;
  return {
    preemptedShare: share(current.preemptions),
    baselinePreemptedShare: share(baseline.preemptions),
    cpuTimeFactor: cpuTimePerCall(current) / before,
  };
}

/**
 * Whether preemption explains a wall-time slowdown: the process was preempted in many more
 * samples than for the baseline, while the CPU time per call stayed under `warning`.
 * Code that now waits (sleeps, I/O) switches voluntarily, not by preemption, so it is not
 * excused by this.
 */
export function isExplainedByContention(contention: Contention | undefined, warning: number): boolean {
  if (contention === undefined) return false;
  return (
    contention.preemptedShare >= PREEMPTED_SHARE_GUARD &&
    contention.preemptedShare >= contention.baselinePreemptedShare + 0.1 &&
    contention.cpuTimeFactor < warning
  );
}
