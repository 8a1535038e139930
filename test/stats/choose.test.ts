import { choose } from '../../src/stats';

describe('choose', () => {
  it('counts the ways of picking k of n', () => {
    expect(choose(3, 2)).toBe(3);
    expect(choose(32, 2)).toBe(496);
    expect(choose(33, 3)).toBe(5456);
    expect(choose(5, 0)).toBe(1);
    expect(choose(5, 5)).toBe(1);
  });

  it('is 0 outside 0 ≤ k ≤ n', () => {
    expect(choose(3, 4)).toBe(0);
    expect(choose(3, -1)).toBe(0);
  });
});
