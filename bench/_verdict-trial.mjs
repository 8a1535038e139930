// One trial of `npm run bench:verdicts`, in its own process as in real use: measure the
// workload through perfguard's public `benchmark` (which starts this script again for its
// fresh-process rounds), then judge the same first measurement by the previous rule and the
// naive one, and print one JSON line.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { judgePrevious } from './_previous-rule.mjs';
import { WORKLOADS } from './_workloads.mjs';

const require = createRequire(import.meta.url);
const { PerformanceRegressionTester } = require('../dist/index.js');
const { SqliteStore, measureFunction, readRoundRole } = require('../dist/internals.js');

const [name, dbPath, mode, factorText, stateFile] = process.argv.slice(2);
// Planted share of each call's own time, in thousandths.
const extraPerMille = BigInt(Math.round((Number(factorText) - 1) * 1000));
const work = WORKLOADS[name].fn;
const hrtime = process.hrtime.bigint;

// A planted slowdown: after each call, busy time of a fixed share of that call's own time, so
// the code's shape and the JIT's view of it stay the same and the slowdown scales with the
// speed the code runs at in this process and moment, as more work in the code would: a
// neighbour that stretches the call stretches the planted time too. Unchanged trials go
// through the same wrapper with a share of 0, so its own cost (three clock reads a call) is in
// every trial alike.
const fn = () => {
  const start = hrtime();
  const result = work();
  const end = hrtime();
  const until = end + ((end - start) * extraPerMille) / 1000n;
  while (hrtime() < until) {
    // busy
  }
  return result;
};

const tester = new PerformanceRegressionTester({ store: dbPath });
const started = Date.now();
const report = await tester.benchmark(fn, name);
const elapsedMs = Date.now() - started;
await tester.close();
if (readRoundRole(process.env) !== undefined) process.exit(0);

const store = SqliteStore.open(dbPath, { readonly: true });
const result = store.reads.resultsOfTestInRun(report.runId, name).at(-1);
await store.close();
const samples = result.samples;
const duration = report.verdicts.find((verdict) => verdict.metricType === 'duration');
const rounds = report.notes.find((note) => note.code === 'rounds');
const line = {
  name,
  mode,
  status: report.status,
  duration: duration?.status,
  withheldBy: duration?.withheldBy ?? null,
  factor: duration?.regressionFactor ?? null,
  runs: report.processes.length,
  firstMedianNs: report.duration.median * 1e9,
  firstMeanNs: report.duration.mean * 1e9,
  benchmarkMs: elapsedMs,
  roundsMs: rounds === undefined ? 0 : Number(/in ([\d.]+) s/.exec(rounds.message)?.[1] ?? 0) * 1000,
  detectable: report.evidence?.detectableFactor ?? null,
  spread: report.evidence?.spread ?? null,
  groups: report.evidence?.groups.length ?? 0,
  machineProbeNs: report.machineProbeNs,
  memoryProbeNs: report.memoryProbeNs,
};

if (mode === 'found') {
  line.samples = samples;
} else {
  // The previous rule on the same first measurement, with its same-process re-measurement.
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const context = { machineFactor: state.baselineProbeNs > 0 && report.machineProbeNs > 0 ? report.machineProbeNs / state.baselineProbeNs : undefined, recentCentres: state.recentCentres };
  let previous = judgePrevious(state.samples, samples, context);
  if (previous.status === 'warning' || previous.status === 'critical') {
    const again = await measureFunction(fn, name, { warmupTime: 1000 });
    previous = judgePrevious(state.samples, again.samples, context);
  }
  line.previous = previous.status;
}
process.stdout.write(`${JSON.stringify(line)}\n`);
