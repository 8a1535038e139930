import { closeDefaultTester, getDefaultTester } from '../../src/runner';
import { PerformanceRegressionTester } from '../../src/runner/performance-regression-tester';

describe('the default tester', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is closed by closeDefaultTester and opened afresh by the next helper call', async () => {
    const close = jest.spyOn(PerformanceRegressionTester.prototype, 'close');
    const first = getDefaultTester();
    expect(getDefaultTester()).toBe(first);

    await closeDefaultTester();
    expect(close).toHaveBeenCalledTimes(1);
    expect(close.mock.contexts[0]).toBe(first);

    const second = getDefaultTester();
    expect(second).not.toBe(first);
    await closeDefaultTester();
    expect(close).toHaveBeenCalledTimes(2);
  });

  it('closes nothing when no helper was used', async () => {
    const close = jest.spyOn(PerformanceRegressionTester.prototype, 'close');
    await closeDefaultTester();
    expect(close).not.toHaveBeenCalled();
  });
});
