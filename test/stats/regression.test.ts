import { slopeUpperBound, studentTQuantile } from '../../src/stats';

describe('slopeUpperBound', () => {
  it('is the least-squares slope plus t × its standard error, on n − 2 degrees of freedom', () => {
    // y = 2x + 1 with residuals +0.1, −0.1, −0.1, +0.1: slope 2, residual variance 0.04 / 2.
    const points: [number, number][] = [
      [0, 1.1],
      [1, 2.9],
      [2, 4.9],
      [3, 7.1],
    ];
    const sxx = 5;
    const s = Math.sqrt(0.04 / 2);
    expect(slopeUpperBound(points, 0.95)).toBeCloseTo(2 + (studentTQuantile(0.95, 2) * s) / Math.sqrt(sxx), 10);
  });

  it('takes the residual spread as at least the floor, so an exact line cannot claim an exact slope', () => {
    const line: [number, number][] = [0, 1, 2, 3, 4].map((x) => [x, 0.5 * x]);
    expect(slopeUpperBound(line, 0.95)).toBeCloseTo(0.5, 10);
    expect(slopeUpperBound(line, 0.95, 0.1)).toBeCloseTo(0.5 + (studentTQuantile(0.95, 3) * 0.1) / Math.sqrt(10), 10);
  });

  it('says nothing with fewer than three points or an x that does not vary', () => {
    expect(slopeUpperBound([], 0.95)).toBeNull();
    expect(
      slopeUpperBound(
        [
          [0, 1],
          [1, 2],
        ],
        0.95,
      ),
    ).toBeNull();
    expect(
      slopeUpperBound(
        [
          [2, 1],
          [2, 5],
          [2, 3],
        ],
        0.95,
      ),
    ).toBeNull();
  });
});
