import { isExplainedByContention, measureContention } from '../../src/detector/contention';
import { judgeMetric } from '../../src/detector/judge-metric';
import { DEFAULT_THRESHOLDS } from '../../src/detector/thresholds';
import { plantedSamples } from '../helpers/planted';

const n = 200;
const baseline = { durationNs: plantedSamples(1e6, n, 1), cpuPercent: Array<number>(n).fill(100), preemptions: Array<number>(n).fill(0) };
// Wall time 1.6x, CPU time per call unchanged: the process waited for the CPU.
const preempted = {
  durationNs: plantedSamples(1.6e6, n, 2),
  cpuPercent: Array<number>(n).fill(62.5),
  preemptions: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 3 : 0)),
};
// Wall time 1.6x and CPU time unchanged, but no preemption: the code now sleeps or waits on I/O.
const waiting = { ...preempted, preemptions: Array<number>(n).fill(0) };
// The code really got slower: CPU time per call 1.6x, whatever the scheduler did.
const slower = { ...preempted, cpuPercent: Array<number>(n).fill(100) };

const judge = (current: typeof baseline) =>
  judgeMetric('duration', baseline.durationNs.map((ns) => ns / 1e9), current.durationNs.map((ns) => ns / 1e9), {
    thresholds: DEFAULT_THRESHOLDS.duration,
    confidence: 0.95,
    contention: measureContention(baseline, current),
  });

describe('contention', () => {
  it('measures the preempted share and the CPU-time factor', () => {
    const contention = measureContention(baseline, preempted);
    expect(contention?.preemptedShare).toBe(0.5);
    expect(contention?.baselinePreemptedShare).toBe(0);
    expect(contention?.cpuTimeFactor).toBeCloseTo(1, 1);
  });

  it('withholds a wall-time slowdown that preemption explains', () => {
    const verdict = judge(preempted);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toMatch(/preempted this one in 50 % of samples and CPU time per call changed only 1\.0\dx/);
  });

  it('still flags code that now waits (voluntary switches are not preemption)', () => {
    expect(judge(waiting).status).toBe('critical');
  });

  it('still flags code whose CPU time per call grew', () => {
    expect(judge(slower).status).toBe('critical');
  });

  it('says nothing without the counters (results stored before they were recorded)', () => {
    const { preemptions: _dropped, ...old } = baseline;
    expect(measureContention(old, preempted)).toBeUndefined();
    expect(isExplainedByContention(undefined, 1.2)).toBe(false);
  });
});
