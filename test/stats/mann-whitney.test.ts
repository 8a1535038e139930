import { mannWhitneyGreater } from '../../src/stats/mann-whitney';

// Reference p-values: scipy.stats.mannwhitneyu(current, baseline, alternative='greater').
describe('mannWhitneyGreater', () => {
  it('gives the exact p-value 1/20 when three current samples all exceed three baseline samples', () => {
    const result = mannWhitneyGreater([1, 2, 3], [4, 5, 6]);
    expect(result.method).toBe('exact');
    expect(result.u).toBe(9);
    expect(result.pValue).toBeCloseTo(0.05, 10);
    expect(result.probabilityOfSuperiority).toBe(1);
  });

  it('matches scipy for interleaved samples with the exact method (p = 1/7)', () => {
    const result = mannWhitneyGreater([1, 2, 3, 4, 6.5], [2.5, 5, 6, 7.5]);
    expect(result.u).toBe(15);
    expect(result.pValue).toBeCloseTo(0.142857142857, 8);
  });

  it('uses the tie-corrected normal approximation when values are tied (scipy: 0.0064999)', () => {
    const result = mannWhitneyGreater([1, 2, 2, 3, 3, 3, 4], [3, 4, 4, 5, 5, 6]);
    expect(result.method).toBe('normal');
    expect(result.u).toBe(38.5);
    expect(result.pValue).toBeCloseTo(0.0064999, 5);
  });

  it('finds no evidence of a slowdown when current is faster', () => {
    expect(mannWhitneyGreater([4, 5, 6], [1, 2, 3]).pValue).toBeCloseTo(1, 10);
  });

  it('finds no evidence when every value is the same', () => {
    const same = Array.from({ length: 60 }, () => 7);
    expect(mannWhitneyGreater(same, same).pValue).toBe(1);
  });

  it('detects a small shift in large samples with the normal approximation', () => {
    const baseline = Array.from({ length: 500 }, (_, i) => 100 + (i % 50));
    const current = baseline.map((value) => value * 1.05);
    const result = mannWhitneyGreater(baseline, current);
    expect(result.method).toBe('normal');
    expect(result.pValue).toBeLessThan(0.01);
  });

  it('refuses empty samples', () => {
    expect(() => mannWhitneyGreater([], [1])).toThrow(RangeError);
  });
});
