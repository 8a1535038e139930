// node bench/replay-verdicts.mjs <stores dir> — the rule of this build, replayed on the runs a
// verdicts bench stored (`BENCH_KEEP=1 npm run bench:verdicts` keeps one store per workload and
// condition). Live benches cannot separate the rule from the machine: each run meets different
// moments. A replay judges the same stored runs with any build, so two builds of the rule can be
// compared on the same evidence (build each, run this script in each checkout on one directory).
//
// For each unchanged sitting after the founding and BENCH_HISTORY (20) history sittings (the
// bench's trial phase), judged against the sittings before it as the store held them (the
// founding and the newest 30 accepted results since, as `referenceProcesses` reads them):
//   - as measured (an unchanged run: is it a false alarm?);
//   - with every run's wall time and CPU time per call scaled by 1.3 and 1.6, which is what the
//     bench's planted slowdown does (busy time of a fixed share of each call's own time).
// The first run goes through the screen (`needsRounds`) as in real use. Its rounds are the
// sitting's own stored rounds, then the first runs of the next trial sittings (of the ones before
// it at the end, which then leave its reference), scaled alike. Stand-ins are independent
// processes, where real rounds share their sitting's moment, so a replay is kinder to rounds than
// the machine is: compare builds with it, and read absolute detection from the live bench. The
// last BENCH_MERGED (5) results of each store are the merged slowdown and are left out; set
// BENCH_HISTORY and BENCH_MERGED as the bench that kept the stores ran. Results are read through
// the store (`getResult`, `processesOf`). Besides the verdicts, it prints how well the report's
// detectable factor keeps its promise, checked by replay and the model's alone. Any perfguard
// store can be replayed, one benchmark at a time (the example suite's, with BENCH_HISTORY=3
// BENCH_MERGED=0 for its short history).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);
const { judgeProcesses, needsRounds, plannedRuns, processesOf, SqliteStore, DEFAULT_THRESHOLDS, DEFAULT_CONFIDENCE_LEVEL } = require('../dist/internals.js');

const dir = process.argv[2];
if (dir === undefined || !fs.existsSync(dir)) {
  console.error('usage: node bench/replay-verdicts.mjs <directory of perfguard stores, such as those BENCH_KEEP=1 npm run bench:verdicts keeps>');
  process.exit(2);
}
const HISTORY = Number(process.env.BENCH_HISTORY ?? 20);
const MERGED = Number(process.env.BENCH_MERGED ?? 5);
// perfguard's default rounds (README, "Confirmation in fresh processes").
const SETTINGS = { thresholds: DEFAULT_THRESHOLDS, confidence: DEFAULT_CONFIDENCE_LEVEL, rounds: 3 };
const FACTORS = [1, 1.3, 1.6];
// REPLAY_SHOW=quiet-map,noisy-json prints those stores' verdicts one by one (REPLAY_FACTORS=1.3 picks the factors shown).
const SHOW = new Set(process.env.REPLAY_SHOW?.split(',') ?? []);
const SHOW_FACTORS = (process.env.REPLAY_FACTORS ?? '1,1.3,1.6').split(',').map(Number);

/**
 * The store's baseline epochs, each with its sittings oldest first: the founding result, then
 * every result of its benchmark, environment and mode until the next epoch of theirs. The
 * bench's stores hold one epoch each; any other store (the example suite's) one or more per
 * benchmark it measured. A file that is no perfguard store is skipped, saying so.
 */
function readStores(file) {
  let db;
  try {
    db = new Database(file, { readonly: true });
    db.prepare('SELECT 1 FROM baselines LIMIT 1').get();
  } catch (error) {
    db?.close();
    console.error(`skipped ${file}: not a perfguard store (${error.message})`);
    return [];
  }
  const store = SqliteStore.open(file, { readonly: true });
  try {
    const epochs = db.prepare('SELECT * FROM baselines WHERE is_deleted = 0 ORDER BY created_at').all();
    const sameBenchmark = (a, b) => a.test_name === b.test_name && a.environment_key === b.environment_key && a.mode === b.mode;
    return epochs.map((epoch, i) => {
      const next = epochs.slice(i + 1).find((later) => sameBenchmark(later, epoch));
      const isRebaselined = epochs.some((other) => other !== epoch && sameBenchmark(other, epoch));
      const ids = db
        .prepare('SELECT id FROM final_results WHERE test_name = ? AND environment_key = ? AND mode = ? AND created_at >= ? AND created_at < ? ORDER BY created_at')
        .all(epoch.test_name, epoch.environment_key, epoch.mode, epoch.created_at, next?.created_at ?? '9999');
      const sittings = ids.map(({ id }) => {
        const result = store.reads.getResult(id);
        const isFounding = id === epoch.result_id;
        return { status: result.status, isFounding, processes: processesOf(result).map((process, index) => ({ ...process, resultId: id, index, isFounding })) };
      });
      const epochInfo = { createdAt: epoch.created_at, commit: epoch.git_commit, reason: epoch.reason, environmentKey: epoch.environment_key };
      const name = epochs.length === 1 ? path.basename(file, '.db') : `${path.basename(file, '.db')}: ${epoch.test_name}${isRebaselined || epoch.mode !== 'time' ? ` (${epoch.mode}, ${epoch.created_at})` : ''}`;
      return { name, mode: epoch.mode, epoch: epochInfo, sittings: sittings.slice(0, Math.max(0, sittings.length - MERGED)) };
    });
  } finally {
    db.close();
    void store.close();
  }
}

