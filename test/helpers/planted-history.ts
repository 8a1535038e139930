import type { PerfguardStore } from '../../src/store/perfguard-store';
import type { BaselineEpoch, MeasuringMode, ReportStatus, ResultRecord, RunRecord } from '../../src/types';
import { makeEpoch, makeResult, makeRun } from './records';

/** One write of a planted history, in the order a store receives it. */
export type HistoryStep =
  | { kind: 'run'; run: RunRecord }
  | { kind: 'result'; result: ResultRecord; epoch?: BaselineEpoch }
  | { kind: 'epoch'; epoch: BaselineEpoch };

const TESTS = ['alpha', 'beta', 'gamma'];
const STATUSES: ReportStatus[] = ['pass', 'pass', 'regression', 'improved', 'inconclusive', 'pass', 'baseline-updated'];
const HOUR_MS = 3_600_000;
const START_MS = Date.parse('2026-03-01T00:00:00.000Z');

function at(ms: number): string {
  return new Date(ms).toISOString();
}

/** A result planted at `createdAt`, with `processes` processes measured a second apart. */
function plantedResult(run: RunRecord, test: string, index: number, overrides: { createdAt: string; attempt: number; status: ReportStatus; mode: MeasuringMode; environmentKey: string; processes: number }): ResultRecord {
  const base = makeResult(run.id, test, { centreNs: 1_000_000 * (1 + index / 50), seed: index + 1, createdAt: overrides.createdAt });
  const first = base.report.processes[0];
  const counted = overrides.mode === 'instructions';
  const instructionsPerCall = 2_000_000 + index * 1_000;
  const processes = Array.from({ length: overrides.processes }, (_, i) => ({
    ...first,
    measuredAt: at(Date.parse(overrides.createdAt) + i * 1000),
    duration: (first?.duration ?? 0.001) * (1 + i / 100),
    ...(counted ? { instructions: instructionsPerCall + i } : {}),
  }));
  const instructions = counted ? { instructions: { median: instructionsPerCall, rounds: [instructionsPerCall, instructionsPerCall + 1], callsPerRound: 4, roundSpread: 0.000001, overheadPerCall: 12 } } : {};
  const regressions = overrides.status === 'regression' ? [{ metricType: 'duration' as const, baselineValue: 0.001, currentValue: 0.002, regressionFactor: 2, severity: index % 2 === 0 ? ('critical' as const) : ('warning' as const), confidence: 0.99, factorInterval: null }] : [];
  return {
    ...base,
    attempt: overrides.attempt,
    status: overrides.status,
    environmentKey: overrides.environmentKey,
    report: { ...base.report, ...instructions, status: overrides.status, mode: overrides.mode, processes: processes as ResultRecord['report']['processes'], regressions, attempt: overrides.attempt, place: `perf/${test}.test.ts:${1 + (index % 2)}` },
  };
}

/**
 * A history with everything the reads distinguish: three tests, two environments, both modes,
 * re-measured attempts (only the last is final), every status, results of several processes,
 * baselines founded, replaced, deleted and founded again, and two results of one test stored at
 * the same instant (a tie only insertion order breaks).
 */
export function plantedHistory(runCount = 14): HistoryStep[] {
  const steps: HistoryStep[] = [];
  let index = 0;
  for (let r = 0; r < runCount; r++) {
    const run = makeRun({ startedAt: at(START_MS + r * HOUR_MS), commit: `commit${r}`, branch: r % 3 === 0 ? 'develop' : 'main', isCi: r % 2 === 0 });
    steps.push({ kind: 'run', run });
    for (const [t, test] of TESTS.entries()) {
      const environmentKey = r % 4 === 3 ? 'env-b' : 'env-a';
      const mode: MeasuringMode = test === 'gamma' && r % 2 === 1 ? 'instructions' : 'time';
      const attempts = (r + t) % 5 === 2 ? 2 : 1;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        index += 1;
        const createdAt = at(START_MS + r * HOUR_MS + t * 60_000 + (attempt - 1) * 1000);
        const status = STATUSES[(r + t + attempt) % STATUSES.length] ?? 'pass';
        const result = plantedResult(run, test, index, { createdAt, attempt, status, mode, environmentKey, processes: 1 + (index % 3) });
        const founds = r === 0 || (r === 6 && test === 'alpha') || (r === 10 && test === 'beta') || (r === 3 && attempt === attempts);
        steps.push({ kind: 'result', result, ...(founds ? { epoch: makeEpoch(result, { createdAt, mode, environmentKey, reason: `run ${r}` }) } : {}) });
      }
    }
    if (r === 5) {
      // A second run started at the same instant as this one, whose result of alpha was stored
      // at the same instant as run 4's: ties that only insertion order breaks (SQLite's rowid,
      // PostgreSQL's seq), in the runs, the series and the reference windows.
      const twin = makeRun({ startedAt: run.startedAt, commit: `commit${r}-twin`, branch: 'main' });
      steps.push({ kind: 'run', run: twin });
      index += 1;
      const createdAt = at(START_MS + (r - 1) * HOUR_MS);
      steps.push({ kind: 'result', result: plantedResult(twin, 'alpha', index, { createdAt, attempt: 1, status: 'pass', mode: 'time', environmentKey: 'env-a', processes: 2 }) });
    }
    if (r === 9) {
      steps.push({ kind: 'epoch', epoch: { id: `delete-beta-${r}`, testName: 'beta', environmentKey: 'env-a', mode: 'time', createdAt: at(START_MS + r * HOUR_MS + 50 * 60_000), commit: null, reason: 'deleted', createdBy: 'tester', resultId: null, isDeleted: true } });
    }
  }
  return steps;
}

/** Writes a planted history into a store, one call per step, as runners would. */
export async function writeHistory(store: PerfguardStore, steps: HistoryStep[]): Promise<void> {
  for (const step of steps) {
    if (step.kind === 'run') await store.ensureRun(step.run);
    else if (step.kind === 'result') await store.insertResult(step.result, step.epoch);
    else await store.addBaselineEpoch(step.epoch);
  }
}

/** The test names of a planted history. */
export const PLANTED_TESTS = TESTS;
