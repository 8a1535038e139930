// npm run bench:verdicts — the proof of the run-level rule. For each workload (allocation, Map,
// regular expressions, JSON, a bimodal JIT/VM-sensitive one, a steady arithmetic control) and
// each condition (quiet, noisy neighbours), in a store of its own:
//   1. a baseline founded (3 fresh processes) while a noisy neighbour runs;
//   2. a history of HISTORY unchanged runs;
//   3. TRIALS each of unchanged code, a planted 1.3x and a planted 1.6x slowdown, interleaved.
//      Unchanged trials write to the store, as main's runs do; a planted trial is judged on a copy
//      of it that is then thrown away, as the CI workflow judges a pull request against main's
//      baselines without uploading them, so no trial is judged against earlier planted ones;
//   4. MERGED runs of the 1.3x slowdown written to the store, as main runs after the slowdown is
//      merged: is it flagged on its first run, and does it keep being flagged or get absorbed?
// Every trial is a separate Node process measuring through the public `benchmark`, with its
// fresh-process rounds. Side by side: the new rule, the previous rule (samples of one process,
// Mann–Whitney, three guards, a same-process re-measurement) and the naive ratio of means.
// BENCH_TRIALS, BENCH_HISTORY, BENCH_ONLY=alloc,json and BENCH_CONDITIONS=quiet pick less;
// BENCH_KEEP=1 keeps the stores.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './_workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TRIALS = Number(process.env.BENCH_TRIALS ?? 20);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 20);
const MERGED = Number(process.env.BENCH_MERGED ?? 5);
const ONLY = process.env.BENCH_ONLY?.split(',');
const CONDITIONS = (process.env.BENCH_CONDITIONS ?? 'quiet,noisy').split(',');
const workloads = Object.keys(WORKLOADS).filter((name) => ONLY === undefined || ONLY.includes(name));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-verdicts-'));
let trialCount = 0;

// A pull request's run: judged against the store as it stands, written to a copy thrown away.
function prTrial(name, db, factor, stateFile) {
  const copy = `${db.slice(0, -3)}-pr.db`;
  for (const suffix of ['', '-wal']) if (fs.existsSync(db + suffix)) fs.copyFileSync(db + suffix, copy + suffix);
  try {
    return trial(name, copy, 'judge', factor, stateFile);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
  }
}

