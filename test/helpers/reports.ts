import { type MetricVerdict, regressionsOf } from '../../src/detector';
import { buildReport } from '../../src/runner/build-report';
import { processFiguresOf } from '../../src/runner/round-protocol';
import type { BaselineInfo, PerformanceReport } from '../../src/types';
import { plantedSamples } from './planted';
import { makeMeasurement } from './records';

type PlantedStatus = MetricVerdict['status'];

function plantedVerdict(status: PlantedStatus, factor: number): MetricVerdict {
  const base = { metricType: 'duration' as const, currentValue: 0.001 * factor, reason: 'planted' };
  if (status === 'no-baseline') {
    return { ...base, status, baselineValue: null, regressionFactor: null, factorInterval: null, confidence: null, machineFactor: null };
  }
  const judged = {
    ...base,
    baselineValue: 0.001,
    regressionFactor: factor,
    factorInterval: { lower: factor - 0.05, upper: factor + 0.06, level: 0.95 },
    confidence: 0.9999,
    machineFactor: null,
    runs: { reference: 12, current: 3 },
  };
  if (status === 'inconclusive') return { ...judged, status, withheldBy: 'evidence' };
  return { ...judged, status };
}

/** A report with a planted duration verdict, for renderer tests. */
export function plantedReport(
  name: string,
  verdict: { status: PlantedStatus; regressionFactor?: number },
  options: { baselineEnvironment?: string; commit?: string; testFile?: string | null } = {},
): PerformanceReport {
  const measurement = makeMeasurement(name, plantedSamples(1_000_000, 30, 1));
  const duration = plantedVerdict(verdict.status, verdict.regressionFactor ?? 1.6);
  const baseline: BaselineInfo | null =
    verdict.status === 'no-baseline'
      ? null
      : {
          createdAt: '2026-11-01T00:00:00.000Z',
          commit: options.commit ?? 'abcdef1234567890',
          reason: 'first measurement',
          environmentKey: options.baselineEnvironment ?? measurement.environment.key,
          isSameEnvironment: options.baselineEnvironment === undefined,
          medianDuration: 0.001,
          madDuration: 0.00002,
          runs: 12,
        };
  const report = buildReport(measurement, {
    verdicts: [duration],
    baseline,
    evidence:
      baseline === null
        ? null
        : { referenceRuns: 12, currentRuns: 3, spread: 0.03, detectableFactor: 1.08, groups: [{ duration: 0.001, runs: 12 }], foundingSetAside: null },
    processes: [processFiguresOf(measurement)],
    mode: 'time',
    notes: [],
    metadata: {},
    attempt: 1,
    place: 'test/a.test.ts:3',
    testFile: options.testFile === undefined ? '/repo/test/a.test.ts' : options.testFile,
    runId: 'run',
    confidence: 0.95,
  });
  expect(report.regressions).toEqual(regressionsOf([duration]));
  return report;
}

/** An instructions-mode report that passed with its count `factor` times the reference's, and the note that says so. */
export function plantedCountedReport(name: string, factor: number): PerformanceReport {
  const report = plantedReport(name, { status: 'pass', regressionFactor: factor });
  return {
    ...report,
    mode: 'instructions',
    verdicts: report.verdicts.map((verdict) => ({ ...verdict, metricType: 'instructions' })),
    notes: [{ code: 'instructions-delta', message: `instructions per call ${((factor - 1) * 100).toFixed(1)} % against the reference` }],
  };
}
