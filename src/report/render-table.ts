import type { PerformanceReport } from '../types';
import { formatDuration, formatFactor } from './format-units';
import { describeCounts, type RunSummary, verdictOf } from './run-summary';

/** Median ± MAD of the duration: `1.23 ms ± 0.04 ms`. */
export function formatMedianSpread(median: number, mad: number): string {
  return `${formatDuration(median)} ± ${formatDuration(mad)}`;
}

/** The table row of one report. */
export function tableRow(report: PerformanceReport): string[] {
  const duration = report.verdicts.find((verdict) => verdict.metricType === 'duration');
  return [
    report.name,
    formatMedianSpread(report.duration.median, report.duration.mad),
    report.baseline === null ? '–' : formatMedianSpread(report.baseline.medianDuration, report.baseline.madDuration),
    formatFactor(duration?.regressionFactor ?? null, duration?.factorInterval),
    verdictOf(report),
  ];
}

/** Lays rows out in aligned columns. */
export function alignColumns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/** The terminal summary of a run: table, counts and notes. */
export function renderTable(summary: RunSummary): string {
  const header = ['test', 'median ± MAD', 'baseline', 'factor [interval]', 'verdict'];
  const lines = ['', 'perfguard', alignColumns([header, ...summary.reports.map(tableRow)]), '', describeCounts(summary.counts)];
  for (const note of summary.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}
