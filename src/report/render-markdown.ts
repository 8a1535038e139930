import { formatConfidence, formatFactor } from '../_format';
import { type Outcome, outcomeOf } from '../detector';
import type { PerformanceReport } from '../types';
import { formatCurrent, formatDetectable, formatReference, instructionDelta, primaryVerdict } from './render-table';
import { describeCounts, type RunSummary } from './run-summary';

/** Hidden marker that lets CI find and update its one comment instead of adding more. */
export const MARKDOWN_MARKER = '<!-- perfguard-report -->';

/** GitHub refuses comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

const VERDICT_ICONS: Record<Outcome, string> = {
  critical: '🔴 critical',
  warning: '🟠 warning',
  inconclusive: '⚪ inconclusive',
  improved: '🟢 improved',
  pass: '✅ pass',
  'no-baseline': '🆕 new',
  'baseline-updated': '📌 baseline updated',
};

const CHANGED: readonly Outcome[] = ['critical', 'warning', 'improved', 'inconclusive', 'no-baseline'];

/** Makes text safe inside a markdown table cell: no pipes, tags or line breaks. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\r?\n/g, ' ');
}

function headline(summary: RunSummary): string {
  const { counts } = summary;
  if (counts.critical > 0) return `🔴 perfguard: ${counts.critical} critical regression${counts.critical === 1 ? '' : 's'}`;
  if (counts.warning > 0) return `🟠 perfguard: ${counts.warning} regression warning${counts.warning === 1 ? '' : 's'}`;
  if (counts.inconclusive > 0) return `⚪ perfguard: no confirmed regression, ${counts.inconclusive} inconclusive`;
  if (counts.total === 0) return '⚪ perfguard: no performance tests ran';
  return '✅ perfguard: no regressions';
}

function withDelta(verdict: string, delta: string | null): string {
  return delta === null ? verdict : `${verdict}, ${delta}`;
}

function row(report: PerformanceReport): string {
  const duration = primaryVerdict(report);
  const cells = [
    `\`${escapeCell(report.name)}\``,
    formatReference(report),
    formatCurrent(report),
    formatFactor(duration?.regressionFactor ?? null, duration?.factorInterval),
    formatConfidence(duration?.confidence ?? null),
    formatDetectable(report),
    withDelta(VERDICT_ICONS[outcomeOf(report)], instructionDelta(report)),
  ];
  return `| ${cells.join(' | ')} |`;
}

const TABLE_HEAD = [
  '| test | baseline (median ± MAD of runs) | current | factor [95 % interval] | confidence | detectable | verdict |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];

function environmentBanner(summary: RunSummary): string[] {
  const current = summary.run?.environment.key ?? summary.reports[0]?.environment.key;
  const others = new Set(summary.reports.flatMap((r) => (r.baseline !== null && r.baseline.environmentKey !== current ? [r.baseline.environmentKey] : [])));
  if (others.size === 0) return [];
  return [
    `> [!WARNING]`,
    `> Some baselines were measured on another environment (${[...others].map(escapeCell).join('; ')}) than this run (${escapeCell(current ?? 'unknown')}). Differences may come from the machine, not the code.`,
    '',
  ];
}

function baselineProvenance(summary: RunSummary): string[] {
  const commits = new Set(summary.reports.flatMap((r) => (r.baseline?.commit === undefined || r.baseline.commit === null ? [] : [r.baseline.commit])));
  const head = summary.run?.commit === null || summary.run?.commit === undefined ? '' : ` Measured at \`${summary.run.commit.slice(0, 12)}\`.`;
  if (commits.size === 0) return head === '' ? [] : [head.trim(), ''];
  if (commits.size === 1) return [`Compared with baselines from commit \`${[...commits][0]?.slice(0, 12)}\`.${head}`, ''];
  return [`Compared with baselines from ${commits.size} commits (newest per test).${head}`, ''];
}

/** Appends table rows until the text would pass `budget` characters; says how many were cut. */
function rowsWithin(reports: PerformanceReport[], budget: number): string[] {
  const lines: string[] = [];
  let used = 0;
  for (const [index, report] of reports.entries()) {
    const line = row(report);
    if (used + line.length + 1 > budget) {
      lines.push('', `_…${reports.length - index} more rows cut to fit GitHub's comment limit; the full results are in perfguard-report.json._`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines;
}

/**
 * The pull-request comment for a run: headline, counts, the rows that changed, and every
 * row under a fold; kept under GitHub's 65,536-character limit by cutting rows with a note.
 */
export function renderMarkdown(summary: RunSummary, limit = GITHUB_COMMENT_LIMIT): string {
  const top = [MARKDOWN_MARKER, `## ${headline(summary)}`, '', describeCounts(summary.counts), '', ...environmentBanner(summary), ...baselineProvenance(summary)];
  // Instruction counts are exact: a 1 % change the thresholds pass is still shown, so a creep is seen early.
  const changed = summary.reports.filter((report) => CHANGED.includes(outcomeOf(report)) || instructionDelta(report) !== null);
  const notes = summary.notes.map((note) => `> ${escapeCell(note)}`);
  const tail = ['', ...notes];
  const fixed = [...top, ...tail].join('\n').length + 400;
  const mainBudget = Math.floor((limit - fixed) / 2);
  const main = changed.length === 0 ? ['No test changed beyond noise.'] : [...TABLE_HEAD, ...rowsWithin(changed, mainBudget)];
  const fullBudget = limit - fixed - main.join('\n').length;
  const full = ['<details>', `<summary>All ${summary.reports.length} tests</summary>`, '', ...TABLE_HEAD, ...rowsWithin(summary.reports, fullBudget), '', '</details>'];
  return `${[...top, ...main, '', ...full, ...tail].join('\n').trimEnd()}\n`;
}
