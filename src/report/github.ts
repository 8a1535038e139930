import path from 'node:path';
import { describeRegression } from './regression-message';
import { outcomeOf } from '../detector';
import type { RunSummary } from './run-summary';

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands: `::error` for critical regressions and `::warning` for
 * warnings, placed on the test file, so they show on the pull request's diff.
 */
export function renderAnnotations(summary: RunSummary, rootDir: string): string[] {
  return summary.reports.flatMap((report) => {
    const verdict = outcomeOf(report);
    if (verdict !== 'critical' && verdict !== 'warning') return [];
    const command = verdict === 'critical' ? 'error' : 'warning';
    const file = report.testFile === null ? '' : `file=${escapeProperty(path.relative(rootDir, report.testFile).split(path.sep).join('/'))},`;
    const title = `title=${escapeProperty(`perfguard: ${report.name} ${verdict}`)}`;
    const message = report.regressions.map(describeRegression).join('\n');
    return [`::${command} ${file}${title}::${escapeData(message)}`];
  });
}

/** The JSON report: the run, the counts, run notes and every test's report. */
export function renderJson(summary: RunSummary): string {
  return `${JSON.stringify({ run: summary.run, counts: summary.counts, notes: summary.notes, tests: summary.reports }, null, 2)}\n`;
}
