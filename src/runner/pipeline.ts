import { randomUUID } from 'node:crypto';
import { formatFactor } from '../_format';
import type { InstructionCount, Measurement } from '../tracker';
import { instructionFigures, instructionNotes, roundSpreadOf } from './instructions-step';
import type { BaselineEpoch, MeasuringMode, PerformanceReport, ProcessFigures, ReportNote } from '../types';
import type { CallerPlace } from './_caller';
import type { ResolvedBenchmarkOptions } from './benchmark-options';
import { buildReport, toStoredSamples } from './build-report';
import type { CurrentRun, EnvironmentMismatchMode } from './current-run';
import type { RoundRunner } from './fresh-process-rounds';
import { judgeProcesses, type JudgeSettings, needsRounds, plannedRuns, type ProcessJudgement, type ReferenceRuns } from '../detector';
import type { ProfileRequest } from './profile-step';
import { profileStep } from './profile-step';
import { processFiguresOf } from './round-protocol';
import { currentTestDeadline } from './_jest-deadline';

/** Everything the pipeline needs besides the first measurement. */
export interface PipelineRequest {
  name: string;
  caller: CallerPlace;
  options: ResolvedBenchmarkOptions;
  settings: JudgeSettings;
  mode: MeasuringMode;
  /** Found a new baseline epoch instead of judging (UPDATE_PERFORMANCE_BASELINE), with this reason. */
  updateReason: string | undefined;
  environmentMismatch: EnvironmentMismatchMode;
  /** Starts the fresh-process rounds; undefined where none can be started. */
  rounds: RoundRunner | undefined;
  /** How to profile the function, when `profile` asks for it; undefined for the block form. */
  profile: ProfileRequest | undefined;
  /** Time one round may take before it is stopped, in ms. */
  roundTimeoutMs: number;
  /** What one round is expected to take (the first measurement and a process start), in ms. */
  expectedRoundMs: number;
  /** Instructions mode: what callgrind counted (the measurement then carries its wall time only). */
  instructions?: InstructionCount;
}

/** The processes a verdict or baseline rests on, and what to say about them. */
interface Evidence {
  processes: ProcessFigures[];
  notes: ReportNote[];
}

/**
 * One benchmark, from its first measurement to the stored report:
 * 1. judge the measuring process against the baseline's runs of unchanged code;
 * 2. confirm: a first run that clears the screening bar, or a new baseline, gets fresh-process
 *    rounds, and the verdict (or the baseline) rests on every run;
 * 3. profile (after the rounds, so it disturbs nothing, and before storing, so the stored
 *    report names the profile);
 * 4. persist the result, its processes and any new epoch in one transaction.
 */
export async function runPipeline(measurement: Measurement, request: PipelineRequest, run: CurrentRun): Promise<PerformanceReport> {
  const environmentKey = measurement.environment.key;
  const first = processFiguresOf(measurement);
  const { instructions } = request;
  if (instructions !== undefined) {
    first.instructions = instructions.medianInstructionsPerCall;
    request.settings.withinRunSpread = roundSpreadOf(instructions);
  }
  const baseline = request.updateReason === undefined ? await run.findBaseline(request.name, environmentKey, request.mode, request.environmentMismatch) : undefined;
  // No baseline of this environment's own (none at all, or only another environment's): this run founds one.
  const foundsHere = request.updateReason === undefined && request.options.saveFirstBaseline && (baseline === undefined || baseline.epoch.environmentKey !== environmentKey);
  const evidence = await confirmStep(first, baseline, foundsHere || request.updateReason !== undefined, environmentKey, request);
  const judgement = judgeProcesses(evidence.processes, baseline, environmentKey, request.settings);
  const notes = [...judgement.notes, ...mismatchNotes(baseline, environmentKey), ...evidence.notes];
  const report = buildReport(measurement, {
    ...(instructions === undefined ? {} : { instructions: instructionFigures(instructions) }),
    verdicts: judgement.verdicts,
    ...(request.updateReason === undefined ? {} : { status: 'baseline-updated' as const }),
    baseline: judgement.baseline,
    evidence: judgement.evidence,
    processes: evidence.processes,
    mode: request.mode,
    thresholds: request.settings.thresholds,
    notes,
    metadata: request.options.metadata,
    attempt: 1,
    place: request.caller.place,
    testFile: request.caller.testFile,
    runId: run.id,
    confidence: request.settings.confidence,
  });
  if (instructions !== undefined) report.notes.push(...instructionNotes(report, request.settings.confidence));
  const epochReason = request.updateReason ?? (foundsHere ? foundingReason(baseline, report) : undefined);
  if (request.updateReason === undefined && epochReason !== undefined) {
    report.notes.push({ code: 'baseline-established', message: `${baseline === undefined ? 'no baseline yet' : "no baseline of this environment's own yet"}: these ${evidence.processes.length} run(s) found it` });
  }
  if (request.profile !== undefined && (request.options.profile === true || (request.options.profile === 'on-regression' && report.status === 'regression'))) {
    await profileStep(report, request.profile);
  }
  await persistStep(report, measurement, epochReason, run);
  return report;
}

