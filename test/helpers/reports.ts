import type { MetricVerdict } from '../../src/detector';
import { buildReport, regressionsOf } from '../../src/runner/build-report';
import type { BaselineInfo, PerformanceReport } from '../../src/types';
import { plantedSamples } from './planted';
import { makeMeasurement } from './records';

/** A report with a planted duration verdict, for renderer tests. */
export function plantedReport(
  name: string,
  verdict: Partial<MetricVerdict> & Pick<MetricVerdict, 'status'>,
  options: { baselineEnvironment?: string; commit?: string; testFile?: string | null } = {},
): PerformanceReport {
  const measurement = makeMeasurement(name, plantedSamples(1_000_000, 30, 1));
  const duration: MetricVerdict = {
    metricType: 'duration',
    baselineValue: verdict.status === 'no-baseline' ? null : 0.001,
    currentValue: 0.0016,
    regressionFactor: verdict.status === 'no-baseline' ? null : 1.6,
    factorInterval: verdict.status === 'no-baseline' ? null : { lower: 1.55, upper: 1.66, level: 0.95 },
    confidence: verdict.status === 'no-baseline' ? null : 0.9999,
    reason: 'planted',
    machineFactor: null,
    ...verdict,
  };
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
        };
  const report = buildReport(measurement, {
    verdicts: [duration],
    baseline,
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
