// Records of realistic size for the store benchmark: a full report (as bench/dashboard.mjs
// writes) and 50 samples per series, like a measurement the store keeps.
import { randomUUID } from 'node:crypto';

function report(name, runId, median, status, environment) {
  const duration = { mean: median, std: median * 0.02, min: median * 0.95, max: median * 1.2, median, p75: median * 1.01, p95: median * 1.05, p99: median * 1.1, mad: median * 0.01, iqr: median * 0.02, cv: 0.02, medianCi: { lower: median * 0.99, upper: median * 1.01, level: 0.95 }, meanCi: { lower: median * 0.99, upper: median * 1.01, level: 0.95 }, outliers: { low: 0, high: 1 } };
  const factor = 1 + (status === 'regression' ? 0.6 : 0.01);
  return {
    name, iterations: 100, callsPerIteration: 1, duration, memory: { mean: 0.01, std: 0, median: 0.01, max: 0.02, rssMean: 0 }, cpu: { mean: 99, median: 99, phase: 99 }, mode: 'time', status,
    regressions: status === 'regression' ? [{ metricType: 'duration', baselineValue: median / factor, currentValue: median, regressionFactor: factor, severity: 'critical', confidence: 0.999, factorInterval: null }] : [],
    verdicts: [{ metricType: 'duration', status: status === 'regression' ? 'critical' : 'pass', baselineValue: median / factor, currentValue: median, regressionFactor: factor, factorInterval: null, confidence: 0.9, machineFactor: null, reason: 'synthetic' }],
    processes: [{ measuredAt: new Date().toISOString(), duration: median, memory: 0.01, cpu: 99, machineProbeNs: 20000, memoryProbeNs: 20000, preemptedShare: 0, cpuTimePerCall: median }],
    evidence: null, notes: [], baseline: null, metadata: {}, environment, measuredAt: new Date().toISOString(), attempt: 1, isAsync: false, isGcAvailable: true,
    loadAverage: { before: 0, after: 0 }, place: 'bench', testFile: null, runId, machineProbeNs: 20000, memoryProbeNs: 20000, profilePath: null,
  };
}

/** A result of `testName` in `run` (median in seconds), and an epoch founded on it when `founds`. */
export function benchRecord(run, environment, testName, median, founds, createdAt = new Date().toISOString(), status = 'pass') {
  const id = randomUUID();
  const samples = { durationNs: Array.from({ length: 50 }, (_, i) => median * 1e9 * (1 + i / 1000)), heapDeltaBytes: Array(50).fill(10), cpuPercent: Array(50).fill(99) };
  const result = { id, runId: run.id, testName, attempt: 1, createdAt, status, environmentKey: environment.key, report: report(testName, run.id, median, status, environment), samples };
  const epoch = founds ? { id: randomUUID(), testName, environmentKey: environment.key, createdAt, commit: run.commit, reason: 'bench', createdBy: 'bench', resultId: id, isDeleted: false } : undefined;
  return { result, epoch };
}
