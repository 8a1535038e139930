import { ConfigError } from '../../src/errors';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../src/detector/thresholds';

describe('resolveThresholds', () => {
  it('starts from the documented defaults', () => {
    expect(resolveThresholds()).toEqual({
      duration: { warning: 1.2, critical: 1.5, minimumDelta: 0 },
      memory: { warning: 1.3, critical: 2, minimumDelta: 1 },
      cpu: { warning: 1.25, critical: 1.5, minimumDelta: 0 },
    });
  });

  it('applies overrides without touching the defaults', () => {
    const thresholds = resolveThresholds({ duration: { warning: 1.1 } });
    expect(thresholds.duration.warning).toBe(1.1);
    expect(DEFAULT_THRESHOLDS.duration.warning).toBe(1.2);
  });

  it.each([
    [{ duration: { warning: 1 } }, /`thresholds.duration.warning` must be a factor above 1/],
    [{ duration: { warning: 1.6 } }, /`thresholds.duration.critical` must be above `thresholds.duration.warning` \(1.6\), received 1.5/],
    [{ memory: { minimumDelta: -1 } }, /`thresholds.memory.minimumDelta` must be a number of zero or more/],
    [{ latency: { warning: 1.1 } }, /unknown option `latency`/],
    [{ duration: { warn: 1.1 } }, /unknown option `warn`\. Did you mean `warning`\?/],
  ])('refuses %p', (overrides, message) => {
    expect(() => resolveThresholds(overrides as never)).toThrow(ConfigError);
    expect(() => resolveThresholds(overrides as never)).toThrow(message);
  });
});
