import { bootstrapRatioInterval } from '../../src/stats/bootstrap';
import { createSeededRandom } from '../../src/stats/random';

function noisy(centre: number, n: number, seed: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => centre * (1 + 0.05 * (random() - 0.5)));
}

describe('bootstrapRatioInterval', () => {
  it('brackets the true ratio of a planted 1.5x slowdown', () => {
    const interval = bootstrapRatioInterval(noisy(100, 200, 1), noisy(150, 200, 2));
    expect(interval.lower).toBeLessThan(1.5);
    expect(interval.upper).toBeGreaterThan(1.5);
    expect(interval.upper - interval.lower).toBeLessThan(0.05);
  });

  it('brackets 1 when nothing changed', () => {
    const interval = bootstrapRatioInterval(noisy(100, 200, 3), noisy(100, 200, 4));
    expect(interval.lower).toBeLessThan(1);
    expect(interval.upper).toBeGreaterThan(1);
  });

  it('gives the same interval for the same samples', () => {
    const baseline = noisy(100, 50, 5);
    const current = noisy(120, 50, 6);
    expect(bootstrapRatioInterval(baseline, current)).toEqual(bootstrapRatioInterval(baseline, current));
  });

  it('widens when the confidence level rises', () => {
    const baseline = noisy(100, 50, 7);
    const current = noisy(110, 50, 8);
    const narrow = bootstrapRatioInterval(baseline, current, { level: 0.8 });
    const wide = bootstrapRatioInterval(baseline, current, { level: 0.99 });
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
  });
});
