import fs from 'node:fs';
import path from 'node:path';
import { type FailOn, isFailing, outcomeOf } from '../detector';
import { renderAnnotations, renderJson } from './github';
import { renderMarkdown } from './render-markdown';
import { renderTable } from './render-table';
import type { RunSummary } from './run-summary';

/** Where a run's summary goes. */
export interface PublishOptions {
  /** Folder for perfguard-report.json and perfguard-report.md. */
  outputDir: string;
  /** Root the annotations' file paths are relative to. */
  rootDir: string;
  /** Writes the table and messages (stderr). */
  write: (text: string) => void;
  /** Environment: GITHUB_ACTIONS and GITHUB_STEP_SUMMARY turn on annotations and the step summary. */
  env: NodeJS.ProcessEnv;
}

/**
 * Everything a finished run publishes: the table, perfguard-report.json and
 * perfguard-report.md, and under GitHub Actions the annotations (on stdout, where the runner
 * reads workflow commands) and the step summary.
 */
export function publishRun(summary: RunSummary, options: PublishOptions): void {
  options.write(renderTable(summary));
  fs.mkdirSync(options.outputDir, { recursive: true });
  const jsonFile = path.join(options.outputDir, 'perfguard-report.json');
  const markdown = renderMarkdown(summary);
  fs.writeFileSync(jsonFile, renderJson(summary));
  fs.writeFileSync(path.join(options.outputDir, 'perfguard-report.md'), markdown);
  options.write(`perfguard: wrote ${path.relative(process.cwd(), jsonFile) || jsonFile} and perfguard-report.md\n`);
  if (options.env['GITHUB_ACTIONS'] !== 'true') return;
  for (const line of renderAnnotations(summary, options.rootDir)) process.stdout.write(`${line}\n`);
  const stepSummary = options.env['GITHUB_STEP_SUMMARY'];
  if (stepSummary !== undefined && stepSummary !== '') fs.appendFileSync(stepSummary, `${markdown}\n`);
}

/** The message of a run that fails at `failOn`, or undefined when it does not. */
export function runFailure(summary: RunSummary, failOn: FailOn): string | undefined {
  const failing = summary.reports.filter((report) => isFailing(report, failOn));
  if (failing.length === 0) return undefined;
  return `perfguard: ${failing.length} performance regression(s) at or above ${failOn}: ${failing.map((r) => `'${r.name}' (${outcomeOf(r)})`).join(', ')}`;
}
