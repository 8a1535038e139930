import { summarizeSamples } from '../../src/stats/summarize-samples';

// Reference values: numpy 2.4 (np.std ddof=1, np.percentile linear, median of |x - median|).
describe('summarizeSamples', () => {
  const data = [5, 2, 9, 4, 4, 7, 4, 5];

  it('gives the usual statistics', () => {
    const summary = summarizeSamples(data);
    expect(summary.count).toBe(8);
    expect(summary.mean).toBeCloseTo(5, 10);
    expect(summary.std).toBeCloseTo(2.138089935, 8);
    expect(summary.min).toBe(2);
    expect(summary.max).toBe(9);
    expect(summary.median).toBeCloseTo(4.5, 10);
  });

  it('gives quantiles by linear interpolation like numpy', () => {
    const summary = summarizeSamples(data);
    expect(summary.p75).toBeCloseTo(5.5, 10);
    expect(summary.p95).toBeCloseTo(8.3, 10);
    expect(summary.p99).toBeCloseTo(8.86, 10);
    expect(summary.iqr).toBeCloseTo(1.5, 10);
  });

  it('gives robust spread: MAD and coefficient of variation', () => {
    const summary = summarizeSamples(data);
    expect(summary.mad).toBeCloseTo(0.5, 10);
    expect(summary.cv).toBeCloseTo(2.138089935 / 5, 8);
  });

  it('counts outliers beyond 1.5 IQR from the quartiles', () => {
    const summary = summarizeSamples([10, 11, 10, 12, 11, 10, 11, 50, 1]);
    expect(summary.outliers).toEqual({ low: 1, high: 1 });
  });

  it('gives the t interval of the mean (scipy: 3.3341 to 7.6659 for 1..10)', () => {
    const summary = summarizeSamples([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(summary.meanCi.lower).toBeCloseTo(3.334149, 3);
    expect(summary.meanCi.upper).toBeCloseTo(7.665851, 3);
  });

  it('gives the order-statistic interval of the median (n = 20: 6th to 15th, level 0.9586)', () => {
    const summary = summarizeSamples(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(summary.medianCi.lower).toBe(6);
    expect(summary.medianCi.upper).toBe(15);
    expect(summary.medianCi.level).toBeCloseTo(0.9586105, 6);
  });

  it('falls back to [min, max] with its achieved level when there are too few samples', () => {
    const summary = summarizeSamples([3, 1, 2, 4, 5]);
    expect(summary.medianCi).toEqual({ lower: 1, upper: 5, level: 1 - 2 / 32 });
  });

  it('leaves the coefficient of variation undefined for a mean of zero', () => {
    expect(summarizeSamples([-1, 1]).cv).toBeNull();
  });

  it('handles a single sample', () => {
    const summary = summarizeSamples([42]);
    expect(summary.std).toBe(0);
    expect(summary.meanCi).toEqual({ lower: 42, upper: 42, level: 0.95 });
  });

  it('refuses no samples', () => {
    expect(() => summarizeSamples([])).toThrow(RangeError);
  });
});
