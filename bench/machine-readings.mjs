// node bench/machine-readings.mjs [workload] [processes] [quiet] — which reading of the machine
// moves with a workload between processes? Each process (a fresh Node) times the workload for
// 1.2 s in batches and, between batches, perfguard's two reference loops (core and cache), a
// many-chain integer loop (a core's execution ports busy, as ordinary code keeps them), a
// streaming write over 64 MB (memory bandwidth past the L3), a loop of short-lived objects
// (the allocator and scavenger), ordinary code of its own (sorting, JSON, a regular expression,
// a Map), and the other processes' share of
// the CPUs from /proc/stat (Linux). Unless `quiet`, three neighbours burn CPU in random
// 50–500 ms bursts, as in bench:verdicts. Prints each process's readings over the study's
// medians, in the order measured, and each reading's correlation with the workload's log time.
// Needs `npm run build` first (perfguard's loops come from dist).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const CHILD = `
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { WORKLOADS } from ${JSON.stringify(path.join(here, '_workloads.mjs'))};
const { probeMachine } = createRequire(import.meta.url)(${JSON.stringify(path.join(here, '../dist/tracker/_machine-probe.js'))});
const fn = WORKLOADS[process.argv[1]].fn;
const now = () => process.hrtime.bigint();
const cpus = () => {
  if (!fs.existsSync('/proc/stat')) return null;
  const c = fs.readFileSync('/proc/stat', 'utf8').split('\\n')[0].trim().split(/\\s+/).slice(1).map(Number);
  return { busy: c[0] + c[1] + c[2] + c[5] + c[6] + c[7], all: c.slice(0, 8).reduce((a, b) => a + b, 0) };
};
function chains(rounds) {
  let a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;
  for (let i = 0; i < rounds; i++) { a ^= a << 13; b ^= b >>> 7; c = (c * 31 + i) | 0; d ^= d << 5; e = (e + (i & 7 ? a : b)) | 0; f ^= (f >>> 3) + (i & 1 ? c : d); a ^= a >>> 17; d ^= d >>> 9; }
  return a ^ b ^ c ^ d ^ e ^ f;
}
const stream = new Int32Array(16 << 20);
let streamAt = 0;
let sink = 0;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const timed = (work) => { const r = []; for (let k = 0; k < 7; k++) { const s = now(); work(); r.push(Number(now() - s)); } return median(r); };
const chainsProbe = () => timed(() => { sink ^= chains(20000); });
// Ordinary code of its own (strings sorted, a JSON round trip, a regular expression, a Map),
// none of it the workload's: does the machine slow ordinary code as a whole?
const WORDS = Array.from({ length: 300 }, (_, i) => 'w' + ((i * 7919) % 1000) + '-' + (i % 13));
const RECORD = Array.from({ length: 20 }, (_, i) => ({ id: i, name: WORDS[i], tags: [i, i * 2], ok: i % 2 === 0 }));
const LINE = WORDS.slice(0, 120).join(' 12 ');
const ordinaryWork = () => {
  const sorted = [...WORDS].sort();
  const copy = JSON.parse(JSON.stringify(RECORD));
  const masked = LINE.replace(/[0-9]+/g, '#');
  const index = new Map();
  for (let i = 0; i < WORDS.length; i++) index.set(WORDS[i], i);
  return sorted.length + copy.length + masked.length + index.size;
};
const ordinaryProbe = () => timed(() => { sink ^= ordinaryWork(); });
// Short-lived objects, as ordinary code makes them: what the allocator and the scavenger cost now.
const allocProbe = () => timed(() => { let kept = null; for (let i = 0; i < 2000; i++) kept = { i, next: kept, tags: [i, i + 1] }; sink ^= kept.i; });
const streamProbe = () => timed(() => { const end = streamAt + 65536; for (let i = streamAt; i < end; i += 16) stream[i] = i; streamAt = end % stream.length; });
for (let i = 0; i < 100; i++) { sink += fn(); chainsProbe(); streamProbe(); allocProbe(); ordinaryProbe(); }
const s0 = cpus(), c0 = process.cpuUsage(), t0 = now();
const times = [], core = [], cache = [], ports = [], memory = [], alloc = [], ordinary = [];
while (Number(now() - t0) < 1.2e9) {
  for (let b = 0; b < 20; b++) { const a = now(); for (let k = 0; k < 5; k++) sink += fn(); times.push(Number(now() - a) / 5); }
  const loops = probeMachine(now);
  core.push(loops.computeNs); cache.push(loops.memoryNs); ports.push(chainsProbe()); memory.push(streamProbe()); alloc.push(allocProbe()); ordinary.push(ordinaryProbe());
}
const wallS = Number(now() - t0) / 1e9, own = process.cpuUsage(c0), s1 = cpus();
const ownS = (own.user + own.system) / 1e6;
const others = s0 === null || s1 === null ? null : Math.max(0, (s1.busy - s0.busy) / 100 - ownS) / ((s1.all - s0.all) / 100);
console.log(JSON.stringify({ workloadNs: median(times), core: median(core), cache: median(cache), ports: median(ports), memory: median(memory), alloc: median(alloc), ordinary: median(ordinary), others, cpuPerWall: ownS / wallS, sink: sink % 2 }));
`;

const NEIGHBOUR = `const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) { const busyUntil = Date.now() + 50 + Math.random() * 450; while (Date.now() < busyUntil) {} Atomics.wait(pause, 0, 0, 50 + Math.random() * 450); }`;

const name = process.argv[2] ?? 'regex';
const processes = Number(process.argv[3] ?? 40);
const quiet = process.argv[4] === 'quiet';
if (!fs.existsSync(path.join(here, '../dist/tracker/_machine-probe.js'))) throw new Error('Run `npm run build` first: the reference loops come from dist.');
if (!Number.isInteger(processes) || processes < 3) throw new Error(`processes must be an integer of at least 3, received ${process.argv[3]}`);

const neighbours = quiet ? [] : [0, 1, 2].map(() => spawn(process.execPath, ['-e', NEIGHBOUR], { stdio: 'ignore' }));
const rows = [];
try {
  for (let i = 0; i < processes; i++) {
    rows.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, name], { encoding: 'utf8' })));
    process.stderr.write(`\r${name}: ${i + 1}/${processes}   `);
  }
} finally {
  for (const neighbour of neighbours) neighbour.kill();
}
process.stderr.write('\n');

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const READINGS = ['core', 'cache', 'ports', 'memory', 'alloc', 'ordinary'];
const centres = Object.fromEntries(['workloadNs', ...READINGS].map((key) => [key, median(rows.map((row) => row[key]))]));
console.log(`${name}, ${processes} processes, ${quiet ? 'quiet' : 'beside three bursty neighbours'}: each over the study's median`);
console.log(['workload', ...READINGS, 'others', 'cpu/wall'].join('\t'));
for (const row of rows) {
  console.log([(row.workloadNs / centres.workloadNs).toFixed(2), ...READINGS.map((key) => (row[key] / centres[key]).toFixed(2)), row.others?.toFixed(2) ?? '-', row.cpuPerWall.toFixed(2)].join('\t'));
}
function correlation(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let c = 0, vx = 0, vy = 0;
  for (let i = 0; i < n; i++) {
    c += (xs[i] - mx) * (ys[i] - my);
    vx += (xs[i] - mx) ** 2;
    vy += (ys[i] - my) ** 2;
  }
  return vx === 0 || vy === 0 ? NaN : c / Math.sqrt(vx * vy);
}
const y = rows.map((row) => Math.log(row.workloadNs));
const shown = (r) => (Number.isNaN(r) ? '-' : r.toFixed(2));
const others = rows.every((row) => row.others !== null) ? shown(correlation(rows.map((row) => row.others), y)) : '-';
console.log(`correlation with the workload's log time: ${READINGS.map((key) => `${key} ${shown(correlation(rows.map((row) => Math.log(row[key])), y))}`).join(', ')}, others' CPU share ${others}, cpu/wall ${shown(correlation(rows.map((row) => row.cpuPerWall), y))}`);
