import { formatConfidence, formatFactor, formatMetric } from '../_format';
import { type FailOn, isFailingSeverity } from '../detector';
import type { PerformanceReport, Regression } from '../types';

/** The regressions of a report at or above `failOn`. */
export function failingRegressions(report: PerformanceReport, failOn: FailOn = 'warning'): Regression[] {
  return report.regressions.filter((regression) => isFailingSeverity(regression.severity, failOn));
}

/** One line per regression: metric, baseline against current, factor with interval, confidence. */
export function describeRegression(regression: Regression): string {
  const { metricType, baselineValue, currentValue, regressionFactor, factorInterval, severity, confidence } = regression;
  return `${metricType} ${severity}: ${formatMetric(metricType, baselineValue)} → ${formatMetric(metricType, currentValue)}, ${formatFactor(regressionFactor, factorInterval)} slower, confidence ${formatConfidence(confidence)}`;
}

/**
 * The failure message of a regressed benchmark: what regressed, by how much, how sure, and
 * how to accept the new figures as the baseline if the slowdown is intended.
 */
export function formatRegressionMessage(report: PerformanceReport, failOn: FailOn = 'warning'): string {
  const lines = [`Performance regression in '${report.name}':`];
  for (const regression of failingRegressions(report, failOn)) lines.push(`  ${describeRegression(regression)}`);
  if (report.baseline !== null) {
    const commit = report.baseline.commit === null ? '' : ` at commit ${report.baseline.commit.slice(0, 12)}`;
    lines.push(`  baseline from ${report.baseline.createdAt}${commit}`);
  }
  const runs = report.processes?.length ?? 1;
  if (runs > 1) lines.push(`  (the verdict rests on ${runs} runs in separate processes)`);
  else if (report.attempt > 1) lines.push('  (confirmed by a second measurement)');
  for (const note of report.notes) lines.push(`  note: ${note.message}`);
  lines.push(
    '  If the slowdown is intended, accept the new figures as the baseline: rerun with UPDATE_PERFORMANCE_BASELINE=true (and PERFGUARD_BASELINE_REASON="why").',
  );
  return lines.join('\n');
}