/** The reference as the store read it before sitting `t`: the founding and the newest 30 accepted results. */
function baselineBefore(store, t, left = new Set()) {
  const before = store.sittings.slice(0, t).filter((sitting) => !left.has(sitting));
  const accepted = before.filter((sitting) => !sitting.isFounding && sitting.status !== 'regression' && sitting.status !== 'baseline-updated').slice(-30);
  const founding = before.filter((sitting) => sitting.isFounding);
  const processes = [...founding, ...accepted].flatMap((sitting) => sitting.processes).sort((a, b) => a.measuredAt.localeCompare(b.measuredAt));
  return { epoch: store.epoch, processes };
}

const slowed = (process, factor) => {
  const { resultId: _id, index: _index, isFounding: _founding, ...figures } = process;
  return { ...figures, duration: figures.duration * factor, cpuTimePerCall: figures.cpuTimePerCall === null ? null : figures.cpuTimePerCall * factor };
};

/**
 * Judges sitting `t` slowed by `factor`, as the pipeline would: screen, rounds, verdicts. Its
 * rounds are its own, then the first runs of the next trial sittings, then (at the end of the
 * trial phase) of the ones before it, which then leave the reference.
 */
function replay(store, t, factor) {
  let baseline = baselineBefore(store, t);
  const sitting = store.sittings[t];
  const first = slowed(sitting.processes[0], factor);
  const current = [first];
  let standIns = 0;
  if (needsRounds(first, baseline, SETTINGS)) {
    const rounds = plannedRuns(baseline, SETTINGS) - 1;
    const own = sitting.processes.slice(1, 1 + rounds);
    const others = [...store.sittings.slice(t + 1), ...store.sittings.slice(1 + HISTORY, t).reverse()].slice(0, Math.max(0, rounds - own.length));
    standIns = others.length;
    baseline = baselineBefore(store, t, new Set(others));
    current.push(...[...own, ...others.map((other) => other.processes[0])].map((process) => slowed(process, factor)));
  }
  const judged = judgeProcesses(current, baseline, store.epoch.environmentKey, SETTINGS);
  // The model's figure, unchecked, beside it (a build without the check shows the same figure twice).
  const model = judgeProcesses(current, baseline, store.epoch.environmentKey, { ...SETTINGS, isDetectableChecked: false });
  const duration = judged.verdicts.find((verdict) => verdict.metricType === 'duration');
  const flaggedAny = judged.verdicts.some((verdict) => verdict.status === 'warning' || verdict.status === 'critical');
  if (SHOW.has(store.name) && SHOW_FACTORS.includes(factor)) {
    console.log(`${store.name} sitting ${t} ×${factor}, ${current.length} run(s) (${standIns} stand-ins): ${duration?.status}${duration?.withheldBy ? ` (${duration.withheldBy})` : ''} ${duration?.reason ?? ''}`);
  }
  return { duration: duration?.status, withheldBy: duration?.withheldBy ?? null, read: duration?.regressionFactor ?? null, flaggedAny, detectable: judged.evidence?.detectableFactor ?? null, modelDetectable: model.evidence?.detectableFactor ?? null, runs: current.length, standIns, groups: judged.evidence?.groups.length ?? 0 };
}

const flagged = (status) => status === 'warning' || status === 'critical';
const pct = (count, total) => (total === 0 ? '–' : `${((count / total) * 100).toFixed(0)} %`);
const totals = { aa: 0, fa: 0, faAny: 0, improved: 0, slow13: 0, flagged13: 0, slow16: 0, critical16: 0, missed: 0, reached13: 0, heldUnchanged: 0, roundsUnchanged: 0, held: {}, promises: { checked: {}, model: {} } };

const stores = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.db') && !name.endsWith('-pr.db'))
  .sort()
  .flatMap((file) => readStores(path.join(dir, file)))
  .filter((store) => {
    // The planted slowdown scales wall time and CPU time: the time mode's verdicts.
    if (store.mode !== 'time') console.error(`skipped ${store.name}: baselines in ${store.mode} mode are not replayed`);
    return store.mode === 'time';
  });
