// npm run bench:model — the rule of this build on planted runs: how much of a slowdown it
// catches when the spread between processes is known, because the runs were drawn from it.
//
// A live bench (bench:verdicts) meets whatever spread the machine and the workload give that
// hour, so it cannot say whether a miss is the rule's or the runs'. Here every run of a
// benchmark is a draw on a log scale: a sitting's moment, shared by the runs measured back to
// back (the measuring process and its fresh-process rounds), plus the process's own draw, with
// a standard deviation of `spread` in all and a share `rho` of its variance in the sitting's
// moment. A second speed can be mixed in: in a share of processes the code runs at another
// speed (the verdicts bench's Map and JSON workloads: about a sixth of their processes at
// 0.70–0.80x), faster or slower. Machine readings hold steady, so only the code's wander is
// judged.
//
// Per model, BENCH_MODEL_HISTORIES (20) histories, each as a user's main branch builds it: a
// baseline founded on three runs of one sitting, then 20 unchanged sittings judged and stored
// as the pipeline does (screen, rounds from the same sitting, accepted unless flagged); then 15
// trials each of unchanged code, 1.3x and 1.6x, every trial its own sitting, judged against the
// history (the unchanged ones stored after). Side by side: the naive rule (the first run's
// ratio to the reference's median past the threshold), the share of planted trials whose runs
// read the threshold or more over the runs the verdict rests on (their mean log against the
// median of the newest 30 reference runs: a reference point, not a ceiling, since the rule
// judges each run against the speed it matches), and the normal model's figure for three runs.
// Unchanged sittings of the histories that were flagged count as false alarms too.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createSeededRandom, judgeProcesses, medianOf, needsRounds, normalUpperTail, plannedRuns, DEFAULT_THRESHOLDS, DEFAULT_CONFIDENCE_LEVEL, REFERENCE_WINDOW } = require('../dist/internals.js');

const HISTORIES = Number(process.env.BENCH_MODEL_HISTORIES ?? 20);
if (!Number.isInteger(HISTORIES) || HISTORIES < 1) {
  console.error(`BENCH_MODEL_HISTORIES must be a whole number of histories, 1 or more (20 by default), received ${JSON.stringify(process.env.BENCH_MODEL_HISTORIES)}`);
  process.exit(2);
}
const HISTORY = 20;
const TRIALS = 15;
const SETTINGS = { thresholds: DEFAULT_THRESHOLDS, confidence: DEFAULT_CONFIDENCE_LEVEL, rounds: 3, isDetectableChecked: false };
const WARNING = DEFAULT_THRESHOLDS.duration.warning;
const CRITICAL = DEFAULT_THRESHOLDS.duration.critical;
const BASE_SECONDS = 100e-6;

function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A model of runs: spread (log standard deviation), sitting share rho, and an optional faster speed. */
const MODELS = [
  { name: 'steady ±3 %', spread: 0.03, rho: 0 },
  { name: '±5 %', spread: 0.05, rho: 0 },
  { name: '±5 %, sittings ρ 0.5', spread: 0.05, rho: 0.5 },
  { name: '±7.5 %', spread: 0.075, rho: 0 },
  { name: '±7.5 %, sittings ρ 0.5', spread: 0.075, rho: 0.5 },
  { name: '±10 %', spread: 0.1, rho: 0 },
  { name: '±10 %, sittings ρ 0.5', spread: 0.1, rho: 0.5 },
  { name: '±4 %, a sixth of processes at 0.75x', spread: 0.04, rho: 0.3, otherShare: 1 / 6, otherFactor: 0.75 },
  { name: '±4 %, a third of processes at 0.6x', spread: 0.04, rho: 0.3, otherShare: 1 / 3, otherFactor: 0.6 },
  { name: '±4 %, a tenth of processes at 1.35x', spread: 0.04, rho: 0.3, otherShare: 0.1, otherFactor: 1.35 },
  { name: '±7.5 %, sittings ρ 0.5, a tenth at 1.35x', spread: 0.075, rho: 0.5, otherShare: 0.1, otherFactor: 1.35 },
];

