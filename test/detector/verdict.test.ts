import { type MetricVerdict, reportStatusOf } from '../../src/detector';

/** A judged verdict of `metricType` with `status`; the other fields do not enter the report's status. */
function verdict(metricType: MetricVerdict['metricType'], status: 'pass' | 'improved' | 'inconclusive' | 'warning'): MetricVerdict {
  return { metricType, status, regressionFactor: 1, baselineValue: 1, currentValue: 1, factorInterval: null, confidence: 0.5, machineFactor: null, runs: { reference: 5, current: 3 }, reason: '', ...(status === 'inconclusive' ? { withheldBy: 'evidence' } : {}) } as MetricVerdict;
}

describe('reportStatusOf', () => {
  it('calls a benchmark improved only when its time (or instructions) per call improved', () => {
    expect(reportStatusOf([verdict('duration', 'improved'), verdict('memory', 'pass'), verdict('cpu', 'pass')])).toBe('improved');
    expect(reportStatusOf([verdict('instructions', 'improved'), verdict('memory', 'pass')])).toBe('improved');
    // Less CPU time or memory alone shows in its own verdict: the benchmark is no faster.
    expect(reportStatusOf([verdict('duration', 'pass'), verdict('memory', 'pass'), verdict('cpu', 'improved')])).toBe('pass');
    expect(reportStatusOf([verdict('duration', 'pass'), verdict('memory', 'improved')])).toBe('pass');
  });

  it('puts a regression first, then anything held back', () => {
    expect(reportStatusOf([verdict('duration', 'improved'), verdict('cpu', 'warning')])).toBe('regression');
    expect(reportStatusOf([verdict('duration', 'improved'), verdict('cpu', 'inconclusive')])).toBe('inconclusive');
  });
});
