import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { type RunSummary, summarizeRun } from '../../report';
import { expectConfidence, machineFactorOf, overallStatus, PerformanceRegressionDetector, regressionsOf } from '../../runner';
import { SqliteStore } from '../../store';
import type { PerformanceReport, ResultRecord, RunRecord } from '../../types';
import type { CommandContext } from '../_context';
import path from 'node:path';
import { emit, exitCodeFor, type FailOnLevel, failOnOption, formatOption, renderSummary } from './report-command';

function latestFinalResults(store: SqliteStore, role: string): { run: RunRecord; results: Map<string, ResultRecord> } {
  const run = store.latestRun();
  if (run === undefined) throw new ConfigError(`The ${role} store ${store.location} has no runs with results.`);
  const results = new Map<string, ResultRecord>();
  for (const result of store.resultsOfRun(run.id)) {
    const seen = results.get(result.testName);
    if (seen === undefined || result.attempt >= seen.attempt) results.set(result.testName, result);
  }
  return { run, results };
}

function judged(head: ResultRecord, base: ResultRecord | undefined, baseRun: RunRecord, detector: PerformanceRegressionDetector): PerformanceReport {
  const verdicts = detector.judge(head.samples, base?.samples, { machineFactor: machineFactorOf(head.report, base?.report) });
  const notes = head.report.notes.filter((note) => !['baseline-established', 'remeasured', 'environment-mismatch'].includes(note.code));
  if (base !== undefined && base.environmentKey !== head.environmentKey) {
    notes.push({ code: 'environment-mismatch', message: `base measured on ${base.environmentKey}, head on ${head.environmentKey}` });
  }
  return {
    ...head.report,
    verdicts,
    regressions: regressionsOf(verdicts),
    status: overallStatus(verdicts),
    notes,
    baseline:
      base === undefined
        ? null
        : {
            createdAt: base.createdAt,
            commit: baseRun.commit,
            reason: 'base store',
            environmentKey: base.environmentKey,
            isSameEnvironment: base.environmentKey === head.environmentKey,
            medianDuration: base.report.duration.median,
            madDuration: base.report.duration.mad,
          },
  };
}

/** Judges the head store's latest run against the base store's latest run, test by test. */
export function compareStores(base: SqliteStore, head: SqliteStore, detector: PerformanceRegressionDetector): RunSummary {
  const before = latestFinalResults(base, 'base');
  const after = latestFinalResults(head, 'head');
  const reports = [...after.results.values()].map((result) => judged(result, before.results.get(result.testName), before.run, detector));
  return summarizeRun(after.run, reports);
}

/** `perfguard compare --base A.db --head B.db`. */
export function registerCompareCommand(program: Command, context: CommandContext, setExitCode: (code: number) => void): void {
  program
    .command('compare')
    .description("judge the head store's latest run against the base store's latest run (base and head measured on the same runner)")
    .requiredOption('--base <path>', 'store measured on the base commit')
    .requiredOption('--head <path>', 'store measured on the head commit')
    .option('--confidence <p>', 'evidence level a slowdown needs', '0.95')
    .addOption(formatOption(['table', 'json', 'markdown']))
    .addOption(failOnOption())
    .option('--output <file>', 'write to a file instead of stdout')
    .action((options: { base: string; head: string; confidence: string; format: string; failOn: FailOnLevel; output?: string }) => {
      const confidence = expectConfidence(Number(options.confidence), '--confidence');
      const base = SqliteStore.open(path.resolve(context.cwd, options.base), { readonly: true });
      try {
        const head = SqliteStore.open(path.resolve(context.cwd, options.head), { readonly: true });
        try {
          const summary = compareStores(base, head, new PerformanceRegressionDetector({ store: head, confidence }));
          emit(context, renderSummary(summary, options.format), options.output);
          setExitCode(exitCodeFor(summary, options.failOn));
        } finally {
          head.close();
        }
      } finally {
        base.close();
      }
    });
}
