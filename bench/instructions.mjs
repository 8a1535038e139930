// npm run bench:instructions — the two measuring modes side by side on the same workloads
// (allocation, Map, regular expressions, JSON, a bimodal JIT/VM-sensitive one, steady
// arithmetic). For each workload and mode, in a store of its own: a baseline founded in a
// fresh process, then TRIALS rounds of four fresh processes each, interleaved: unchanged code
// and planted 1.02x, 1.05x and 1.3x slowdowns. A benchmark call runs the workload 100 times;
// the planted ones run it 102, 105 and 130 times: more of the same work, so an instruction
// count grows by the same factor in every process (a busy wait would not). Every trial uses the
// public `benchmark` with the warning threshold at 1.01x (critical 1.5x); instructions trials
// run under Valgrind as `perfguard test --instructions` runs them.
// Columns: the spread of unchanged runs between fresh processes (CV of their medians), false
// alarms on unchanged code, how often each planted slowdown was flagged (warning or critical;
// time mode's inconclusive verdicts in brackets), the median factor measured, and the median
// wall time of one benchmark. BENCH_TRIALS (default 5), BENCH_ONLY=json,map and
// BENCH_MODES=instructions pick less. Figures go to bench/results-instructions.json.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './_workloads.mjs';

const require = createRequire(import.meta.url);
const instructions = require('../dist/tracker/instructions/index.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const ONLY = process.env.BENCH_ONLY?.split(',');
const MODES = (process.env.BENCH_MODES ?? 'time,instructions').split(',');
const BASE = 100;
const PLANTED = [
  { label: 'unchanged', repeats: BASE },
  { label: '1.02x', repeats: 102 },
  { label: '1.05x', repeats: 105 },
  { label: '1.3x', repeats: 130 },
];
const workloads = Object.keys(WORKLOADS).filter((name) => ONLY === undefined || ONLY.includes(name));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-modes-'));
let trialCount = 0;

function trial(mode, name, repeats, isFounding) {
  const env = {
    ...process.env,
    GITHUB_SHA: `trial-${++trialCount}`,
    PERFGUARD_RUN_ID: '',
    PERFGUARD_MODE: mode,
    UPDATE_PERFORMANCE_BASELINE: isFounding ? 'true' : 'false',
  };
  const db = path.join(dir, `${mode}-${name}.db`);
  const script = [path.join(here, '_instructions-trial.mjs'), name, db, String(repeats)];
  const dumpDir = mode === 'instructions' ? fs.mkdtempSync(path.join(dir, 'dumps-')) : undefined;
  const command =
    dumpDir === undefined
      ? { command: process.execPath, args: ['--expose-gc', ...script], env }
      : instructions.valgrindCommand(script, { dumpDir, env });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    execFile(command.command, command.args, { env: command.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (dumpDir !== undefined) fs.rmSync(dumpDir, { recursive: true, force: true });
      if (error !== null) reject(new Error(`${mode} ${name} ×${repeats} failed: ${stderr || error.message}`));
      else resolve({ ...JSON.parse(stdout.trim().split('\n').at(-1)), processMs: Date.now() - started });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function cv(xs) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return Math.sqrt(variance) / mean;
}
const flagged = (result) => result.verdict === 'warning' || result.verdict === 'critical';

if (MODES.includes('instructions')) {
  const support = await instructions.checkInstructionsSupport();
  if (support.status !== 'supported') throw new Error(support.message);
}
const started = Date.now();
const results = [];
console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; ${TRIALS} trials per planted factor; a call is ${BASE} workload calls`);
for (const name of workloads) {
  for (const mode of MODES) results.push({ ...(await trial(mode, name, BASE, true)), planted: 'founding' });
  for (let t = 0; t < TRIALS; t++) {
    for (const { label, repeats } of PLANTED) {
      for (const mode of MODES) results.push({ ...(await trial(mode, name, repeats, false)), planted: label });
    }
  }
  process.stderr.write(`${name} done after ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
}

const lines = [
  `| workload | mode | CV between processes (unchanged) | false alarms | 1.02x flagged | 1.05x flagged | 1.3x flagged | factor seen at 1.02x / 1.05x / 1.3x | s per benchmark |`,
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
];
for (const name of workloads) {
  for (const mode of MODES) {
    const mine = results.filter((r) => r.name === name && r.mode === mode);
    const of = (label) => mine.filter((r) => r.planted === label);
    const unchanged = [...of('founding'), ...of('unchanged')];
    const count = (label) => {
      const trials = of(label);
      const inconclusive = trials.filter((r) => r.verdict === 'inconclusive').length;
      return `${trials.filter(flagged).length}/${trials.length}${inconclusive > 0 ? ` (${inconclusive})` : ''}`;
    };
    const seen = ['1.02x', '1.05x', '1.3x'].map((label) => median(of(label).map((r) => r.factor ?? NaN)).toFixed(3)).join(' / ');
    lines.push(
      `| ${name} | ${mode} | ${(cv(unchanged.map((r) => r.centre)) * 100).toFixed(mode === 'instructions' ? 4 : 1)} % | ${count('unchanged')} | ${count('1.02x')} | ${count('1.05x')} | ${count('1.3x')} | ${seen} | ${(median(mine.filter((r) => r.planted !== 'founding').map((r) => r.benchmarkMs)) / 1000).toFixed(1)} |`,
    );
  }
}
const table = lines.join('\n');
console.log(table);
console.log(`total ${((Date.now() - started) / 60_000).toFixed(1)} min; load at the end ${os.loadavg()[0].toFixed(1)}`);
fs.writeFileSync(path.join(here, 'results-instructions.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, trials: TRIALS, results }, null, 1)}\n`);
fs.rmSync(dir, { recursive: true, force: true });
