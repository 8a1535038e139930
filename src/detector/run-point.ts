/**
 * One run (one process) of a benchmark, as the run-level rule sees it: its centre for one
 * metric. Samples inside a process share its JIT decisions, allocator and cache state, so
 * the process, not the sample, is the unit of evidence.
 */
export interface RunPoint {
  /** The run's centre in the metric's unit: median per-call duration (s), heap growth per call (MB) or CPU time per call (s). */
  value: number;
  /** When the run was measured (ISO 8601), to tell a shift from speeds that alternate. */
  at: string;
  /** One of the runs the baseline epoch was founded on. */
  isFounding: boolean;
  /**
   * The sitting the run belongs to: its measuring process and that process's fresh-process
   * rounds, started back to back (a stored result's id). Absent: a sitting of its own.
   */
  sitting?: string | undefined;
  /** 0 for the measuring process, 1 and up for its fresh-process rounds. @default 0 */
  round?: number | undefined;
}

/** What a run's machine was doing, read by the guards (duration only). */
export interface RunConditions {
  /** Median time of perfguard's integer reference loop during the run, in ns; null when unknown. */
  machineProbeNs: number | null;
  /** Median time of perfguard's memory reference loop, in ns; null when unknown. */
  memoryProbeNs: number | null;
  /** Share of samples during which the process was preempted; null when unknown. */
  preemptedShare: number | null;
  /** Median CPU time per call, in seconds; null when unknown. */
  cpuTimePerCall: number | null;
}

/** A run with the conditions it was measured in. */
export interface ConditionedRun extends RunPoint {
  conditions: RunConditions;
  /** Other processes stretched its wall time, and `value` is what its CPU time accounts for (crowded-runs.ts). */
  isCrowded?: boolean;
}

/** Conditions of a run that recorded none. */
export const UNKNOWN_CONDITIONS: RunConditions = Object.freeze({
  machineProbeNs: null,
  memoryProbeNs: null,
  preemptedShare: null,
  cpuTimePerCall: null,
});
