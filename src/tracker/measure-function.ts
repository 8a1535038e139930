import os from 'node:os';
import pidusage from 'pidusage';
import { median } from 'simple-statistics';
import { expectFunction, expectName } from '../_options';
import { describeError, isPerfguardError, MeasurementError } from '../errors';
import { assertRealTimers, createHrtimeClock, measureTimerResolutionNs } from './clock';
import { captureEnvironment, type EnvironmentFingerprint } from './environment';
import { type MeasureOptions, resolveMeasureOptions, type ResolvedMeasureOptions } from './measure-options';
import { globalLookupPenalty } from './_global-lookup';
import { runTimingLoop, type TimingLoopResult } from './_timing-loop';

/** Per-call samples, one entry per sample (a call, or a batch of calls averaged). */
export interface MeasurementSamples {
  durationNs: number[];
  heapDeltaBytes: number[];
  /** CPU time over wall time during each sample, in percent (can exceed 100 with helper threads). */
  cpuPercent: number[];
  /** Times the process was preempted (involuntary context switches) during each sample. */
  preemptions: number[];
}

/** Everything the tracker learned about one function. */
export interface Measurement {
  name: string;
  samples: MeasurementSamples;
  callsPerSample: number;
  warmupCalls: number;
  isAsync: boolean;
  /** Whether `global.gc` existed, so garbage was collected before sampling. */
  isGcAvailable: boolean;
  /** Resident-set growth per call over the sampling phase, in bytes. */
  rssDeltaPerCallBytes: number;
  /** CPU percent over the whole sampling phase, from pidusage; undefined if it failed. */
  phaseCpuPercent: number | undefined;
  /** CPU time over the whole sampling phase, from `process.resourceUsage()`; see {@link CpuSpan}. */
  cpu: CpuSpan;
  /** Share of samples during which the process was preempted at least once. */
  preemptedShare: number;
  /** 1-minute load averages before and after sampling. */
  loadAverage: { before: number; after: number };
  timerResolutionNs: number;
  /**
   * The machine's own speed during sampling: median time of a fixed reference loop, in ns
   * (0 when the clock cannot time it, as with a planted clock).
   */
  machineProbeNs: number;
  /** Likewise for the caches and memory: median time of a fixed chain of dependent loads, in ns. */
  memoryProbeNs: number;
  /** How much slower a global lookup is than a local one here (about 1 outside Jest's sandbox). */
  globalLookupPenalty: number;
  startedAt: string;
  elapsedMs: number;
  environment: EnvironmentFingerprint;
}

/**
 * CPU time (user and system, all threads) over wall time across a whole phase. The kernel
 * accounts CPU time in scheduler ticks (4 ms at 250 Hz), so a span shorter than
 * {@link MIN_CPU_SPAN_NS} cannot support a percentage and gives null.
 */
export interface CpuSpan {
  /** CPU time over wall time, in percent; null when the span was too short. */
  percent: number | null;
  /** CPU time per call, in ns; null when the span was too short. */
  timePerCallNs: number | null;
  /** Wall time the figure spans, in ns. */
  spanNs: number;
}

/** Shortest span a CPU percentage is given for: 25 ticks of 4 ms, so one tick is 4 %. @default 100 ms */
export const MIN_CPU_SPAN_NS = 100_000_000;

/** CPU figures over a span of `wallNs` in which `cpuNs` of CPU time were spent on `calls` calls. */
export function cpuSpanOf(cpuNs: number, wallNs: number, calls: number): CpuSpan {
  if (wallNs < MIN_CPU_SPAN_NS || calls <= 0) return { percent: null, timePerCallNs: null, spanNs: wallNs };
  return { percent: (cpuNs / wallNs) * 100, timePerCallNs: cpuNs / calls, spanNs: wallNs };
}

type Gc = () => void;

/** How long pidusage remembers the phase's opening reading. */
const PIDUSAGE_HISTORY_MS = 3_600_000;

function findGc(): Gc | undefined {
  const candidate = (globalThis as { gc?: unknown }).gc;
  return typeof candidate === 'function' ? (candidate as Gc) : undefined;
}

