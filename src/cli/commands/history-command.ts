import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { formatDuration, formatFactor, formatInstructions } from '../../_format';
import { outcomeOf } from '../../detector';
import { alignColumns } from '../../report';
import { type CommandContext, dbOption, type ListFormat, parsePositiveInteger, printJson, withStore } from '../_context';
import { formatOption } from './report-command';

/** `perfguard history NAME`: a test's runs over time, newest first. */
export function registerHistoryCommand(program: Command, context: CommandContext): void {
  program
    .command('history')
    .argument('<name>', 'test name')
    .description("a test's runs over time: commit, date, median (instructions per call in instructions mode), verdict")
    .addOption(dbOption())
    .option('--limit <n>', 'most runs to show', '20')
    .addOption(formatOption(['table', 'json']))
    .action(async (name: string, options: { db?: string; limit: string; format: ListFormat }) => {
      const limit = parsePositiveInteger(options.limit, '--limit');
      const history = await withStore(context, options.db, true, (store) => store.testHistory(name, limit));
      if (history.length === 0) throw new ConfigError(`No results for '${name}'. See 'perfguard baselines list' for stored test names.`);
      if (options.format === 'json') {
        printJson(
          context,
          history.map(({ run, result }) => ({
            runId: run.id,
            commit: run.commit,
            branch: run.branch,
            date: result.createdAt,
            attempt: result.attempt,
            mode: result.report.mode ?? 'time',
            medianDuration: result.report.duration.median,
            instructionsPerCall: result.report.instructions?.median ?? null,
            runs: result.report.processes?.length ?? 1,
            verdict: outcomeOf(result.report),
          })),
        );
        return;
      }
      const rows = history.map(({ run, result }) => {
        const duration = result.report.verdicts.find((v) => v.metricType === (result.report.mode === 'instructions' ? 'instructions' : 'duration'));
        return [
          result.createdAt,
          run.commit?.slice(0, 12) ?? '–',
          run.branch ?? '–',
          // Instructions mode is judged on counts; its wall time under Valgrind says little.
          result.report.instructions === undefined ? formatDuration(result.report.duration.median) : formatInstructions(result.report.instructions.median),
          formatFactor(duration?.regressionFactor ?? null),
          `${outcomeOf(result.report)}${(result.report.processes?.length ?? 1) > 1 ? ` (${result.report.processes.length} runs)` : result.attempt > 1 ? ' (re-measured)' : ''}`,
        ];
      });
      context.stdout.write(`${alignColumns([['date', 'commit', 'branch', 'median', 'factor', 'verdict'], ...rows])}\n`);
    });
}