if (stores.length === 0) {
  console.error(`no perfguard store with a baseline in ${dir}: give the directory BENCH_KEEP=1 npm run bench:verdicts printed, or one holding a store (.db) such as baselines/perfguard.db`);
  process.exit(2);
}
console.log(`Replayed with this build on ${dir}: after the founding and ${HISTORY} history sittings, the trial sittings, without the last ${MERGED} results (BENCH_HISTORY, BENCH_MERGED: as the bench that kept the stores ran)`);
console.log('');
console.log('| store | unchanged | false alarms (wall time · any metric) | improved | unchanged held back · sent to rounds | 1.3x flagged (read ≥ warning) | 1.6x critical | planted held back (by) | planted passed | speeds | stand-in rounds |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const store of stores) {
  const rows = [];
  for (let t = 1 + HISTORY; t < store.sittings.length; t++) {
    for (const factor of FACTORS) rows.push({ ...replay(store, t, factor), factor });
  }
  const of = (factor) => rows.filter((row) => row.factor === factor);
  const aa = of(1);
  const held = {};
  for (const row of rows.filter((r) => r.factor > 1 && r.duration === 'inconclusive')) held[row.withheldBy] = (held[row.withheldBy] ?? 0) + 1;
  const fa = aa.filter((row) => flagged(row.duration)).length;
  const faAny = aa.filter((row) => row.flaggedAny).length;
  const improved = aa.filter((row) => row.duration === 'improved').length;
  const heldUnchanged = aa.filter((row) => row.duration === 'inconclusive').length;
  const roundsUnchanged = aa.filter((row) => row.runs > 1).length;
  totals.heldUnchanged += heldUnchanged;
  totals.roundsUnchanged += roundsUnchanged;
  const flagged13 = of(1.3).filter((row) => flagged(row.duration)).length;
  // A verdict can flag only what its runs read past the warning threshold: the rest of a planted
  // 1.3x is lost to the wander of the runs, whatever the rule, and not to the rule's guards.
  const reached13 = of(1.3).filter((row) => row.read !== null && row.read >= SETTINGS.thresholds.duration.warning).length;
  const critical16 = of(1.6).filter((row) => row.duration === 'critical').length;
  const missed = rows.filter((row) => row.factor > 1 && (row.duration === 'pass' || row.duration === 'improved')).length;
  totals.missed += missed;
  // The detectable factor a report shows promises that slowdowns of that size or more are flagged 9 times in 10.
  for (const [kind, figure] of [['checked', (row) => row.detectable], ['model', (row) => row.modelDetectable]]) {
    for (const row of rows.filter((r) => r.factor > 1 && figure(r) !== null && figure(r) <= r.factor)) {
      const promise = (totals.promises[kind][row.factor] ??= { promised: 0, kept: 0 });
      promise.promised++;
      if (flagged(row.duration)) promise.kept++;
    }
  }
  totals.aa += aa.length;
  totals.fa += fa;
  totals.faAny += faAny;
  totals.improved += improved;
  totals.slow13 += of(1.3).length;
  totals.flagged13 += flagged13;
  totals.reached13 += reached13;
  totals.slow16 += of(1.6).length;
  totals.critical16 += critical16;
  for (const [rule, count] of Object.entries(held)) totals.held[rule] = (totals.held[rule] ?? 0) + count;
  const heldText = Object.entries(held).map(([rule, count]) => `${count} ${rule}`).join(', ');
  console.log(
    `| ${store.name} | ${aa.length} | ${fa} · ${faAny} | ${improved} | ${heldUnchanged} · ${roundsUnchanged} | ${pct(flagged13, of(1.3).length)} (${pct(reached13, of(1.3).length)}) | ${pct(critical16, of(1.6).length)} | ${heldText === '' ? '0' : heldText} | ${missed} | ${Math.max(0, ...rows.map((row) => row.groups))} | ${rows.reduce((sum, row) => sum + row.standIns, 0)} |`,
  );
}
const heldText = Object.entries(totals.held).map(([rule, count]) => `${count} ${rule}`).join(', ');
console.log('');
console.log(
  `All stores: false alarms ${totals.fa} of ${totals.aa} (wall time), ${totals.faAny} (any metric); improved ${totals.improved}; unchanged held back ${totals.heldUnchanged}, sent to rounds ${totals.roundsUnchanged}; 1.3x flagged ${totals.flagged13} of ${totals.slow13} (${pct(totals.flagged13, totals.slow13)}), read at or past the warning threshold ${totals.reached13}; 1.6x critical ${totals.critical16} of ${totals.slow16} (${pct(totals.critical16, totals.slow16)}); planted held back: ${heldText === '' ? 'none' : heldText}; planted passed: ${totals.missed}`,
);
console.log('');
console.log('The detectable factor as a promise: of the planted trials whose report showed a detectable factor at or below the planted slowdown, how many were flagged (it promises 9 in 10); the figure checked by replay, and the model\'s alone');
console.log('');
console.log('| planted | figure | promised | flagged | share flagged | planted trials |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const factor of FACTORS.filter((f) => f > 1)) {
  for (const kind of ['checked', 'model']) {
    const { promised, kept } = totals.promises[kind][factor] ?? { promised: 0, kept: 0 };
    console.log(`| ${factor}x | ${kind} | ${promised} | ${kept} | ${pct(kept, promised)} | ${factor === 1.3 ? totals.slow13 : totals.slow16} |`);
  }
}
