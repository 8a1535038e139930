import { randomUUID } from 'node:crypto';
import { buildReport } from '../../src/runner/build-report';
import { processFiguresOf } from '../../src/runner/round-protocol';
import { captureEnvironment } from '../../src/tracker/environment';
import type { Measurement } from '../../src/tracker/measure-function';
import type { BaselineEpoch, ResultRecord, RunRecord } from '../../src/types';
import { plantedSamples } from './planted';

export function makeRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: randomUUID(),
    startedAt: new Date().toISOString(),
    endedAt: null,
    commit: 'abc123',
    branch: 'main',
    isCi: false,
    environment: captureEnvironment(),
    ...overrides,
  };
}

export function makeMeasurement(name: string, durationNs: number[]): Measurement {
  return {
    name,
    samples: {
      durationNs,
      heapDeltaBytes: durationNs.map(() => 100),
      cpuPercent: durationNs.map(() => 99),
      preemptions: durationNs.map(() => 0),
    },
    callsPerSample: 1,
    rssDeltaPerCallBytes: 0,
    warmupCalls: 1,
    isAsync: false,
    isGcAvailable: true,
    phaseCpuPercent: 99,
    cpu: { percent: 99, timePerCallNs: 990, spanNs: 200_000_000 },
    preemptedShare: 0,
    loadAverage: { before: 0.1, after: 0.1 },
    timerResolutionNs: 30,
    machineProbeNs: 20_000,
    memoryProbeNs: 20_000,
    globalLookupPenalty: 1,
    startedAt: new Date().toISOString(),
    elapsedMs: 10,
    environment: captureEnvironment(),
  };
}

export function makeResult(runId: string, testName: string, overrides: { centreNs?: number; seed?: number; createdAt?: string } = {}): ResultRecord {
  const durationNs = plantedSamples(overrides.centreNs ?? 1_000_000, 50, overrides.seed ?? 1);
  const measurement = makeMeasurement(testName, durationNs);
  const report = buildReport(measurement, {
    verdicts: [],
    baseline: null,
    evidence: null,
    processes: [processFiguresOf(measurement)],
    mode: 'time',
    notes: [],
    metadata: { planted: true },
    attempt: 1,
    place: 'test/x.test.ts:1',
    testFile: null,
    runId,
    confidence: 0.95,
  });
  return {
    id: randomUUID(),
    runId,
    testName,
    attempt: 1,
    createdAt: overrides.createdAt ?? new Date().toISOString(),
    status: 'pass',
    environmentKey: measurement.environment.key,
    report,
    samples: { durationNs, heapDeltaBytes: measurement.samples.heapDeltaBytes, cpuPercent: measurement.samples.cpuPercent },
  };
}

export function makeEpoch(result: ResultRecord, overrides: Partial<BaselineEpoch> = {}): BaselineEpoch {
  return {
    id: randomUUID(),
    testName: result.testName,
    environmentKey: result.environmentKey,
    createdAt: new Date().toISOString(),
    commit: 'abc123',
    reason: 'test',
    createdBy: 'tester',
    resultId: result.id,
    isDeleted: false,
    ...overrides,
  };
}
