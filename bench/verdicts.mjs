// npm run bench:verdicts — how often perfguard's detector and the naive rule raise false
// alarms on unchanged code and catch planted slowdowns. Every trial is a separate Node
// process measuring against a baseline stored in a real SQLite file, as in real use.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TRIALS = Number(process.env.BENCH_TRIALS ?? 30);
const ONLY = process.env.BENCH_ONLY?.split(',');
// Conditions: 'quiet' (nothing else running) and 'noisy' (three neighbours that burn CPU in
// random bursts of 50-500 ms on 2 cores, as on a shared CI runner). BENCH_CONDITIONS picks some.
const CONDITIONS = (process.env.BENCH_CONDITIONS ?? 'quiet,noisy').split(',');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-verdicts-'));
const db = path.join(dir, 'verdicts.db');

function spin(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(i + (x % 7));
  return x;
}

function loopsFor(targetNs) {
  const n = 200_000;
  const times = [];
  for (let r = 0; r < 21; r++) {
    const start = process.hrtime.bigint();
    spin(n);
    times.push(Number(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  return Math.max(1, Math.round((targetNs / times[10]) * n));
}

const workloads = [
  { name: '~5 µs', targetNs: 5_000 },
  { name: '~200 µs', targetNs: 200_000 },
  { name: '~5 ms', targetNs: 5_000_000 },
].filter((w) => ONLY === undefined || ONLY.includes(w.name));

function trial(name, loops, mode) {
  const output = execFileSync(process.execPath, ['--expose-gc', path.join(here, '_verdict-trial.mjs'), name, String(loops), db, mode], {
    encoding: 'utf8',
    env: { ...process.env, PERFGUARD_RUN_ID: '' },
  });
  return JSON.parse(output.trim().split('\n').at(-1));
}

const NEIGHBOUR = `
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  const busyUntil = Date.now() + 50 + Math.random() * 450;
  while (Date.now() < busyUntil) {}
  Atomics.wait(pause, 0, 0, 50 + Math.random() * 450);
}`;

function startNoise(condition) {
  if (condition !== 'noisy') return [];
  return [0, 1, 2].map(() => spawn(process.execPath, ['-e', NEIGHBOUR], { stdio: 'ignore' }));
}

const kinds = [
  { kind: 'A/A', factor: 1 },
  { kind: '1.3x', factor: 1.3 },
  { kind: '1.6x', factor: 1.6 },
];
const results = [];
const started = Date.now();
for (const condition of CONDITIONS) {
  for (const workload of workloads) {
    const loops = loopsFor(workload.targetNs);
    trial(workload.name, loops, 'baseline');
    const neighbours = startNoise(condition);
    try {
      for (let t = 0; t < TRIALS; t++) {
        // Interleave the kinds so a drift of the machine touches all of them alike.
        for (const { kind, factor } of kinds) {
          results.push({ condition, workload: workload.name, kind, ...trial(workload.name, Math.round(loops * factor), 'judge') });
        }
        process.stderr.write(`\r${condition} ${workload.name}: trial ${t + 1}/${TRIALS} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    } finally {
      for (const neighbour of neighbours) neighbour.kill();
    }
    process.stderr.write('\n');
  }
}

const share = (rows, test) => (rows.length === 0 ? NaN : rows.filter(test).length / rows.length);
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const flagged = (status) => status === 'warning' || status === 'critical';

console.log(`node ${process.version}, ${os.cpus().length} cores, ${TRIALS} trials per kind and workload, one process per trial`);
console.log('| condition | workload | rule | A/A false alarms | 1.3x flagged ≥ warning | 1.6x flagged critical | median factor A/A · 1.3x · 1.6x |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const condition of CONDITIONS) {
  for (const workload of workloads) {
    const of = (kind) => results.filter((r) => r.condition === condition && r.workload === workload.name && r.kind === kind);
    const factors = kinds.map(({ kind }) => median(of(kind).map((r) => r.factor)).toFixed(3)).join(' · ');
    const rules = [
      ['perfguard detector', (r) => r.firstStatus === 'regression', (r) => flagged(r.firstDuration), (r) => r.firstDuration === 'critical'],
      ['perfguard + re-measure', (r) => r.finalStatus === 'regression', (r) => flagged(r.finalDuration), (r) => r.finalDuration === 'critical'],
      ['naive ratio of means', (r) => r.meanRatio >= 1.2, (r) => r.meanRatio >= 1.2, (r) => r.meanRatio >= 1.5],
    ];
    for (const [rule, aa, warn, crit] of rules) {
      console.log(
        `| ${condition} | ${workload.name} | ${rule} | ${pct(share(of('A/A'), aa))} | ${pct(share(of('1.3x'), warn))} | ${pct(share(of('1.6x'), crit))} | ${factors} |`,
      );
    }
  }
}
fs.rmSync(dir, { recursive: true, force: true });
