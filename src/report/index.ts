export { renderAnnotations, renderJson } from './github';
export { describeRegression, failingRegressions, formatRegressionMessage } from './regression-message';
export { escapeCell, GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, renderMarkdown } from './render-markdown';
export { alignColumns, formatMedianSpread, renderTable, tableRow } from './render-table';
export { countVerdicts, describeCounts, finalAttempts, runNotesOf, summarizeRun } from './run-summary';
export type { RunSummary, VerdictCounts } from './run-summary';
export { publishRun, runFailure } from './publish-run';
export type { PublishOptions } from './publish-run';
