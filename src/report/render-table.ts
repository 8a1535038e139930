import { formatDuration, formatFactor, formatInstructions } from '../_format';
import { outcomeOf } from '../detector';
import type { PerformanceReport } from '../types';
import { describeCounts, type RunSummary } from './run-summary';

/** Median ± MAD of the duration: `1.23 ms ± 0.04 ms`; only the median for one sample, which has no spread. */
export function formatMedianSpread(median: number, mad: number, samples = 2): string {
  return samples > 1 ? `${formatDuration(median)} ± ${formatDuration(mad)}` : formatDuration(median);
}

function runsSuffix(runs: number | undefined): string {
  return runs === undefined || runs <= 1 ? '' : ` (${runs} runs)`;
}

/**
 * The current duration a verdict used: over several runs (processes), their centre; over one,
 * the measuring process's median ± MAD of its samples.
 */
export function formatCurrent(report: PerformanceReport): string {
  if (report.instructions !== undefined) return formatInstructions(report.instructions.median);
  const runs = report.processes?.length ?? 1;
  const duration = report.verdicts.find((verdict) => verdict.metricType === 'duration');
  if (runs > 1 && duration !== undefined) return `${formatDuration(duration.currentValue)}${runsSuffix(runs)}`;
  return formatMedianSpread(report.duration.median, report.duration.mad, report.iterations);
}

/** The reference a verdict used: median of the reference runs ± their MAD, and how many. */
export function formatReference(report: PerformanceReport): string {
  const { baseline } = report;
  if (baseline === null) return '–';
  if (baseline.medianInstructions !== undefined) return `${formatInstructions(baseline.medianInstructions)}${runsSuffix(baseline.runs)}`;
  return `${formatMedianSpread(baseline.medianDuration, baseline.madDuration, baseline.runs ?? 2)}${runsSuffix(baseline.runs)}`;
}

/** The smallest slowdown the rule proves here: `1.07x`, or – when unknown. */
export function formatDetectable(report: PerformanceReport): string {
  const factor = report.evidence?.detectableFactor ?? null;
  if (factor === null) return '–';
  return `${factor.toFixed(factor < 1.01 ? 3 : 2)}x`;
}

/** The verdict a report's row shows: instructions in instructions mode, else duration. */
export function primaryVerdict(report: PerformanceReport): PerformanceReport['verdicts'][number] | undefined {
  const metric = report.mode === 'instructions' ? 'instructions' : 'duration';
  return report.verdicts.find((verdict) => verdict.metricType === metric);
}

/**
 * A change of the instruction count that the thresholds passed but that is big enough to show
 * (the `instructions-delta` note): `+3.0 % instructions`; null otherwise.
 */
export function instructionDelta(report: PerformanceReport): string | null {
  if (!report.notes.some((note) => note.code === 'instructions-delta')) return null;
  const factor = primaryVerdict(report)?.regressionFactor ?? null;
  if (factor === null) return null;
  return `${factor > 1 ? '+' : ''}${((factor - 1) * 100).toFixed(1)} % instructions`;
}

/** The table row of one report. */
export function tableRow(report: PerformanceReport): string[] {
  const duration = primaryVerdict(report);
  const delta = instructionDelta(report);
  return [
    report.name,
    formatCurrent(report),
    formatReference(report),
    formatFactor(duration?.regressionFactor ?? null, duration?.factorInterval),
    formatDetectable(report),
    delta === null ? outcomeOf(report) : `${outcomeOf(report)} (${delta})`,
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
  const header = ['test', 'current', 'baseline', 'factor [interval]', 'detectable', 'verdict'];
  const lines = ['', 'perfguard', alignColumns([header, ...summary.reports.map(tableRow)]), '', describeCounts(summary.counts)];
  for (const note of summary.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}
