import os from 'node:os';
import { assertRealTimers, type Clock, createHrtimeClock, measureTimerResolutionNs } from './clock';
import { globalLookupPenalty } from './_global-lookup';
import { probeMachine } from './_machine-probe';
import { captureEnvironment } from './environment';
import { cpuSpanOf, type Measurement } from './measure-function';

/** A single measured run in progress; `stop()` ends it. */
export interface SingleRun {
  /** Ends the run and returns its measurement: one sample of one call. */
  stop(): Measurement;
}

/**
 * Starts timing one run of a piece of code (the block form of `measure`). Unlike
 * `measureFunction` there is no warm-up and no repetition: the figure is one cold run.
 */
export function startSingleRun(name: string, clock?: Clock): SingleRun {
  const chosen = clock ?? createHrtimeClock();
  if (clock === undefined) assertRealTimers(chosen);
  const timerResolutionNs = measureTimerResolutionNs(chosen, 20);
  const now = (): bigint => chosen.now();
  const probeBefore = probeMachine(now);
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg()[0] ?? 0;
  const memoryBefore = process.memoryUsage();
  const usageBefore = process.resourceUsage();
  const start = chosen.now();
  let stopped: Measurement | undefined;
  return {
    stop(): Measurement {
      if (stopped !== undefined) return stopped;
      const elapsedNs = Number(chosen.now() - start);
      const usage = process.resourceUsage();
      const cpuMicros = usage.userCPUTime + usage.systemCPUTime - usageBefore.userCPUTime - usageBefore.systemCPUTime;
      const memoryAfter = process.memoryUsage();
      const probeAfter = probeMachine(now);
      const cpuPercent = elapsedNs > 0 ? ((cpuMicros * 1000) / elapsedNs) * 100 : 0;
      const cpu = cpuSpanOf(cpuMicros * 1000, elapsedNs, 1);
      stopped = {
        name,
        samples: {
          durationNs: [elapsedNs],
          heapDeltaBytes: [memoryAfter.heapUsed - memoryBefore.heapUsed],
          cpuPercent: [cpuPercent],
          preemptions: [usage.involuntaryContextSwitches - usageBefore.involuntaryContextSwitches],
        },
        callsPerSample: 1,
        rssDeltaPerCallBytes: memoryAfter.rss - memoryBefore.rss,
        warmupCalls: 0,
        isAsync: false,
        isGcAvailable: typeof (globalThis as { gc?: unknown }).gc === 'function',
        phaseCpuPercent: cpu.percent ?? undefined,
        cpu,
        preemptedShare: usage.involuntaryContextSwitches > usageBefore.involuntaryContextSwitches ? 1 : 0,
        loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 },
        timerResolutionNs,
        machineProbeNs: (probeBefore.computeNs + probeAfter.computeNs) / 2,
        memoryProbeNs: (probeBefore.memoryNs + probeAfter.memoryNs) / 2,
        globalLookupPenalty: globalLookupPenalty(),
        startedAt,
        elapsedMs: elapsedNs / 1e6,
        environment: captureEnvironment(),
      };
      return stopped;
    },
  };
}