async function readPidusageCpu(): Promise<number | undefined> {
  try {
    return (await pidusage(process.pid, { maxage: PIDUSAGE_HISTORY_MS })).cpu;
  } catch {
    return undefined;
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function perCall(values: number[], callsPerSample: number): number[] {
  return values.map((value) => value / callsPerSample);
}

function toSamples(loop: TimingLoopResult): MeasurementSamples {
  return {
    durationNs: perCall(loop.sampleNs, loop.callsPerSample),
    heapDeltaBytes: perCall(loop.heapDeltaBytes, loop.callsPerSample),
    cpuPercent: loop.sampleNs.map((ns, i) => (ns > 0 ? ((loop.cpuNs[i] ?? 0) / ns) * 100 : 0)),
    preemptions: loop.preemptions,
  };
}

async function runLoop<TInput>(
  name: string,
  fn: (input: TInput) => unknown,
  options: ResolvedMeasureOptions<TInput>,
  now: () => bigint,
  gc: Gc | undefined,
): Promise<TimingLoopResult> {
  try {
    return await runTimingLoop(fn as (input: unknown) => unknown, options as ResolvedMeasureOptions, now, async () => {
      gc?.();
      // pidusage reports CPU use since its previous call for this pid: this call opens the phase.
      await readPidusageCpu();
    });
  } catch (error) {
    if (isPerfguardError(error)) throw error;
    throw new MeasurementError(
      `benchmark '${name}': the measured function (or its setup/teardown) threw, so nothing was recorded: ${describeError(error)}`,
      { cause: error },
    );
  }
}

/**
 * Measures `fn`: warm-up, batching of calls under 10 µs, then samples of duration, heap
 * and RSS change, and CPU use. Rejects with a {@link MeasurementError} (the function's error
 * as `cause`) if `fn` throws, and with a `FakeTimersError` if the clock is frozen.
 * @example const m = await measureFunction(() => JSON.parse(text), 'parse', { time: 500 });
 */
export async function measureFunction<TInput = undefined>(
  fn: (input: TInput) => unknown,
  name: string,
  options?: MeasureOptions<TInput>,
): Promise<Measurement> {
  expectFunction(fn, 'fn', 'Pass the function to measure, such as () => work().');
  expectName(name, 'name', "Pass a name that identifies this benchmark, such as 'json_parse'.");
  const resolved = resolveMeasureOptions(options);
  const clock = resolved.clock ?? createHrtimeClock();
  if (resolved.clock === undefined) assertRealTimers(clock);
  const timerResolutionNs = measureTimerResolutionNs(clock);
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg()[0] ?? 0;
  const start = clock.now();
  const gc = findGc();
  const loop = await runLoop(name, fn, resolved, clock.now.bind(clock), gc);
  const phaseCpuPercent = await readPidusageCpu();
  return {
    name,
    samples: toSamples(loop),
    callsPerSample: loop.callsPerSample,
    rssDeltaPerCallBytes: loop.sampledCalls > 0 ? loop.rssPhaseDeltaBytes / loop.sampledCalls : 0,
    warmupCalls: loop.warmupCalls,
    isAsync: loop.isAsync,
    isGcAvailable: gc !== undefined,
    phaseCpuPercent,
    // CPU time is the process's own; against a planted clock's time it means nothing.
    cpu: resolved.clock === undefined ? cpuSpanOf(sum(loop.cpuNs), sum(loop.sampleNs), loop.sampledCalls) : cpuSpanOf(0, 0, 0),
    preemptedShare: loop.preemptions.length === 0 ? 0 : loop.preemptions.filter((count) => count > 0).length / loop.preemptions.length,
    loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 },
    timerResolutionNs,
    machineProbeNs: median(loop.probes.map((probe) => probe.computeNs)),
    memoryProbeNs: median(loop.probes.map((probe) => probe.memoryNs)),
    globalLookupPenalty: globalLookupPenalty(),
    startedAt,
    elapsedMs: Number(clock.now() - start) / 1e6,
    environment: captureEnvironment(),
  };
}
