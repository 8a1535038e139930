export { formatConfidence, formatDuration, formatFactor, formatMemory, formatMetric, formatPercent } from './format-units';
export { renderAnnotations, renderJson } from './github';
export { describeRegression, failingRegressions, formatRegressionMessage } from './regression-message';
export type { FailOn } from './regression-message';
export { escapeCell, GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, renderMarkdown } from './render-markdown';
export { alignColumns, formatMedianSpread, renderTable, tableRow } from './render-table';
export { countVerdicts, describeCounts, finalAttempts, runNotesOf, summarizeRun, verdictOf } from './run-summary';
export type { RunSummary, Verdict, VerdictCounts } from './run-summary';
