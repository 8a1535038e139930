// node bench/sitting-spread.mjs <stores dir> — do the runs of one sitting (a measuring process
// and its fresh-process rounds, started back to back) spread less than runs of different
// sittings? Reads the stores `BENCH_KEEP=1 npm run bench:verdicts` keeps (one per workload and
// condition) and prints, per store, the spread of log wall time among a sitting's rounds
// (pooled over sittings with two rounds or more, without the first run, which the screen picked)
// against the spread of the first runs of all sittings, and their ratio. A ratio below 1 says a
// sitting's runs share a moment of the machine (README, "Sittings"). The last BENCH_MERGED (5)
// results of each store are the merged slowdown, and are left out.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const dir = process.argv[2];
if (dir === undefined || !fs.existsSync(dir)) {
  console.error('usage: node bench/sitting-spread.mjs <directory of stores kept by BENCH_KEEP=1 npm run bench:verdicts>');
  process.exit(2);
}
const MERGED = Number(process.env.BENCH_MERGED ?? 5);

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleSd = (xs) => Math.sqrt(xs.reduce((sum, x) => sum + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

console.log('| store | sittings | with 2+ rounds | spread among rounds | spread of first runs | ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.db') && !name.endsWith('-pr.db')).sort()) {
  const db = new Database(path.join(dir, file), { readonly: true });
  const rows = db.prepare('SELECT d.report_json FROM results r JOIN result_data d ON d.result_id = r.id ORDER BY r.created_at').all().slice(0, -MERGED);
  db.close();
  const sittings = rows.map((row) => (JSON.parse(row.report_json).processes ?? []).map((process) => Math.log(process.duration))).filter((runs) => runs.length > 0);
  const rounds = sittings.filter((runs) => runs.length >= 3).map((runs) => runs.slice(1));
  let squares = 0;
  let degrees = 0;
  for (const runs of rounds) {
    squares += runs.reduce((sum, x) => sum + (x - mean(runs)) ** 2, 0);
    degrees += runs.length - 1;
  }
  const within = degrees === 0 ? NaN : Math.sqrt(squares / degrees);
  const across = sampleSd(sittings.map((runs) => runs[0]));
  console.log(`| ${file.slice(0, -3)} | ${sittings.length} | ${rounds.length} | ${within.toFixed(3)} | ${across.toFixed(3)} | ${(within / across).toFixed(2)} |`);
}
