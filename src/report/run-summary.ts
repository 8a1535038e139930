import { outcomeOf } from '../detector';
import type { PerformanceReport, RunRecord } from '../types';

/** Counts of verdicts across a run. */
export interface VerdictCounts {
  total: number;
  critical: number;
  warning: number;
  improved: number;
  inconclusive: number;
  noBaseline: number;
  pass: number;
  baselineUpdated: number;
}

/** Everything renderers need about a run. */
export interface RunSummary {
  run: RunRecord | null;
  /** One report per test: the final attempt. */
  reports: PerformanceReport[];
  counts: VerdictCounts;
  /** Run-level notes (parallel files, load, gc). */
  notes: string[];
}

/** Counts verdicts. */
export function countVerdicts(reports: readonly PerformanceReport[]): VerdictCounts {
  const counts: VerdictCounts = { total: reports.length, critical: 0, warning: 0, improved: 0, inconclusive: 0, noBaseline: 0, pass: 0, baselineUpdated: 0 };
  for (const report of reports) {
    const verdict = outcomeOf(report);
    if (verdict === 'no-baseline') counts.noBaseline++;
    else if (verdict === 'baseline-updated') counts.baselineUpdated++;
    else counts[verdict]++;
  }
  return counts;
}

/** Keeps the final attempt of each test, in first-seen order. */
export function finalAttempts(reports: readonly PerformanceReport[]): PerformanceReport[] {
  const byName = new Map<string, PerformanceReport>();
  for (const report of reports) {
    const seen = byName.get(report.name);
    if (seen === undefined || report.attempt >= seen.attempt) byName.set(report.name, report);
  }
  return [...byName.values()];
}

/** Run-level notes drawn from the reports: load and gc. */
export function runNotesOf(reports: readonly PerformanceReport[]): string[] {
  const notes: string[] = [];
  const loaded = reports.filter((report) => report.notes.some((note) => note.code === 'high-load'));
  if (loaded.length > 0) {
    notes.push(`${loaded.length} test(s) ran while the machine was busy (load at or above one per core): their figures may be inflated.`);
  }
  if (reports.some((report) => !report.isGcAvailable)) {
    notes.push('garbage collection could not be forced: run Jest with node --expose-gc for steadier memory figures.');
  }
  return notes;
}

/** A summary of a run from its stored reports. */
export function summarizeRun(run: RunRecord | null, allAttempts: readonly PerformanceReport[], extraNotes: string[] = []): RunSummary {
  const reports = finalAttempts(allAttempts);
  return { run, reports, counts: countVerdicts(reports), notes: [...extraNotes, ...runNotesOf(reports)] };
}

/** One line: `2 critical, 1 warning, 3 improved, 0 inconclusive, 1 without baseline, 12 pass`. */
export function describeCounts(counts: VerdictCounts): string {
  const parts = [
    `${counts.critical} critical`,
    `${counts.warning} warning`,
    `${counts.improved} improved`,
    `${counts.inconclusive} inconclusive`,
    `${counts.noBaseline} without baseline`,
    `${counts.pass} pass`,
  ];
  if (counts.baselineUpdated > 0) parts.push(`${counts.baselineUpdated} baseline updated`);
  return parts.join(', ');
}
