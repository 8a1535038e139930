// src/jest/setup.ts, loaded as Jest loads `perfguard/jest` (setupFilesAfterEnv).
describe('perfguard/jest', () => {
  it('registers closing the default tester after each test file', async () => {
    const registered: (() => Promise<void>)[] = [];
    const globals = globalThis as unknown as { afterAll: (fn: () => Promise<void>) => void };
    const jestAfterAll = globals.afterAll;
    globals.afterAll = (fn) => registered.push(fn);
    try {
      await jest.isolateModulesAsync(async () => {
        const runner = await import('../../src/runner');
        await import('../../src/jest/setup');
        expect(registered).toEqual([runner.closeDefaultTester]);
      });
    } finally {
      globals.afterAll = jestAfterAll;
    }
  });
});
