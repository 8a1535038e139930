import { ConfigError } from '../../src/errors';
import { readUpdateBaselineFlag } from '../../src/runner/update-baseline-flag';

describe('readUpdateBaselineFlag', () => {
  it.each(['true', '1', 'yes', 'TRUE', ' Yes '])('updates baselines for %p', (value) => {
    expect(readUpdateBaselineFlag({ UPDATE_PERFORMANCE_BASELINE: value })).toBe(true);
  });

  it.each(['false', '0', 'no', ''])('judges for %p', (value) => {
    expect(readUpdateBaselineFlag({ UPDATE_PERFORMANCE_BASELINE: value })).toBe(false);
  });

  it('judges when the variable is unset', () => {
    expect(readUpdateBaselineFlag({})).toBe(false);
  });

  it.each(['maybe', 'on', 'y'])('refuses %p, naming the variable', (value) => {
    expect(() => readUpdateBaselineFlag({ UPDATE_PERFORMANCE_BASELINE: value })).toThrow(ConfigError);
    expect(() => readUpdateBaselineFlag({ UPDATE_PERFORMANCE_BASELINE: value })).toThrow(/UPDATE_PERFORMANCE_BASELINE/);
  });
});
