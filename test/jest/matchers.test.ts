import { perfguardMatchers } from '../../src/jest/matchers';
import { plantedReport } from '../helpers/reports';

expect.extend(perfguardMatchers);

describe('perfguard matchers', () => {
  const critical = plantedReport('slow_one', { status: 'critical' });
  const warning = plantedReport('slowish', { status: 'warning', regressionFactor: 1.3 });
  const fine = plantedReport('fine', { status: 'pass', regressionFactor: 1.01 });

  it('toHaveNoRegressions passes a report without regressions and fails one with them', () => {
    expect(fine).toHaveNoRegressions();
    expect(() => expect(critical).toHaveNoRegressions()).toThrow(/Expected 'slow_one' to have no regressions at or above warning, received:\n.*duration critical: 1\.00 ms → 1\.60 ms, 1\.60x \[1\.55, 1\.66\] slower, confidence 99\.99 %/);
  });

  it("toHaveNoRegressions({ failOn: 'critical' }) lets warnings through", () => {
    expect(warning).toHaveNoRegressions({ failOn: 'critical' });
    expect(() => expect(warning).toHaveNoRegressions()).toThrow(/duration warning/);
  });

  it('supports .not', () => {
    expect(critical).not.toHaveNoRegressions();
    expect(() => expect(fine).not.toHaveNoRegressions()).toThrow(/Expected 'fine' to have regressions, but it has none/);
  });

  it('toHaveStatus and toHaveMedianDurationBelow compare the report', () => {
    expect(critical).toHaveStatus('regression');
    expect(fine).not.toHaveStatus('regression');
    expect(fine).toHaveMedianDurationBelow(0.01);
    expect(() => expect(fine).toHaveMedianDurationBelow(0.0001)).toThrow(/Expected median: below 100 µs\nReceived median: 994 µs/);
  });

  it('says so when given something that is not a report', () => {
    expect(() => expect({ nope: true }).toHaveNoRegressions()).toThrow(/Expected a perfguard report \(what benchmark\(\) resolves to\)/);
  });
});