function trial(name, db, mode, factor, stateFile) {
  const env = { ...process.env, GITHUB_SHA: `trial-${++trialCount}`, PERFGUARD_RUN_ID: '', UPDATE_PERFORMANCE_BASELINE: mode === 'found' ? 'true' : 'false' };
  const output = execFileSync(process.execPath, ['--expose-gc', path.join(here, '_verdict-trial.mjs'), name, db, mode, String(factor), stateFile], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').at(-1));
}

// Three neighbours burning CPU in random 50–500 ms bursts on the 2 cores, as on a shared runner.
const NEIGHBOUR = `
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  const busyUntil = Date.now() + 50 + Math.random() * 450;
  while (Date.now() < busyUntil) {}
  Atomics.wait(pause, 0, 0, 50 + Math.random() * 450);
}`;

function startNoise() {
  return [0, 1, 2].map(() => spawn(process.execPath, ['-e', NEIGHBOUR], { stdio: 'ignore' }));
}

function stopNoise(neighbours) {
  for (const neighbour of neighbours) neighbour.kill();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = [];
const started = Date.now();
for (const condition of CONDITIONS) {
  for (const name of workloads) {
    const db = path.join(dir, `${condition}-${name}.db`);
    const stateFile = path.join(dir, `${condition}-${name}.json`);
    const foundingNoise = startNoise();
    let founding;
    try {
      founding = trial(name, db, 'found', 1, stateFile);
    } finally {
      stopNoise(foundingNoise);
    }
    const state = { samples: founding.samples, baselineProbeNs: founding.machineProbeNs, recentCentres: [] };
    const baselineMeanNs = founding.firstMeanNs;
    const neighbours = condition === 'noisy' ? startNoise() : [];
    const schedule = [
      ...Array.from({ length: HISTORY }, () => ({ kind: 'A/A', factor: 1, phase: 'history' })),
      ...Array.from({ length: TRIALS }, () => [
        { kind: 'A/A', factor: 1, phase: 'trial' },
        { kind: '1.3x', factor: 1.3, phase: 'trial' },
        { kind: '1.6x', factor: 1.6, phase: 'trial' },
      ]).flat(),
      ...Array.from({ length: MERGED }, () => ({ kind: 'merged 1.3x', factor: 1.3, phase: 'merged' })),
    ];
    try {
      for (const [index, step] of schedule.entries()) {
        fs.writeFileSync(stateFile, JSON.stringify(state));
        const pullRequest = step.phase === 'trial' && step.factor > 1;
        const outcome = pullRequest ? prTrial(name, db, step.factor, stateFile) : trial(name, db, 'judge', step.factor, stateFile);
        results.push({ condition, name, ...step, ...outcome, naive: outcome.firstMeanNs / baselineMeanNs });
        // The previous rule learnt the spread of runs it accepted (on main, not from pull requests).
        if (!pullRequest && outcome.previous !== 'warning' && outcome.previous !== 'critical') state.recentCentres = [...state.recentCentres, outcome.firstMedianNs].slice(-10);
        process.stderr.write(`\r${condition} ${name}: ${index + 1}/${schedule.length} (${((Date.now() - started) / 60000).toFixed(1)} min)   `);
      }
    } finally {
      stopNoise(neighbours);
    }
    process.stderr.write('\n');
  }
}

const pct = (rows, test) => (rows.length === 0 ? '–' : `${((rows.filter(test).length / rows.length) * 100).toFixed(1)} %`);
const flagged = (s) => s === 'warning' || s === 'critical';
// A verdict can flag only a slowdown its runs read at or past the warning threshold: what a
// planted 1.3x loses below it is the runs' wander, whatever the rule; the rest, the rule's guards.
const reachesWarning = (r) => (r.factor ?? 0) >= 1.2;
const rules = [
  ['new rule (runs)', (r) => r.duration],
  ['previous rule', (r) => r.previous],
  ['naive ratio of means', (r) => (r.naive >= 1.5 ? 'critical' : r.naive >= 1.2 ? 'warning' : 'pass')],
];

console.log(`node ${process.version}, ${os.cpus().length} cores; per workload and condition: a baseline founded under a noisy neighbour, ${HISTORY} unchanged runs, then ${TRIALS} each of unchanged (written to the store), 1.3x and 1.6x (pull requests: judged on a copy), interleaved, then ${MERGED} runs of the 1.3x merged (written); one process per trial`);
console.log('');
console.log('| condition | workload | rule | unchanged: false alarms | 1.3x flagged | 1.6x critical | median factor unchanged · 1.3x · 1.6x |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const condition of CONDITIONS) {
  for (const name of workloads) {
    const of = (kind) => results.filter((r) => r.condition === condition && r.name === name && r.kind === kind);
    const factors = ['A/A', '1.3x', '1.6x'].map((kind) => median(of(kind).map((r) => r.factor ?? NaN)).toFixed(2)).join(' · ');
    for (const [rule, verdict] of rules) {
      console.log(
        `| ${condition} | ${name} | ${rule} | ${pct(of('A/A'), (r) => flagged(verdict(r)))} | ${pct(of('1.3x'), (r) => flagged(verdict(r)))}${rule.startsWith('new') ? ` (${pct(of('1.3x'), reachesWarning)} read ≥ 1.2x)` : ''} | ${pct(of('1.6x'), (r) => verdict(r) === 'critical')} | ${rule.startsWith('new') ? factors : ''} |`,
      );
    }
  }
}

console.log('');
console.log('New rule, per workload and condition: the spread between unchanged runs, the detectable effect, speeds, and what confirmation cost');
console.log('');
console.log('| condition | workload | spread of runs (±) | detectable factor | speeds seen | unchanged confirmed in rounds | rounds time / own time (flagged) | planted: flagged · inconclusive (withheld by) · missed |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const condition of CONDITIONS) {
  for (const name of workloads) {
    const rows = results.filter((r) => r.condition === condition && r.name === name);
    const last = rows.filter((r) => r.phase === 'trial');
    const spread = median(last.map((r) => r.spread ?? NaN));
    const detectable = median(last.map((r) => r.detectable ?? NaN));
    const speeds = Math.max(...rows.map((r) => r.groups));
    const aa = rows.filter((r) => r.kind === 'A/A');
    const confirmed = pct(aa, (r) => r.runs > 1);
    const costs = rows.filter((r) => r.runs > 1 && r.benchmarkMs > r.roundsMs).map((r) => r.roundsMs / (r.benchmarkMs - r.roundsMs));
    const planted = rows.filter((r) => r.phase === 'trial' && r.kind !== 'A/A');
    const missedRows = planted.filter((r) => !flagged(r.duration) && r.duration !== 'inconclusive');
    const withheld = [...new Set(planted.filter((r) => r.duration === 'inconclusive').map((r) => r.withheldBy))].join(', ');
    console.log(
      `| ${condition} | ${name} | ${Number.isFinite(spread) ? `${((Math.exp(spread) - 1) * 100).toFixed(1)} %` : '–'} | ${Number.isFinite(detectable) ? `${detectable.toFixed(2)}x` : '–'} | ${speeds} | ${confirmed} | ${costs.length === 0 ? '–' : `${median(costs).toFixed(2)}x`} | ${planted.filter((r) => flagged(r.duration)).length} · ${planted.filter((r) => r.duration === 'inconclusive').length}${withheld === '' ? '' : ` (${withheld})`} · ${missedRows.length} |`,
    );
  }
}
if (MERGED > 0) {
  console.log('');
  console.log(`A 1.3x slowdown merged: ${MERGED} runs written to the store one after another, as main runs after the merge (w warning, c critical, i inconclusive, p pass)`);
  console.log('');
  console.log('| condition | workload | runs flagged | verdicts in order | factors |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const condition of CONDITIONS) {
    for (const name of workloads) {
      const rows = results.filter((r) => r.condition === condition && r.name === name && r.phase === 'merged');
      console.log(`| ${condition} | ${name} | ${rows.filter((r) => flagged(r.duration)).length} of ${rows.length} | ${rows.map((r) => r.duration[0]).join(' ')} | ${rows.map((r) => (r.factor ?? NaN).toFixed(2)).join(' ')} |`);
    }
  }
}
console.log('');
console.log('The detectable factor as a promise: of the planted trials whose report showed a detectable factor at or below the planted slowdown, how many were flagged (it promises 9 in 10)');
console.log('');
console.log('| planted | promised | flagged | share flagged | planted trials |');
console.log('| --- | --- | --- | --- | --- |');
for (const [kind, factor] of [['1.3x', 1.3], ['1.6x', 1.6]]) {
  const planted = results.filter((r) => r.kind === kind);
  const promised = planted.filter((r) => r.detectable !== null && r.detectable <= factor);
  const kept = promised.filter((r) => flagged(r.duration)).length;
  console.log(`| ${kind} | ${promised.length} | ${kept} | ${pct(promised, (r) => flagged(r.duration))} | ${planted.length} |`);
}
const all = results.filter((r) => r.kind === 'A/A');
console.log('');
console.log(
  `All conditions: unchanged runs falsely alarmed ${all.filter((r) => flagged(r.duration)).length} of ${all.length} (new rule, wall time), ${all.filter((r) => r.status === 'regression').length} (new rule, any metric: the test fails), ${all.filter((r) => flagged(r.previous)).length} of ${all.length} (previous rule); ${((Date.now() - started) / 60000).toFixed(0)} min`,
);
fs.writeFileSync(path.join(here, 'results-verdicts.json'), JSON.stringify(results));
// BENCH_KEEP=1 keeps the stores, to replay their runs through another build of the rule.
if (process.env.BENCH_KEEP === '1') console.error(`stores kept in ${dir}`);
else fs.rmSync(dir, { recursive: true, force: true });