let clock = Date.parse('2026-01-01T00:00:00Z');

/** One sitting's runs: `count` processes sharing the sitting's moment, slowed by `factor`. */
function sittingRuns(model, random, count, factor) {
  const moment = normal(random) * model.spread * Math.sqrt(model.rho);
  return Array.from({ length: count }, () => {
    const own = normal(random) * model.spread * Math.sqrt(1 - model.rho);
    const speed = model.otherShare !== undefined && random() < model.otherShare ? model.otherFactor : 1;
    const seconds = BASE_SECONDS * speed * Math.exp(moment + own) * factor;
    clock += 2000;
    return {
      measuredAt: new Date(clock).toISOString(),
      duration: seconds,
      memory: 0.5,
      cpu: 100,
      machineProbeNs: 40000,
      memoryProbeNs: 50000,
      preemptedShare: 0.03,
      cpuTimePerCall: seconds,
    };
  });
}

/** Judges one sitting as the pipeline does: the first run, rounds from the same sitting when the screen asks, the verdict. */
function judgeSitting(model, random, stored, factor) {
  const baseline = { epoch: { createdAt: stored[0].processes[0].measuredAt, commit: null, reason: 'model', environmentKey: 'model' }, processes: referenceOf(stored) };
  const drawn = sittingRuns(model, random, plannedRuns(baseline, SETTINGS), factor);
  const runs = needsRounds(drawn[0], baseline, SETTINGS) ? drawn : drawn.slice(0, 1);
  const judged = judgeProcesses(runs, baseline, 'model', SETTINGS);
  const duration = judged.verdicts.find((verdict) => verdict.metricType === 'duration');
  // The newest REFERENCE_WINDOW runs, as the rule draws its reference.
  const newest = [...baseline.processes].sort((a, b) => a.measuredAt.localeCompare(b.measuredAt)).slice(-REFERENCE_WINDOW);
  const referenceMedian = medianOf(newest.map((process) => process.duration));
  const meanLog = runs.reduce((sum, run) => sum + Math.log(run.duration / referenceMedian), 0) / runs.length;
  return {
    runs,
    status: duration.status,
    withheldBy: duration.withheldBy ?? null,
    flaggedAny: judged.verdicts.some((verdict) => verdict.status === 'warning' || verdict.status === 'critical'),
    naive: runs[0].duration / referenceMedian,
    read: Math.exp(meanLog),
  };
}

/** The founding sitting and the newest 30 accepted ones, as the store reads them. */
function referenceOf(stored) {
  const accepted = stored.slice(1).filter((sitting) => sitting.accepted).slice(-30);
  return [stored[0], ...accepted].flatMap((sitting, s) => sitting.processes.map((process, index) => ({ ...process, resultId: `s${sitting.id}`, index, isFounding: s === 0 })));
}

const flagged = (status) => status === 'warning' || status === 'critical';

function runModel(model, seed) {
  // Seeded, so a model's figures are the same on every run.
  const random = createSeededRandom(seed);
  const counts = { history: 0, historyFa: 0, aa: 0, fa: 0, faAny: 0, improved: 0, heldUnchanged: 0, roundsUnchanged: 0, naiveFa: 0, p13: 0, f13: 0, read13: 0, alone13: 0, naive13: 0, p16: 0, c16: 0, read16: 0, naive16: 0, held: {}, passed: 0 };
  for (let h = 0; h < HISTORIES; h++) {
    const stored = [{ id: 0, accepted: true, processes: sittingRuns(model, random, 3, 1) }];
    for (let s = 1; s <= HISTORY; s++) {
      const judged = judgeSitting(model, random, stored, 1);
      counts.history++;
      if (flagged(judged.status)) counts.historyFa++;
      stored.push({ id: s, accepted: !flagged(judged.status), processes: judged.runs });
    }
    for (let t = 0; t < TRIALS; t++) {
      for (const factor of [1, 1.3, 1.6]) {
        const judged = judgeSitting(model, random, stored, factor);
        if (factor === 1) {
          counts.aa++;
          if (flagged(judged.status)) counts.fa++;
          if (judged.flaggedAny) counts.faAny++;
          if (judged.status === 'improved') counts.improved++;
          if (judged.status === 'inconclusive') counts.heldUnchanged++;
          if (judged.runs.length > 1) counts.roundsUnchanged++;
          if (judged.naive >= WARNING) counts.naiveFa++;
          stored.push({ id: stored.length, accepted: !flagged(judged.status), processes: judged.runs });
          continue;
        }
        if (judged.status === 'inconclusive') counts.held[judged.withheldBy] = (counts.held[judged.withheldBy] ?? 0) + 1;
        if (judged.status === 'pass' || judged.status === 'improved') counts.passed++;
        if (factor === 1.3) {
          counts.p13++;
          // Judged on the first run alone: it read below the screen's bar, so no rounds.
          if (judged.runs.length === 1) counts.alone13++;
          if (flagged(judged.status)) counts.f13++;
          if (judged.read >= WARNING) counts.read13++;
          if (judged.naive >= WARNING) counts.naive13++;
        } else {
          counts.p16++;
          if (judged.status === 'critical') counts.c16++;
          if (judged.read >= CRITICAL) counts.read16++;
          if (judged.naive >= CRITICAL) counts.naive16++;
        }
      }
    }
  }
  return counts;
}

