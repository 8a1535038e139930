// npm run bench:tracker — perfguard's tracker side by side with tinybench and mitata.
// For each workload and each of 10 repeats, every tool measures the same function; the table
// shows the median (over repeats) of each tool's per-call median, and the coefficient of
// variation of those medians across repeats (how much a tool's answer moves run to run).
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { measure as mitataMeasure } from 'mitata';

const require = createRequire(import.meta.url);
const { measureFunction, summarizeSamples } = require('../dist/internals.js');

const REPEATS = Number(process.env.BENCH_REPEATS ?? 10);

function spin(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(i + (x % 7));
  return x;
}

function perCallNs(n) {
  spin(n);
  const times = [];
  for (let r = 0; r < 15; r++) {
    const calls = Math.max(1, Math.round(2e6 / Math.max(n, 1)));
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) spin(n);
    times.push(Number(process.hrtime.bigint() - start) / calls);
  }
  return times.sort((a, b) => a - b)[7];
}

function loopsFor(targetNs) {
  const per = perCallNs(100_000) / 100_000;
  return Math.max(1, Math.round(targetNs / per));
}

const n1us = loopsFor(1_000);
const n100us = loopsFor(100_000);
const n1ms = loopsFor(1_000_000);

const workloads = [
  { name: 'no-op', fn: () => {} },
  { name: '~1 µs', fn: () => spin(n1us) },
  { name: '~100 µs', fn: () => spin(n100us) },
  { name: '~1 ms', fn: () => spin(n1ms) },
  { name: 'async ~1 ms', fn: async () => spin(n1ms) },
];

const tools = {
  perfguard: async (fn) => summarizeSamples((await measureFunction(fn, 'bench')).samples.durationNs).median,
  tinybench: async (fn) => {
    const bench = new Bench({ time: 1000, warmupTime: 100 });
    bench.add('task', fn);
    await bench.run();
    return bench.tasks[0].result.latency.p50 * 1e6;
  },
  mitata: async (fn) => (await mitataMeasure(fn)).p50,
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function cv(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}

function formatNs(ns) {
  if (ns < 1_000) return `${ns.toFixed(2)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(3)} ms`;
}

const toolNames = Object.keys(tools);
const results = new Map(workloads.map((w) => [w.name, Object.fromEntries(toolNames.map((t) => [t, []]))]));
const started = Date.now();
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const workload of workloads) {
    // Rotate the order so no tool always runs first (cold) or last (after the others' garbage).
    const order = toolNames.map((_, i) => toolNames[(i + repeat) % toolNames.length]);
    for (const tool of order) {
      results.get(workload.name)[tool].push(await tools[tool](workload.fn));
    }
  }
  process.stderr.write(`repeat ${repeat + 1}/${REPEATS} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

const header = ['workload', ...toolNames.map((t) => `${t} median`), 'perfguard / mitata', ...toolNames.map((t) => `${t} CV`)];
const rows = workloads.map((w) => {
  const r = results.get(w.name);
  const medians = toolNames.map((t) => median(r[t]));
  return [
    w.name,
    ...medians.map(formatNs),
    (medians[0] / medians[2]).toFixed(3),
    ...toolNames.map((t) => `${(cv(r[t]) * 100).toFixed(2)} %`),
  ];
});
console.log(`node ${process.version}, ${REPEATS} repeats, gc ${typeof globalThis.gc === 'function' ? 'exposed' : 'not exposed'}`);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
