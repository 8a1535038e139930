// The matchers are typed for @jest/globals as well as for the @types/jest globals:
// `npm run typecheck` compiles this file, so a broken `declare module 'expect'` fails it.
import { expect as jestExpect, test as jestTest } from '@jest/globals';
import { perfguardMatchers } from '../../src/jest/matchers';
import { plantedReport } from '../helpers/reports';

jestExpect.extend(perfguardMatchers);

jestTest('the matchers are callable through @jest/globals', () => {
  const report = plantedReport('fine', { status: 'pass', regressionFactor: 1 });
  jestExpect(report).toHaveNoRegressions({ failOn: 'critical' });
  jestExpect(report).toHaveStatus('pass');
  jestExpect(report).toHaveMedianDurationBelow(1);
});
