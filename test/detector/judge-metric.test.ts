import { judgeMetric, runEnvelope } from '../../src/detector/judge-metric';
import { DEFAULT_THRESHOLDS } from '../../src/detector/thresholds';
import { plantedSamples } from '../helpers/planted';

const duration = { thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95 };
const baseline = plantedSamples(1e-3, 200, 1);

describe('judgeMetric on planted samples', () => {
  it('passes unchanged code', () => {
    const verdict = judgeMetric('duration', baseline, plantedSamples(1e-3, 200, 2), duration);
    expect(verdict.status).toBe('pass');
    expect(verdict.regressionFactor).toBeCloseTo(1, 1);
  });

  it('flags a 1.3x slowdown as a warning', () => {
    const verdict = judgeMetric('duration', baseline, plantedSamples(1.3e-3, 200, 3), duration);
    expect(verdict.status).toBe('warning');
    expect(verdict.confidence).toBeGreaterThan(0.999);
  });

  it('flags a 1.6x slowdown as critical with an interval around the factor', () => {
    const verdict = judgeMetric('duration', baseline, plantedSamples(1.6e-3, 200, 4), duration);
    expect(verdict.status).toBe('critical');
    expect(verdict.regressionFactor).toBeCloseTo(1.6, 1);
    expect(verdict.factorInterval?.lower).toBeLessThan(verdict.regressionFactor ?? 0);
    expect(verdict.factorInterval?.upper).toBeGreaterThan(verdict.regressionFactor ?? 0);
    expect(verdict.factorInterval?.lower).toBeGreaterThan(1.5);
  });

  it('calls a large factor on weak evidence inconclusive', () => {
    // Three samples each, widely spread: the medians differ by 1.6x but the ranks overlap.
    const verdict = judgeMetric('duration', [1, 5, 9], [1.6, 8, 12], duration);
    expect(verdict.regressionFactor).toBeCloseTo(1.6, 5);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.confidence).toBeLessThan(0.95);
  });

  it('needs more evidence at a higher confidence', () => {
    const small = plantedSamples(1, 6, 5, 0.6);
    const slower = plantedSamples(1.4, 6, 6, 0.6);
    expect(judgeMetric('duration', small, slower, { ...duration, confidence: 0.9 }).status).toBe('warning');
    expect(judgeMetric('duration', small, slower, { ...duration, confidence: 0.999 }).status).toBe('inconclusive');
  });

  it('reports a clear speed-up as improved', () => {
    const verdict = judgeMetric('duration', baseline, plantedSamples(0.5e-3, 200, 7), duration);
    expect(verdict.status).toBe('improved');
  });

  it('honours a lowered warning threshold', () => {
    const current = plantedSamples(1.12e-3, 200, 8);
    expect(judgeMetric('duration', baseline, current, duration).status).toBe('pass');
    const strict = { ...duration, thresholds: { ...DEFAULT_THRESHOLDS.duration, warning: 1.1 } };
    expect(judgeMetric('duration', baseline, current, strict).status).toBe('warning');
  });

  it('lets memory regress only past the 1 MB floor', () => {
    const memory = { thresholds: DEFAULT_THRESHOLDS.memory, confidence: 0.95 };
    const smallBefore = plantedSamples(0.1, 100, 9);
    expect(judgeMetric('memory', smallBefore, plantedSamples(0.4, 100, 10), memory).status).toBe('pass');
    const bigBefore = plantedSamples(2, 100, 11);
    expect(judgeMetric('memory', bigBefore, plantedSamples(5, 100, 12), memory).status).toBe('critical');
  });

  it('treats growth from a zero baseline as an infinite factor without an interval', () => {
    const memory = { thresholds: DEFAULT_THRESHOLDS.memory, confidence: 0.95 };
    const verdict = judgeMetric('memory', Array(20).fill(0) as number[], plantedSamples(3, 20, 13), memory);
    expect(verdict.regressionFactor).toBe(Infinity);
    expect(verdict.factorInterval).toBeNull();
    expect(verdict.status).toBe('critical');
  });

  it('withholds the alarm when the machine itself ran as much slower (reference loop)', () => {
    const current = plantedSamples(1.6e-3, 200, 14);
    const verdict = judgeMetric('duration', baseline, current, { ...duration, machineFactor: 1.6 });
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toMatch(/machine itself ran 1\.60x slower/);
    expect(verdict.machineFactor).toBe(1.6);
  });

  it('still flags a slowdown the machine does not explain', () => {
    expect(judgeMetric('duration', baseline, plantedSamples(1.6e-3, 200, 15), { ...duration, machineFactor: 1.1 }).status).toBe('critical');
    expect(judgeMetric('duration', baseline, plantedSamples(2.2e-3, 200, 16), { ...duration, machineFactor: 1.5 }).status).toBe('critical');
  });

  it('withholds a slowdown no bigger than recent runs of the unchanged code showed', () => {
    const current = plantedSamples(1.5e-3, 200, 17);
    const verdict = judgeMetric('duration', baseline, current, { ...duration, recentRunCentres: [1e-3, 1.4e-3, 1.02e-3] });
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toMatch(/within 1\.2x of the slower recent runs of unchanged code \(3 runs since the baseline\)/);
  });

  it('flags a slowdown beyond the spread of recent runs', () => {
    const current = plantedSamples(1.6e-3, 200, 18);
    expect(judgeMetric('duration', baseline, current, { ...duration, recentRunCentres: [1e-3, 1.01e-3, 1.02e-3] }).status).toBe('critical');
  });
});

describe('runEnvelope', () => {
  it('needs two runs, takes the slowest of up to four, and ignores one outlier among five or more', () => {
    expect(runEnvelope([5])).toBeUndefined();
    expect(runEnvelope([1, 2, 3, 4])).toBe(4);
    expect(runEnvelope([1, 2, 3, 4, 9])).toBe(4);
  });
});