/** The normal model's chance that three runs of one sitting read `planted` at `threshold` or more (mean of logs). */
function normalModelReach(model, planted, threshold) {
  if (model.otherShare !== undefined) return null;
  const runs = 3;
  const sd = model.spread * Math.sqrt((1 + (runs - 1) * model.rho) / runs);
  const z = (Math.log(planted) - Math.log(threshold)) / sd;
  return 1 - normalUpperTail(z);
}

const pct = (count, total) => (total === 0 ? '–' : `${((count / total) * 100).toFixed(1)} %`);
const started = Date.now();
console.log(`node ${process.version}; per model ${HISTORIES} histories (a founding of 3 runs, ${HISTORY} unchanged sittings), then ${TRIALS} trials each of unchanged, 1.3x and 1.6x; defaults: rounds 3, confidence ${DEFAULT_CONFIDENCE_LEVEL}`);
console.log('');
console.log('| runs between processes | unchanged: false alarms (naive) · history sittings flagged | improved | held back · sent to rounds | 1.3x flagged (read ≥ 1.2x · normal model · naive) · judged on one run | 1.6x critical (read ≥ 1.5x · normal model · naive) | planted held back (by) · passed |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const totals = { aa: 0, fa: 0, history: 0, historyFa: 0 };
MODELS.forEach((model, m) => {
  const c = runModel(model, 1000 + m);
  totals.aa += c.aa;
  totals.fa += c.fa;
  totals.history += c.history;
  totals.historyFa += c.historyFa;
  const reach13 = normalModelReach(model, 1.3, WARNING);
  const reach16 = normalModelReach(model, 1.6, CRITICAL);
  const held = Object.entries(c.held).map(([rule, count]) => `${count} ${rule}`).join(', ') || '0';
  console.log(
    `| ${model.name} | ${pct(c.fa, c.aa)}${c.faAny > c.fa ? ` (any metric ${pct(c.faAny, c.aa)})` : ''} (${pct(c.naiveFa, c.aa)}) · ${c.historyFa} of ${c.history} | ${pct(c.improved, c.aa)} | ${pct(c.heldUnchanged, c.aa)} · ${pct(c.roundsUnchanged, c.aa)} | ${pct(c.f13, c.p13)} (${pct(c.read13, c.p13)} · ${reach13 === null ? '–' : pct(reach13, 1)} · ${pct(c.naive13, c.p13)}) · ${c.alone13} | ${pct(c.c16, c.p16)} (${pct(c.read16, c.p16)} · ${reach16 === null ? '–' : pct(reach16, 1)} · ${pct(c.naive16, c.p16)}) | ${held} · ${c.passed} |`,
  );
});
console.log('');
console.log(`All models: unchanged trials falsely alarmed ${totals.fa} of ${totals.aa}, unchanged history sittings ${totals.historyFa} of ${totals.history}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
