import type { Command } from 'commander';
import { expectConfidence } from '../../_options';
import { DEFAULT_THRESHOLDS, judgeProcesses, regressionsOf, reportStatusOf } from '../../detector';
import { ConfigError } from '../../errors';
import { spreadOf } from '../../stats';
import { type RunSummary, summarizeRun } from '../../report';
import { type PerfguardStore, processesOf } from '../../store';
import type { MeasuringMode, PerformanceReport, ResultRecord, RunRecord, StoredProcess } from '../../types';
import { type CommandContext, withStore } from '../_context';
import { emit, exitCodeFor, type FailOnLevel, failOnOption, formatOption, renderSummary } from './report-command';

async function latestFinalResults(store: PerfguardStore, role: string): Promise<{ run: RunRecord; results: Map<string, ResultRecord> }> {
  const run = await store.latestRun();
  if (run === undefined) throw new ConfigError(`The ${role} store ${store.location} has no runs with results.`);
  const results = new Map<string, ResultRecord>();
  for (const result of await store.resultsOfRun(run.id)) results.set(result.testName, result);
  return { run, results };
}

function asReference(result: ResultRecord): StoredProcess[] {
  return processesOf(result).map((process, index) => ({ ...process, resultId: result.id, index, isFounding: true }));
}

const modeOf = (result: ResultRecord): MeasuringMode => result.report.mode ?? 'time';

/**
 * The head's report, judged against the base's processes instead of its own baseline, in the
 * head's mode and with the thresholds the head's verdict used (the defaults for results stored
 * before thresholds were recorded).
 */
function judged(head: ResultRecord, base: ResultRecord | undefined, baseRun: RunRecord, confidence: number): PerformanceReport {
  if (base !== undefined && modeOf(base) !== modeOf(head)) {
    throw new ConfigError(
      `'${head.testName}' was measured in the ${modeOf(base)} mode in the base store and in the ${modeOf(head)} mode in the head store: instruction counts and times cannot be compared. Measure both commits in the same mode.`,
    );
  }
  const reference = base === undefined ? undefined : { epoch: { createdAt: base.createdAt, commit: baseRun.commit, reason: 'base store', environmentKey: base.environmentKey }, processes: asReference(base) };
  const processes = processesOf(head);
  const judgement = judgeProcesses(processes, reference, head.environmentKey, {
    thresholds: head.report.thresholds ?? DEFAULT_THRESHOLDS,
    confidence,
    rounds: processes.length,
    mode: modeOf(head),
    // Base and head measured side by side in one job: their few runs are judged by the t test, not held to a young baseline's ranks.
    measuredBeside: true,
    ...(head.report.instructions === undefined ? {} : { withinRunSpread: spreadOf(head.report.instructions.rounds.filter((value) => value > 0).map(Math.log)) }),
  });
  const notes = head.report.notes.filter((note) => !['baseline-established', 'remeasured', 'rounds', 'environment-mismatch', 'little-history', 'baseline-set-aside', 'bimodal', 'detectable-effect', 'memory-busy', 'crowded-runs'].includes(note.code));
  if (base !== undefined && base.environmentKey !== head.environmentKey) {
    notes.push({ code: 'environment-mismatch', message: `base measured on ${base.environmentKey}, head on ${head.environmentKey}` });
  }
  return {
    ...head.report,
    verdicts: judgement.verdicts,
    regressions: regressionsOf(judgement.verdicts),
    status: reportStatusOf(judgement.verdicts),
    notes: [...judgement.notes, ...notes],
    evidence: judgement.evidence,
    baseline: judgement.baseline,
  };
}

/**
 * Judges the head store's latest run against the base store's latest run, test by test: the
 * head's processes against the base's, by the same run-level rule as every verdict, in the
 * mode and with the thresholds each head result was judged with.
 */
export async function compareStores(base: PerfguardStore, head: PerfguardStore, confidence: number): Promise<RunSummary> {
  const before = await latestFinalResults(base, 'base');
  const after = await latestFinalResults(head, 'head');
  const reports = [...after.results.values()].map((result) => judged(result, before.results.get(result.testName), before.run, confidence));
  return summarizeRun(after.run, reports);
}

/** `perfguard compare --base A.db --head B.db`. */
export function registerCompareCommand(program: Command, context: CommandContext, setExitCode: (code: number) => void): void {
  program
    .command('compare')
    .description("judge the head store's latest run against the base store's latest run (base and head measured on the same runner)")
    .requiredOption('--base <path>', 'store (SQLite file or postgres:// URL) measured on the base commit')
    .requiredOption('--head <path>', 'store (SQLite file or postgres:// URL) measured on the head commit')
    .option('--confidence <p>', 'evidence level a slowdown needs', '0.95')
    .addOption(formatOption(['table', 'json', 'markdown']))
    .addOption(failOnOption())
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (options: { base: string; head: string; confidence: string; format: string; failOn: FailOnLevel; output?: string }) => {
      const confidence = expectConfidence(Number(options.confidence), '--confidence');
      const summary = await withStore(context, options.base, true, (base) =>
        withStore(context, options.head, true, (head) => compareStores(base, head, confidence)),
      );
      emit(context, renderSummary(summary, options.format), options.output);
      setExitCode(exitCodeFor(summary, options.failOn));
    });
}
