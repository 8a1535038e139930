import { spreadOf, type GroupSpread } from '../stats';
import { captureEnvironment, cpuSpanOf, type InstructionCount, type Measurement } from '../tracker';
import type { InstructionFigures, PerformanceReport, ReportNote } from '../types';

/** A change of instructions per call from this share on is shown, even below the thresholds. @default 0.01 */
export const VISIBLE_INSTRUCTION_DELTA = 0.01;
/** Counted rounds that differ by more than this share mean something in the code is not deterministic. @default 0.001 */
export const DETERMINISTIC_ROUND_SPREAD = 0.001;

/** The count as a report carries it. */
export function instructionFigures(count: InstructionCount): InstructionFigures {
  return {
    median: count.medianInstructionsPerCall,
    rounds: count.instructionsPerCall,
    callsPerRound: count.callsPerRound,
    roundSpread: count.roundSpread,
    overheadPerCall: count.overheadInstructionsPerCall,
  };
}

/** The spread between the counted rounds, on a log scale, for the run-level comparison. */
export function roundSpreadOf(count: InstructionCount): GroupSpread {
  return spreadOf(count.instructionsPerCall.filter((value) => value > 0).map((value) => Math.log(value)));
}

/**
 * A count as the measurement a report is built from: the duration is the wall time per call
 * under Valgrind (for the record; it is not judged), memory and CPU are not measured in this
 * mode, and there are no reference loops.
 */
export function measurementOfCount(count: InstructionCount, startedAt: string): Measurement {
  const calls = Math.max(1, count.callsPerRound * count.instructionsPerCall.length);
  return {
    name: count.name,
    samples: { durationNs: [(count.elapsedMs * 1e6) / calls], heapDeltaBytes: [0], cpuPercent: [0], preemptions: [0] },
    callsPerSample: calls,
    warmupCalls: count.warmupCalls,
    isAsync: count.isAsync,
    isGcAvailable: typeof (globalThis as { gc?: unknown }).gc === 'function',
    rssDeltaPerCallBytes: 0,
    phaseCpuPercent: undefined,
    cpu: cpuSpanOf(0, 0, 0),
    preemptedShare: 0,
    loadAverage: { before: 0, after: 0 },
    timerResolutionNs: 1,
    machineProbeNs: 0,
    memoryProbeNs: 0,
    globalLookupPenalty: 1,
    startedAt,
    elapsedMs: count.elapsedMs,
    environment: captureEnvironment(),
  };
}

/** Whether the run-level test says the count moved beyond what runs of unchanged code do (either way), at `level`. */
function isBeyondUnchangedRuns(confidenceSlower: number | null, level: number): boolean {
  return confidenceSlower === null || confidenceSlower >= level || confidenceSlower <= 1 - level;
}

/**
 * What a person should know about a count: every change of 1 % or more against the
 * reference that runs of unchanged code do not show (in Jest, lookup-heavy code can read a
 * few per cent apart between runs; the history learns it), even one the thresholds pass, so a
 * creep is seen long before it fails; and rounds that disagree, which exact counts never do
 * unless the code reads time, randomness or I/O. `level` is the benchmark's `confidence`.
 */
export function instructionNotes(report: PerformanceReport, level: number): ReportNote[] {
  const notes: ReportNote[] = [];
  const verdict = report.verdicts.find((candidate) => candidate.metricType === 'instructions');
  const factor = verdict?.regressionFactor ?? null;
  const confidence = verdict !== undefined && 'confidence' in verdict ? verdict.confidence : null;
  if (
    factor !== null &&
    Number.isFinite(factor) &&
    Math.abs(factor - 1) >= VISIBLE_INSTRUCTION_DELTA &&
    verdict?.status !== 'warning' &&
    verdict?.status !== 'critical' &&
    isBeyondUnchangedRuns(confidence, level)
  ) {
    const percent = ((factor - 1) * 100).toFixed(1);
    notes.push({
      code: 'instructions-delta',
      message: `instructions per call ${factor > 1 ? '+' : ''}${percent} % against the reference (${factor.toFixed(3)}x): within the thresholds, but a real change of the code's work`,
    });
  }
  const spread = report.instructions?.roundSpread ?? 0;
  if (spread > DETERMINISTIC_ROUND_SPREAD) {
    notes.push({
      code: 'nondeterministic',
      message: `the counted rounds differ by ${(spread * 100).toFixed(2)} % (more than ${DETERMINISTIC_ROUND_SPREAD * 100} %): something in the code is not deterministic (time, randomness, I/O, the heap's state)`,
    });
  }
  return notes;
}
