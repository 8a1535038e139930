import v8 from 'node:v8';
import { type MachineProbe, probeMachine } from './_machine-probe';
import type { ResolvedMeasureOptions } from './measure-options';

/** Runs `calls` calls of the measured function back to back and returns the elapsed ns. */
type BatchRunner = (calls: number, input: unknown) => number | Promise<number>;
type Now = () => bigint;
type Measured = (input: unknown) => unknown;

/**
 * Shortest sample: calls faster than this are always batched, since reading the clock costs
 * tens of nanoseconds. @default 10_000
 */
export const BATCH_THRESHOLD_NS = 10_000;

/** Bound on warm-up and calibration rounds, so a clock that never moves cannot hang them. */
const MAX_ROUNDS = 40;
const MAX_BATCH_CALLS = 2 ** 30;

/** What the loop collected; one entry per sample in each array. */
export interface TimingLoopResult {
  isAsync: boolean;
  callsPerSample: number;
  warmupCalls: number;
  /** Elapsed time of each sample (all its calls). */
  sampleNs: number[];
  heapDeltaBytes: number[];
  /** Resident-set growth over the whole sampling phase (read at its edges: each read is a syscall). */
  rssPhaseDeltaBytes: number;
  /** Calls made during the sampling phase. */
  sampledCalls: number;
  /** User + system CPU time spent during each sample. */
  cpuNs: number[];
  /** Involuntary context switches during each sample: times the process was preempted. */
  preemptions: number[];
  /** Readings of the machine-speed probes taken before, during and after sampling. */
  probes: MachineProbe[];
}

/** Sampling time between two machine-speed probes. */
const PROBE_EVERY_NS = 250_000_000;

// Return values land here so the engine cannot prove them unused and drop the work.
const sink: { value: unknown } = { value: undefined };

/**
 * A fresh loop function per measured function, compiled with `new Function`: each gets its
 * own `fn(input)` call site, which stays monomorphic, so V8 can inline a tiny function the
 * way it would in the user's own loop. One shared loop would turn megamorphic after a few
 * benchmarks and charge every call several nanoseconds of dispatch.
 */
