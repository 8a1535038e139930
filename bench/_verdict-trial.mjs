// One trial of `npm run bench:verdicts`, in its own process as in real use: measure the
// workload, judge it against the stored baseline, print one JSON line.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PerformanceRegressionTester } = require('../dist/index.js');

const [name, loopsText, dbPath, mode] = process.argv.slice(2);
const loops = Number(loopsText);

function spin(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(i + (x % 7));
  return x;
}

const env = { ...process.env, UPDATE_PERFORMANCE_BASELINE: mode === 'baseline' ? 'true' : 'false' };
const tester = new PerformanceRegressionTester({ store: dbPath, env });
const baseline = mode === 'baseline' ? undefined : tester.detector.getBaseline(name);
const final = await tester.benchmark(() => spin(loops), name);
const store = tester.detector.getStore();
const [first] = store.resultsOfTestInRun(store.latestRun().id, name).map((result) => result.report);
const duration = (report) => report.verdicts.find((v) => v.metricType === 'duration');
process.stdout.write(
  `${JSON.stringify({
    name,
    loops,
    firstStatus: first.status,
    firstDuration: duration(first)?.status,
    finalStatus: final.status,
    finalDuration: duration(final)?.status,
    factor: duration(first)?.regressionFactor,
    meanRatio: baseline === undefined ? null : first.duration.mean / baseline.meanDuration,
    cv: first.duration.cv,
    samples: first.iterations,
  })}\n`,
);
tester.close();