/**
 * The fresh-process rounds: for a new baseline always, for a judgement only when the first
 * run clears the screening bar. Unflagged benchmarks cost nothing here.
 */
async function confirmStep(first: ProcessFigures, baseline: ReferenceRuns | undefined, isFounding: boolean, environmentKey: string, request: PipelineRequest): Promise<Evidence> {
  // Founding while judged against another environment's baseline is flagged the same way.
  const isFlagged = baseline !== undefined && (!isFounding || baseline.epoch.environmentKey !== environmentKey) && needsRounds(first, baseline, request.settings);
  // A young baseline needs more runs to prove a slowdown by ranks; a founding alone rests on the rounds.
  const extra = (isFlagged ? plannedRuns(baseline, request.settings) : request.settings.rounds) - 1;
  if (extra <= 0 || (!isFounding && !isFlagged)) return { processes: [first], notes: [] };
  if (request.rounds === undefined) {
    return {
      processes: [first],
      notes: [
        {
          code: 'rounds-unavailable',
          message: `${isFounding ? 'the baseline' : 'this verdict'} rests on one process: perfguard cannot start a fresh one here (no Jest test file and no script to run again); run it under Jest with perfguard's reporter, or with perfguard test`,
        },
      ],
    };
  }
  const jestDeadline = currentTestDeadline();
  const outcome = await request.rounds.run({
    name: request.name,
    rounds: extra,
    testFile: request.caller.testFile,
    testName: request.caller.testName,
    timeoutMs: request.roundTimeoutMs,
    deadline: jestDeadline === undefined ? undefined : { at: jestDeadline.deadline, now: jestDeadline.now, timeoutMs: jestDeadline.timeoutMs },
    expectedRoundMs: request.expectedRoundMs,
  });
  const why = isFounding ? 'to found the baseline' : `because the first run read ${describeFirst(first, baseline, request.settings)}`;
  const notes: ReportNote[] = [
    {
      code: 'rounds',
      message: `measured again in ${outcome.processes.length} of ${extra} fresh process(es) (${request.rounds.description}) ${why}, in ${(outcome.elapsedMs / 1000).toFixed(1)} s; the ${isFounding ? 'baseline' : 'verdict'} rests on all ${outcome.processes.length + 1} runs`,
    },
  ];
  for (const failure of outcome.failures) notes.push({ code: 'rounds-unavailable', message: failure });
  return { processes: [first, ...outcome.processes], notes };
}

function describeFirst(first: ProcessFigures, baseline: ReferenceRuns | undefined, settings: JudgeSettings): string {
  // Only the verdicts are read: no detectable factor to check.
  const alone: ProcessJudgement = judgeProcesses([first], baseline, '', { ...settings, rounds: 1, isDetectableChecked: false });
  const flagged = alone.verdicts.filter((verdict) => verdict.status !== 'no-baseline' && verdict.status !== 'pass' && verdict.status !== 'improved');
  // Nothing flagged: a speed-up that could become improved, read on the primary metric.
  const shown = (flagged.length > 0 ? flagged : alone.verdicts.filter((verdict) => verdict.status !== 'no-baseline').slice(0, 1)).map(
    (verdict) => `${verdict.metricType} ${formatFactor(verdict.regressionFactor)}`,
  );
  return shown.length > 0 ? shown.join(', ') : 'a change';
}

function mismatchNotes(baseline: ReferenceRuns | undefined, environmentKey: string): ReportNote[] {
  if (baseline === undefined || baseline.epoch.environmentKey === environmentKey) return [];
  return [
    {
      code: 'environment-mismatch',
      message: `the baseline was measured on another environment (${baseline.epoch.environmentKey}; this one is ${environmentKey}): figures may differ for that reason alone`,
    },
  ];
}

/**
 * Why this run founds its environment's first baseline: none existed, or only another
 * environment's, which the run was judged against meanwhile. A run that reads as a regression
 * against it founds nothing, so a slowdown is not taken in as this environment's reference.
 */
function foundingReason(baseline: ReferenceRuns | undefined, report: PerformanceReport): string | undefined {
  if (baseline === undefined) return 'first measurement';
  if (report.status === 'regression') return undefined;
  return `first measurement on this environment (judged against ${baseline.epoch.environmentKey})`;
}

async function persistStep(report: PerformanceReport, measurement: Measurement, epochReason: string | undefined, run: CurrentRun): Promise<void> {
  const resultId = randomUUID();
  const createdAt = new Date().toISOString();
  const epoch: BaselineEpoch | undefined =
    epochReason === undefined ? undefined : await run.newEpoch(report.name, measurement.environment.key, report.mode, resultId, epochReason, createdAt);
  await run.record(
    {
      id: resultId,
      runId: run.id,
      testName: report.name,
      attempt: report.attempt,
      createdAt,
      status: report.status,
      environmentKey: measurement.environment.key,
      report,
      samples: toStoredSamples(measurement),
    },
    epoch,
  );
}
