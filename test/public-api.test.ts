import * as perfguard from '../src/index';

// Every value the root entry exports. A new export is a decision: add it here and to README's
// "The public API" table, or put it under perfguard/internals.
const PUBLIC_VALUES = [
  'ConfigError',
  'DEFAULT_THRESHOLDS',
  'DuplicateNameError',
  'FakeTimersError',
  'InstructionsModeError',
  'MeasurementError',
  'PerfguardError',
  'PerformanceRegressionDetector',
  'PerformanceRegressionTester',
  'StoreError',
  'benchmark',
  'isConfigError',
  'isFailing',
  'isInstructionsModeError',
  'isMeasurementError',
  'isPerfguardError',
  'isStoreError',
  'measure',
  'outcomeOf',
  'performanceTest',
];

describe('the public API', () => {
  it('exports exactly the listed values from the root entry, at most 25', () => {
    expect(Object.keys(perfguard).sort()).toEqual([...PUBLIC_VALUES].sort());
    expect(PUBLIC_VALUES.length).toBeLessThanOrEqual(25);
  });
});
