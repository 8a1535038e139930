// node bench/instructions-determinism.mjs (after npm run build) — how exactly the instructions
// mode repeats. For each set of V8 flags, PROCESSES fresh Node processes under callgrind each
// count the same workloads with countInstructions (its defaults: 5 warm-up calls, rounds of
// about 10M instructions; here 5 rounds). The table shows, per workload, the coefficient of
// variation of the per-process medians (between processes), the mean CV of the rounds inside a
// process, and the seconds one countInstructions took; then the ratios of the 1.3x and 1.6x
// workloads. Last, the time Jest takes to run a trivial test file under Valgrind with
// instrumentation off. BENCH_CONFIGS=name,name picks flag sets; BENCH_JEST=only skips the rest.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const instructions = require('../dist/tracker/instructions/index.js');

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 5);
const ROUNDS = 5;
const ISSUE_FLAGS = ['--predictable', '--hash-seed=1', '--random-seed=1', '--no-opt', '--single-threaded'];
const without = (flags, dropped) => flags.filter((flag) => flag !== dropped);
const CONFIGS = {
  perfguard: [...instructions.INSTRUCTIONS_NODE_FLAGS],
  'perfguard − --always-sparkplug': without([...instructions.INSTRUCTIONS_NODE_FLAGS], '--always-sparkplug'),
  'issue flags': [...ISSUE_FLAGS, '--expose-gc'],
  'issue − --no-opt': [...without(ISSUE_FLAGS, '--no-opt'), '--expose-gc'],
  'issue − --predictable': [...without(ISSUE_FLAGS, '--predictable'), '--expose-gc'],
  'no V8 flags': ['--expose-gc'],
};

// ---- child: runs under Valgrind, counts every workload, prints one JSON line ----

function workloads() {
  const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu'.split(' ');
  let text = '';
  for (let i = 0; i < 300; i++) text += `${words[i % 12]} user${i}@host${i % 7}.com said ${i * 31} things; `;
  const records = Array.from({ length: 100 }, (_, i) => ({
    id: i, name: `item-${i}`, tags: [words[i % 12], words[(i * 5) % 12]], price: i * 1.25, active: i % 3 === 0,
  }));
  const alloc = (n) => () => {
    const list = [];
    for (let i = 0; i < n; i++) list.push({ id: i, name: `n${i % 50}`, value: i * 2 });
    let sum = 0;
    for (const item of list) sum += item.value;
    return sum;
  };
  const mapSet = (n) => () => {
    const map = new Map();
    const set = new Set();
    for (let i = 0; i < n; i++) { map.set(`k${i}`, i); set.add(i % 97); }
    let total = 0;
    for (let i = 0; i < n; i += 3) total += map.get(`k${i}`);
    return total + set.size;
  };
  const regex = (times) => () => {
    let count = 0;
    for (let k = 0; k < times; k++) {
      const re = /\b(\w+)@(\w+)\.com\b/g;
      let match;
      while ((match = re.exec(text)) !== null) count += match[1].length;
    }
    return count;
  };
  const json = (times) => () => {
    let n = 0;
    for (let k = 0; k < times; k++) n += JSON.parse(JSON.stringify(records)).length;
    return n;
  };
  const arith = (n) => () => {
    let s = 0;
    for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003;
    return s;
  };
  return {
    'allocation (1,000 small objects)': alloc(1000),
    'Map + Set (1,000 keys)': mapSet(1000),
    'regex over 20 kB of text': regex(1),
    'JSON round trip, 100 objects': json(1),
    'arithmetic loop (10,000)': arith(10_000),
    'empty function': () => undefined,
    'async JSON round trip': async () => json(1)(),
    'arithmetic ×1.3': arith(13_000),
    'arithmetic ×1.6': arith(16_000),
    'JSON ×1.3 (10 vs 13 round trips)': json(13),
    'JSON ×1.0 (10 round trips)': json(10),
    'allocation ×1.3': alloc(1300),
  };
}

