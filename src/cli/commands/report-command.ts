import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { ConfigError } from '../../errors';
import { type FailOn, isFailing } from '../../detector';
import { renderJson, renderMarkdown, renderTable, type RunSummary, summarizeRun } from '../../report';
import type { PerfguardStore } from '../../store';
import { type CommandContext, dbOption, withStore } from '../_context';

/** `--fail-on` levels. */
export type FailOnLevel = FailOn;

/** Renders a run summary in the chosen format. */
export function renderSummary(summary: RunSummary, format: string): string {
  if (format === 'json') return renderJson(summary);
  if (format === 'markdown') return renderMarkdown(summary);
  return renderTable(summary).replace(/^\n/, '');
}

/** 1 when a final verdict is at or above `failOn`, else 0. */
export function exitCodeFor(summary: RunSummary, failOn: FailOnLevel): number {
  return summary.reports.some((report) => isFailing(report, failOn)) ? 1 : 0;
}

/** Writes to `--output FILE`, or to stdout. */
export function emit(context: CommandContext, text: string, output: string | undefined): void {
  if (output === undefined) {
    context.stdout.write(text);
    return;
  }
  const file = path.resolve(context.cwd, output);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function summaryOf(store: PerfguardStore, runOption: string): Promise<RunSummary> {
  const run = runOption === 'latest' ? await store.latestRun() : await store.getRun(runOption);
  if (run === undefined) {
    throw new ConfigError(
      runOption === 'latest'
        ? `The store ${store.location} has no runs with results yet: run the performance tests first.`
        : `No run '${runOption}' in ${store.location}: pass --run latest, or an id from 'perfguard report --format json'.`,
    );
  }
  return summarizeRun(run, (await store.resultsOfRun(run.id)).map((result) => result.report));
}

/** `perfguard report`: the verdicts of one run. */
export function registerReportCommand(program: Command, context: CommandContext, setExitCode: (code: number) => void): void {
  program
    .command('report')
    .description('show the verdicts of one run (the latest by default)')
    .addOption(dbOption())
    .option('--run <id>', "run id, or 'latest'", 'latest')
    .addOption(formatOption(['table', 'json', 'markdown']))
    .addOption(failOnOption())
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (options: { db?: string; run: string; format: string; failOn: FailOnLevel; output?: string }) => {
      const summary = await withStore(context, options.db, true, (store) => summaryOf(store, options.run));
      emit(context, renderSummary(summary, options.format), options.output);
      setExitCode(exitCodeFor(summary, options.failOn));
    });
}

/** `--format`, limited to `formats`; the first is the default. */
export function formatOption(formats: string[]): Option {
  return new Option('--format <format>', `output format: ${formats.join(', ')}`).choices(formats).default(formats[0]);
}

/** `--fail-on critical|warning|none`. */
export function failOnOption(): Option {
  return new Option('--fail-on <level>', 'exit 1 on regressions at or above this severity').choices(['critical', 'warning', 'none']).default('critical');
}
