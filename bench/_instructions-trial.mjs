// One trial of `npm run bench:instructions`, in its own process as in real use: benchmark a
// workload through perfguard's public `benchmark` in the mode PERFGUARD_MODE names (under
// Valgrind for instructions, as `perfguard test --instructions` runs it), with the warning
// threshold at 1.01x, and print one JSON line. The planted slowdown is more of the same work:
// the workload called 100 times per benchmark call, or 102, 105, 130 times.
import { createRequire } from 'node:module';
import { WORKLOADS } from './_workloads.mjs';

const require = createRequire(import.meta.url);
const { PerformanceRegressionTester } = require('../dist/index.js');
const { readRoundRole } = require('../dist/internals.js');

const [name, dbPath, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText);
const work = WORKLOADS[name].fn;
const fn = () => {
  let sink = 0;
  for (let i = 0; i < repeats; i++) sink += Number(work()) || 0;
  return sink;
};

const tester = new PerformanceRegressionTester({ store: dbPath });
const started = Date.now();
const report = await tester.benchmark(fn, name, { thresholds: { duration: { warning: 1.01, critical: 1.5 } } });
const benchmarkMs = Date.now() - started;
await tester.close();
if (readRoundRole(process.env) !== undefined) process.exit(0);

const judged = report.verdicts.find((verdict) => verdict.metricType === (report.mode === 'instructions' ? 'instructions' : 'duration'));
process.stdout.write(
  `${JSON.stringify({
    name,
    repeats,
    mode: report.mode,
    status: report.status,
    verdict: judged?.status ?? null,
    factor: judged?.regressionFactor ?? null,
    centre: report.mode === 'instructions' ? report.instructions.median : report.duration.median,
    roundSpread: report.instructions?.roundSpread ?? null,
    detectable: report.evidence?.detectableFactor ?? null,
    runs: report.processes.length,
    notes: report.notes.map((note) => note.code),
    benchmarkMs,
  })}\n`,
);