async function child() {
  const results = {};
  for (const [name, fn] of Object.entries(workloads())) {
    const count = await instructions.countInstructions(fn, name, { rounds: ROUNDS });
    results[name] = {
      median: count.medianInstructionsPerCall,
      calls: count.callsPerRound,
      rounds: count.instructionsPerCall,
      overhead: count.overheadInstructionsPerCall,
      ms: count.elapsedMs,
    };
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

// ---- parent: launches the children, one at a time, and prints the tables ----

function runChild(flags, dumpDir) {
  const command = instructions.valgrindCommand([fileURLToPath(import.meta.url), '--child'], { dumpDir, nodeFlags: flags });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const proc = spawn(command.command, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => { out += chunk; });
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}`));
      else resolve({ results: JSON.parse(out.trim().split('\n').pop()), wallMs: Date.now() - started });
    });
  });
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
function cv(values) {
  const m = mean(values);
  const variance = values.reduce((sum, v) => sum + (v - m) ** 2, 0) / Math.max(1, values.length - 1);
  return m === 0 ? 0 : Math.sqrt(variance) / Math.abs(m);
}
const pct = (x) => `${(x * 100).toFixed(4)} %`;

async function parent() {
  const support = await instructions.checkInstructionsSupport();
  if (support.status !== 'supported') throw new Error(support.message);
  const only = process.env.BENCH_CONFIGS?.split(',');
  console.log(`node ${process.version}, ${support.valgrindVersion}, ${os.cpus().length} cores, ${PROCESSES} fresh processes per flag set, ${ROUNDS} rounds per count; valgrind ${instructions.INSTRUCTIONS_VALGRIND_FLAGS.join(' ')}`);
  for (const [config, flags] of Object.entries(CONFIGS)) {
    if (only !== undefined && !only.includes(config)) continue;
    const runs = [];
    for (let p = 0; p < PROCESSES; p++) {
      const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-study-'));
      runs.push(await runChild(flags, dumpDir));
      fs.rmSync(dumpDir, { recursive: true, force: true });
    }
    console.log(`\n### ${config}: node ${flags.join(' ')}`);
    console.log(`process wall time: ${runs.map((r) => (r.wallMs / 1000).toFixed(1)).join(', ')} s`);
    console.log('| workload | instructions per call (median of processes) | CV between processes | max/min between processes | mean CV between rounds | calls per round | loop overhead per call | s per countInstructions |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const name of Object.keys(runs[0].results)) {
      const per = runs.map((r) => r.results[name]);
      const medians = per.map((r) => r.median).sort((a, b) => a - b);
      const ratio = medians[0] === 0 ? NaN : medians.at(-1) / medians[0];
      console.log(`| ${name} | ${medians[medians.length >> 1].toFixed(1)} | ${pct(cv(medians))} | ${ratio.toFixed(6)} | ${pct(mean(per.map((r) => cv(r.rounds))))} | ${per[0].calls} | ${mean(per.map((r) => r.overhead)).toFixed(1)} | ${(mean(per.map((r) => r.ms)) / 1000).toFixed(2)} |`);
    }
    const at = (name) => runs.map((r) => r.results[name].median);
    const ratios = [
      ['arithmetic ×1.3 / arithmetic', at('arithmetic ×1.3'), at('arithmetic loop (10,000)')],
      ['arithmetic ×1.6 / arithmetic', at('arithmetic ×1.6'), at('arithmetic loop (10,000)')],
      ['JSON ×1.3 / JSON ×1.0', at('JSON ×1.3 (10 vs 13 round trips)'), at('JSON ×1.0 (10 round trips)')],
      ['allocation ×1.3 / allocation', at('allocation ×1.3'), at('allocation (1,000 small objects)')],
    ];
    console.log(`ratios (per process): ${ratios.map(([label, a, b]) => `${label} ${a.map((x, i) => (x / b[i]).toFixed(5)).join('/')}`).join('; ')}`);
  }
}

// ---- Jest under Valgrind, instrumentation off: the fixed cost of every instructions run ----

function timeCommand(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const proc = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (chunk) => { err += chunk; });
    proc.on('close', (code) => (code === 0 ? resolve((Date.now() - started) / 1000) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

async function jestStartup() {
  const root = path.resolve(fileURLToPath(import.meta.url), '..', '..');
  const project = fs.mkdtempSync(path.join(root, '.tmp', 'jest-startup-'));
  fs.writeFileSync(path.join(project, 'trivial.test.js'), "test('adds', () => { expect(1 + 1).toBe(2); });\n");
  fs.writeFileSync(path.join(project, 'trivial.test.ts'), "const add = (a: number, b: number): number => a + b;\ntest('adds', () => { expect(add(1, 1)).toBe(2); });\n");
  fs.writeFileSync(path.join(project, 'jest.config.js'), `module.exports = { rootDir: ${JSON.stringify(project)}, testEnvironment: 'node', transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: ${JSON.stringify(path.join(root, 'tsconfig.json'))} }] } };\n`);
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-study-'));
  const sets = [
    ['native, no Valgrind', null],
    ['Valgrind, no V8 flags', []],
    ['Valgrind, issue flags', ISSUE_FLAGS],
    ['Valgrind, perfguard flags', [...instructions.INSTRUCTIONS_NODE_FLAGS]],
    ['Valgrind, perfguard − --always-sparkplug', without([...instructions.INSTRUCTIONS_NODE_FLAGS], '--always-sparkplug')],
  ];
  console.log('\n### Jest 30, --runInBand, one trivial test file, Valgrind instrumentation off (best of 2, wall seconds; this machine is shared)');
  console.log('| command | trivial.test.js | trivial.test.ts (ts-jest) |');
  console.log('| --- | ---: | ---: |');
  for (const [label, flags] of sets) {
    const times = [];
    for (const file of ['trivial.test.js', 'trivial.test.ts']) {
      const jestArgs = [jest, '--runInBand', '--config', path.join(project, 'jest.config.js'), file];
      const command = flags === null
        ? { command: process.execPath, args: jestArgs, env: process.env }
        : instructions.valgrindCommand(jestArgs, { dumpDir, nodeFlags: flags });
      const runs = [];
      for (let i = 0; i < 2; i++) runs.push(await timeCommand(command.command, command.args, command.env));
      times.push(Math.min(...runs).toFixed(1));
    }
    console.log(`| ${label} | ${times[0]} | ${times[1]} |`);
  }
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(dumpDir, { recursive: true, force: true });
}

if (process.argv.includes('--child')) await child();
else {
  if (process.env.BENCH_JEST !== 'only') await parent();
  await jestStartup();
}
