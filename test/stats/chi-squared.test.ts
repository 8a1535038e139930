import { chiSquaredQuantile } from '../../src/stats';

describe('chiSquaredQuantile', () => {
  it('follows the tables closely for one and two degrees of freedom', () => {
    // Tables (Abramowitz and Stegun 26.4): the 10 % points are 0.01579 and 0.2107, the 95 % ones
    // 3.841 and 5.991. One degree of freedom squares a normal quantile, which simple-statistics'
    // probit gives to about 0.3 %.
    expect(chiSquaredQuantile(0.1, 1)).toBeCloseTo(0.01579, 4);
    expect(chiSquaredQuantile(0.1, 2)).toBeCloseTo(0.2107, 4);
    expect(Math.abs(chiSquaredQuantile(0.95, 1) / 3.841 - 1)).toBeLessThan(0.005);
    expect(chiSquaredQuantile(0.95, 2)).toBeCloseTo(5.991, 3);
  });

  it('follows the tables within 1.5 % from three degrees of freedom on', () => {
    // Table values: 10 % points 0.5844 (3), 2.204 (6), 20.60 (30); 90 % point 10.64 (6).
    for (const [p, df, table] of [
      [0.1, 3, 0.5844],
      [0.1, 6, 2.204],
      [0.1, 30, 20.6],
      [0.9, 6, 10.64],
    ] as const) {
      expect(Math.abs(chiSquaredQuantile(p, df) / table - 1)).toBeLessThan(0.015);
    }
  });

  it('refuses a probability or degrees of freedom out of range', () => {
    expect(() => chiSquaredQuantile(0, 3)).toThrow(/0 < p < 1/);
    expect(() => chiSquaredQuantile(0.5, 0)).toThrow(/degrees of freedom above 0/);
  });
});
