import { max, mean, median, sampleStandardDeviation } from 'simple-statistics';
import { type MetricVerdict, regressionsOf, reportStatusOf, type Thresholds } from '../detector';
import { assessStability, createSeededRandom, summarizeSamples } from '../stats';
import type { Measurement } from '../tracker';
import type {
  BaselineInfo,
  CpuFigures,
  DurationFigures,
  InstructionFigures,
  MeasuringMode,
  MemoryFigures,
  PerformanceReport,
  ProcessFigures,
  ReportNote,
  ReportStatus,
  RunEvidence,
  StoredSamples,
} from '../types';

/** Bytes in the MB perfguard reports (2^20, as Node's memory figures are usually shown). */
export const BYTES_PER_MB = 1024 * 1024;

/** Most samples kept in the store (and judged) per measurement. @default 1000 */
export const STORED_SAMPLES = 1000;

/**
 * The samples a measurement keeps in the store and is judged on: all of them, or a seeded
 * random subsample of {@link STORED_SAMPLES} (the same indices across metrics). A random
 * subsample is itself a sample of the same distribution, so tests and intervals stay valid,
 * while a store of thousands of results stays small and judging stays fast.
 */
export function toStoredSamples(measurement: Measurement): StoredSamples {
  const { durationNs, heapDeltaBytes, cpuPercent, preemptions } = measurement.samples;
  const n = durationNs.length;
  if (n <= STORED_SAMPLES) return { durationNs, heapDeltaBytes, cpuPercent, preemptions };
  const random = createSeededRandom(n);
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < STORED_SAMPLES; i++) {
    const j = i + Math.floor(random() * (n - i));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  const kept = indices.slice(0, STORED_SAMPLES).sort((a, b) => a - b);
  const pick = (values: number[]): number[] => kept.map((i) => values[i] ?? 0);
  return { durationNs: pick(durationNs), heapDeltaBytes: pick(heapDeltaBytes), cpuPercent: pick(cpuPercent), preemptions: pick(preemptions) };
}

function durationFigures(durationNs: number[], confidence: number): DurationFigures {
  const { count: _count, ...figures } = summarizeSamples(
    durationNs.map((ns) => ns / 1e9),
    confidence,
  );
  return figures;
}

function memoryFigures(measurement: Measurement): MemoryFigures {
  const heap = measurement.samples.heapDeltaBytes.map((bytes) => bytes / BYTES_PER_MB);
  return {
    mean: mean(heap),
    std: heap.length > 1 ? sampleStandardDeviation(heap) : 0,
    median: median(heap),
    max: max(heap),
    rssMean: measurement.rssDeltaPerCallBytes / BYTES_PER_MB,
  };
}

/** CPU over the whole sampling phase: the CPU clock is too coarse for one sample (see CpuSpan). */
function cpuFigures(measurement: Measurement): CpuFigures {
  const { percent } = measurement.cpu;
  return { mean: percent, median: percent, phase: percent === null ? null : (measurement.phaseCpuPercent ?? null) };
}

/** Stability notes of a measurement. */
export function stabilityNotesOf(measurement: Measurement, duration: DurationFigures): ReportNote[] {
  const sampleNs = measurement.samples.durationNs.map((ns) => ns * measurement.callsPerSample);
  return assessStability({
    cv: duration.cv,
    sampleCount: measurement.samples.durationNs.length,
    medianSampleNs: median(sampleNs),
    timerResolutionNs: measurement.timerResolutionNs,
    loadPerCore: Math.max(measurement.loadAverage.before, measurement.loadAverage.after) / measurement.environment.cpuCores,
    isGcAvailable: measurement.isGcAvailable,
    globalLookupPenalty: measurement.globalLookupPenalty,
  });
}

/** Everything about a report that does not come from the measurement itself. */
export interface ReportContext {
  verdicts: MetricVerdict[];
  status?: ReportStatus;
  baseline: BaselineInfo | null;
  evidence: RunEvidence | null;
  /** Every process behind the verdict, the measuring one first. */
  processes: ProcessFigures[];
  mode: MeasuringMode;
  /** The thresholds the verdicts used. */
  thresholds?: Thresholds;
  /** Instructions mode: what callgrind counted. */
  instructions?: InstructionFigures;
  notes: ReportNote[];
  metadata: Record<string, unknown>;
  attempt: number;
  place: string;
  testFile: string | null;
  runId: string;
  confidence: number;
  profilePath?: string | null;
}

/** Assembles the report of DESIGN.md: durations in seconds, memory in MB, CPU in percent. */
export function buildReport(measurement: Measurement, context: ReportContext): PerformanceReport {
  const duration = durationFigures(measurement.samples.durationNs, context.confidence);
  return {
    name: measurement.name,
    iterations: measurement.samples.durationNs.length,
    callsPerIteration: measurement.callsPerSample,
    duration,
    memory: memoryFigures(measurement),
    cpu: cpuFigures(measurement),
    mode: context.mode,
    status: context.status ?? reportStatusOf(context.verdicts),
    regressions: regressionsOf(context.verdicts),
    verdicts: context.verdicts,
    processes: context.processes,
    evidence: context.evidence,
    ...(context.thresholds === undefined ? {} : { thresholds: context.thresholds }),
    ...(context.instructions === undefined ? {} : { instructions: context.instructions }),
    // Stability notes read the samples of a timed measurement; a count has none to read.
    notes: [...(context.instructions === undefined ? stabilityNotesOf(measurement, duration) : []), ...context.notes],
    baseline: context.baseline,
    metadata: context.metadata,
    environment: measurement.environment,
    measuredAt: measurement.startedAt,
    attempt: context.attempt,
    isAsync: measurement.isAsync,
    isGcAvailable: measurement.isGcAvailable,
    loadAverage: measurement.loadAverage,
    place: context.place,
    testFile: context.testFile,
    runId: context.runId,
    machineProbeNs: measurement.machineProbeNs,
    memoryProbeNs: measurement.memoryProbeNs,
    profilePath: context.profilePath ?? null,
  };
}