function createBatchRunner(fn: Measured, now: Now, isAsync: boolean): BatchRunner {
  const body = `
    return ${isAsync ? 'async ' : ''}function runBatch(calls, input) {
      let last;
      const start = now();
      for (let i = 0; i < calls; i++) last = ${isAsync ? 'await ' : ''}fn(input);
      const end = now();
      sink.value = last;
      return Number(end - start);
    };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the comment above
  const factory = new Function('fn', 'now', 'sink', body) as (f: Measured, n: Now, s: typeof sink) => BatchRunner;
  return factory(fn, now, sink);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

interface LoopContext {
  fn: Measured;
  options: ResolvedMeasureOptions;
  now: Now;
  runner: BatchRunner;
}

/** Runs `calls` calls, each with fresh setup/teardown when there is a setup. */
async function runCalls(context: LoopContext, calls: number): Promise<number> {
  const { setup, teardown } = context.options;
  if (setup === undefined) return context.runner(calls, undefined);
  let elapsed = 0;
  for (let i = 0; i < calls; i++) {
    const input = await setup();
    elapsed += await context.runner(1, input);
    if (teardown !== undefined) await teardown(input);
  }
  return elapsed;
}

/** The first call: tells whether the function is async, and how long one call takes. */
async function firstCall(fn: Measured, options: ResolvedMeasureOptions, now: Now): Promise<{ isAsync: boolean; elapsedNs: number }> {
  const input = options.setup === undefined ? undefined : await options.setup();
  const start = now();
  const result = fn(input);
  const isAsync = isThenable(result);
  if (isAsync) sink.value = await result;
  const elapsedNs = Number(now() - start);
  if (options.teardown !== undefined) await options.teardown(input);
  return { isAsync, elapsedNs };
}

async function warmUp(context: LoopContext, firstCallNs: number): Promise<number> {
  const { warmupCalls, warmupTimeMs } = context.options;
  if (warmupCalls !== undefined) {
    if (warmupCalls > 1) await runCalls(context, warmupCalls - 1);
    return Math.max(1, warmupCalls);
  }
  const budgetNs = warmupTimeMs * 1e6;
  let spentNs = firstCallNs;
  let calls = 1;
  let batch = 1;
  // Doubling batches reach the budget in few rounds; the round cap guards a frozen clock.
  for (let round = 0; spentNs < budgetNs && round < MAX_ROUNDS; round++) {
    const start = context.now();
    await runCalls(context, batch);
    const elapsed = Number(context.now() - start);
    spentNs += elapsed;
    calls += batch;
    const perCallNs = Math.max(elapsed / batch, 1);
    batch = Math.max(1, Math.min(batch * 2, Math.ceil((budgetNs - spentNs) / perCallNs)));
  }
  return calls;
}

/**
 * Calls per sample: a batch sized so one sample lasts about `targetSampleNs`; 1 for longer
 * calls, and with a setup (each call needs fresh input).
 */
async function calibrate(context: LoopContext, targetSampleNs: number): Promise<number> {
  if (context.options.setup !== undefined) return 1;
  let calls = 1;
  let elapsed = await context.runner(1, undefined);
  for (let round = 0; elapsed < targetSampleNs / 2 && round < MAX_ROUNDS; round++) {
    const scaled = Math.ceil((calls * targetSampleNs) / Math.max(elapsed, 1));
    calls = Math.min(calls * 100, Math.max(calls * 2, scaled), MAX_BATCH_CALLS);
    elapsed = await context.runner(calls, undefined);
  }
  return Math.max(1, Math.round((calls * targetSampleNs) / elapsed));
}

function isSamplingDone(options: ResolvedMeasureOptions, samples: number, spentNs: number): boolean {
  if (options.iterations !== undefined) return samples >= options.iterations;
  if (samples >= options.maxSamples) return true;
  return samples >= options.minSamples && spentNs >= options.timeMs * 1e6;
}

/**
 * Warm-up, calibration, then the measured samples. Only the clock is read inside the timed
 * region; memory and CPU counters are read around it, outside.
 * `beforeSampling` runs between calibration and the first sample (GC, phase counters).
 */
export async function runTimingLoop(
  fn: Measured,
  options: ResolvedMeasureOptions,
  now: Now,
  beforeSampling: () => Promise<void>,
): Promise<TimingLoopResult> {
  const probed = await firstCall(fn, options, now);
  const context: LoopContext = { fn, options, now, runner: createBatchRunner(fn, now, probed.isAsync) };
  const warmupCalls = await warmUp(context, probed.elapsedNs);
  // Samples last time/maxSamples (100 µs by default), so the whole budget is spent sampling:
  // a 1 µs function gets a hundred calls per sample; calls of 100 µs or more are timed one by one.
  const targetSampleNs = Math.max(BATCH_THRESHOLD_NS, (options.timeMs * 1e6) / options.maxSamples);
  const callsPerSample = await calibrate(context, targetSampleNs);
  const result: TimingLoopResult = {
    isAsync: probed.isAsync,
    callsPerSample,
    warmupCalls,
    sampleNs: [],
    heapDeltaBytes: [],
    rssPhaseDeltaBytes: 0,
    sampledCalls: 0,
    cpuNs: [],
    preemptions: [],
    probes: [],
  };
  await beforeSampling();
  result.probes.push(probeMachine(now));
  const rssBefore = process.memoryUsage.rss();
  const phaseStart = now();
  let nextProbeNs = PROBE_EVERY_NS;
  for (let spentNs = 0; !isSamplingDone(options, result.sampleNs.length, spentNs); spentNs = Number(now() - phaseStart)) {
    if (spentNs >= nextProbeNs) {
      result.probes.push(probeMachine(now));
      nextProbeNs += PROBE_EVERY_NS;
    }
    const input = options.setup === undefined ? undefined : await options.setup();
    // v8's heap statistics cost about 1 µs; process.memoryUsage() reads RSS with a syscall (13 µs).
    const heapBefore = v8.getHeapStatistics().used_heap_size;
    const usageBefore = process.resourceUsage();
    const elapsedNs = await context.runner(callsPerSample, input);
    const usageAfter = process.resourceUsage();
    const heapAfter = v8.getHeapStatistics().used_heap_size;
    if (options.teardown !== undefined) await options.teardown(input);
    result.sampleNs.push(elapsedNs);
    result.heapDeltaBytes.push(heapAfter - heapBefore);
    result.cpuNs.push((usageAfter.userCPUTime + usageAfter.systemCPUTime - usageBefore.userCPUTime - usageBefore.systemCPUTime) * 1000);
    result.preemptions.push(usageAfter.involuntaryContextSwitches - usageBefore.involuntaryContextSwitches);
  }
  result.rssPhaseDeltaBytes = process.memoryUsage.rss() - rssBefore;
  result.sampledCalls = result.sampleNs.length * callsPerSample;
  result.probes.push(probeMachine(now));
  return result;
}
