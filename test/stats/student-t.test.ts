import { studentTCdf, studentTQuantile } from '../../src/stats/student-t';

// Reference values: scipy.stats.t.ppf (SciPy 1.17), which agree with printed t tables.
describe('studentTQuantile', () => {
  it.each([
    [0.975, 3, 3.18244631],
    [0.975, 5, 2.57058184],
    [0.975, 10, 2.22813885],
    [0.975, 30, 2.04227246],
    [0.95, 1, 6.31375151],
    [0.95, 2, 2.91998558],
    [0.99, 4, 3.74694739],
  ])('gives the %p quantile with %p degrees of freedom as %p', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 6);
  });

  it('is symmetric around zero', () => {
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-studentTQuantile(0.975, 10), 10);
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
  });
});

describe('studentTCdf', () => {
  // Reference: scipy.stats.t.cdf(2.0, 5) = 0.9490302605850709.
  it('gives P(T <= 2) with 5 degrees of freedom as 0.94903', () => {
    expect(studentTCdf(2, 5)).toBeCloseTo(0.9490302606, 8);
  });
});
