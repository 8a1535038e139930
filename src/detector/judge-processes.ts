import { medianAbsoluteDeviation } from 'simple-statistics';
import { formatMetric } from '../_format';
import { type GroupSpread, medianOf } from '../stats';
import type { BaselineEpoch, BaselineInfo, MeasuringMode, ProcessFigures, ReportNote, RunEvidence, StoredProcess } from '../types';
import { withCrowdedRunsCorrected } from './crowded-runs';
import { runsToProve } from './decision-rules';
import { scaleOf } from './metric-scale';
import { judgeRuns, type RunJudgement, shouldConfirm } from './judge-runs';
import { buildReference, type Reference } from './reference';
import type { ConditionedRun } from './run-point';
import type { MetricThresholds, MetricType, Thresholds } from './thresholds';
import { isRegressionVerdict, type MetricVerdict, type RuleName } from './verdict';

/** A baseline epoch with the runs of unchanged code since it was founded: what a verdict compares with. */
export interface ReferenceRuns {
  epoch: Pick<BaselineEpoch, 'createdAt' | 'commit' | 'reason' | 'environmentKey'>;
  /** The founding processes and the accepted ones since, oldest first. */
  processes: StoredProcess[];
}

/** How verdicts are reached for one benchmark. */
export interface JudgeSettings {
  thresholds: Thresholds;
  /** Evidence level, 0.5 to 1. */
  confidence: number;
  /** Runs a flagged verdict rests on: the measuring process and its fresh-process rounds. */
  rounds: number;
  /** How the processes measured: time judges duration, memory and CPU; instructions judges instruction counts. @default 'time' */
  mode?: MeasuringMode;
  /** Instructions mode: the spread between the current process's counted rounds. */
  withinRunSpread?: GroupSpread;
  /** The reference was measured beside the current runs (`perfguard compare`), not over time as a baseline: a young one is not held to ranks. */
  measuredBeside?: boolean;
  /**
   * Check the primary metric's detectable factor by replaying the rule on the baseline's
   * sittings (15–115 ms a judgement here); a judgement whose figures are not reported need not.
   * @default true
   */
  isDetectableChecked?: boolean;
}

/** Verdicts for every metric with what they rest on. */
export interface ProcessJudgement {
  verdicts: MetricVerdict[];
  evidence: RunEvidence | null;
  baseline: BaselineInfo | null;
  /** Notes a person should read: little history, the detectable effect, bimodal speeds, a set-aside baseline. */
  notes: ReportNote[];
}

/** From this memory-loop factor on, a report says the caches were busier than for the reference runs. */
export const BUSY_MEMORY_NOTE = 1.5;
/** From this sitting share on, the detectable-effect note says more rounds add little. */
export const SHARED_SITTING_NOTE = 0.5;
/** Below this many reference runs, a report says the history is short. */
export const LITTLE_HISTORY_RUNS = 3;

type PickValue = (process: ProcessFigures) => number | null;

const VALUE_OF: Record<MetricType, PickValue> = {
  duration: (process) => process.duration,
  memory: (process) => process.memory,
  cpu: (process) => process.cpuTimePerCall,
  instructions: (process) => process.instructions ?? null,
};

/** The metrics a mode judges, the primary one first. */
function metricsOf(mode: MeasuringMode): readonly MetricType[] {
  return mode === 'instructions' ? ['instructions'] : ['duration', 'memory', 'cpu'];
}

/**
 * A metric's thresholds: instruction counts use the duration's factors (the user's pass/fail
 * line), without its absolute floor, which is in seconds.
 */
function thresholdsFor(metric: MetricType, thresholds: Thresholds): MetricThresholds {
  return metric === 'instructions' ? { ...thresholds.duration, minimumDelta: 0 } : thresholds[metric];
}

/** The sitting of the current runs: the measuring process and its fresh-process rounds. */
const CURRENT_SITTING = 'current';

/**
 * The runs of `processes` for one metric. A stored process belongs to its result's sitting;
 * current processes (the measuring process, then its rounds) to the current sitting.
 */
function runsOf(processes: readonly (ProcessFigures | StoredProcess)[], pick: PickValue): ConditionedRun[] {
  return processes.flatMap((process, position) => {
    const value = pick(process);
    if (value === null || !Number.isFinite(value)) return [];
    const stored = 'resultId' in process;
    return [
      {
        value,
        at: process.measuredAt,
        isFounding: 'isFounding' in process ? process.isFounding : false,
        sitting: stored ? process.resultId : CURRENT_SITTING,
        round: stored ? process.index : position,
        conditions: {
          machineProbeNs: process.machineProbeNs,
          memoryProbeNs: process.memoryProbeNs,
          preemptedShare: process.preemptedShare,
          cpuTimePerCall: process.cpuTimePerCall,
        },
      },
    ];
  });
}

/**
 * A metric's runs as judged: the reference (runs of unchanged code) and the current runs.
 * Wall time takes crowded reference runs at the time their CPU time accounts for
 * ({@link withCrowdedRunsCorrected}); everything else stands as measured.
 */
function runsToJudge(metric: MetricType, current: readonly ProcessFigures[], baseline: ReferenceRuns | undefined): { reference: ConditionedRun[]; current: ConditionedRun[] } {
  const reference = baseline === undefined ? [] : runsOf(baseline.processes, VALUE_OF[metric]);
  return { reference: metric === 'duration' ? withCrowdedRunsCorrected(reference) : reference, current: runsOf(current, VALUE_OF[metric]) };
}

function judgeMetric(metric: MetricType, current: ProcessFigures[], baseline: ReferenceRuns | undefined, settings: JudgeSettings): RunJudgement | undefined {
  const runs = runsToJudge(metric, current, baseline);
  if (runs.current.length === 0) return undefined;
  return judgeRuns({
    metricType: metric,
    reference: runs.reference,
    current: runs.current,
    thresholds: thresholdsFor(metric, settings.thresholds),
    confidence: settings.confidence,
    rounds: settings.rounds - 1,
    withinRunSpread: metric === 'instructions' ? settings.withinRunSpread : undefined,
    measuredBeside: settings.measuredBeside,
    // The report shows the primary metric's detectable factor.
    isDetectableChecked: settings.isDetectableChecked !== false && metric === metricsOf(settings.mode ?? 'time')[0],
  });
}

/**
 * Whether the measuring process's figures deserve fresh-process rounds: any metric clears
 * the screening bar. Nothing is measured again otherwise.
 */
export function needsRounds(first: ProcessFigures, baseline: ReferenceRuns, settings: JudgeSettings): boolean {
  const rounds = plannedRuns(baseline, settings) - 1;
  return metricsOf(settings.mode ?? 'time').some((metric) => {
    const { reference, current } = runsToJudge(metric, [first], baseline);
    if (current.length === 0) return false;
    return shouldConfirm({
      metricType: metric,
      reference,
      current,
      thresholds: thresholdsFor(metric, settings.thresholds),
      confidence: settings.confidence,
      rounds,
    });
  });
}

/**
 * Runs a flagged verdict is planned to rest on: the settings' rounds, or more against a young
 * baseline in time mode, as many as ranks need ({@link runsToProve}). Exact counts rest on
 * the spread of their own counted rounds.
 */
export function plannedRuns(baseline: ReferenceRuns, settings: JudgeSettings): number {
  if ((settings.mode ?? 'time') !== 'time' || settings.rounds <= 1) return settings.rounds;
  // The runs the verdict is judged against: without founding runs that were set aside.
  const reference = buildReference(runsToJudge('duration', [], baseline).reference, scaleOf('duration'), settings.thresholds.duration.warning);
  return runsToProve(reference?.runs.length ?? 0, settings.rounds);
}

function spreadPercent(spread: number): string {
  return `±${((Math.exp(spread) - 1) * 100).toFixed(0)} %`;
}

function evidenceOf(judgement: RunJudgement, reference: Reference): RunEvidence {
  const spread = reference.spread.degreesOfFreedom >= 1 ? reference.spread.standardDeviation : null;
  return {
    referenceRuns: reference.runs.length,
    currentRuns: judgement.verdict.status === 'no-baseline' ? 0 : judgement.verdict.runs.current,
    spread,
    detectableFactor: judgement.detectableFactor,
    sittingShare: judgement.comparison?.sittingShare ?? 0,
    groups: reference.groups.map((group) => ({ duration: Math.exp(group.x), runs: group.runs })),
    foundingSetAside:
      reference.setAside === null
        ? null
        : { duration: reference.setAside.foundingValue, runsSince: reference.setAside.runsSince, direction: reference.setAside.direction },
  };
}

function notesOf(evidence: RunEvidence, warning: number, mode: MeasuringMode): ReportNote[] {
  const shown = (value: number): string => formatMetric(mode === 'instructions' ? 'instructions' : 'duration', value);
  const notes: ReportNote[] = [];
  // Exact counts are judged on the spread of their own counted rounds from the first run on.
  if (evidence.referenceRuns < LITTLE_HISTORY_RUNS && mode === 'time') {
    notes.push({
      code: 'little-history',
      message: `the baseline rests on ${evidence.referenceRuns} run(s) so far: how far this benchmark wanders between processes is barely known, so a flagged slowdown rests on its fresh-process rounds`,
    });
  }
  if (evidence.spread !== null && evidence.detectableFactor !== null && evidence.detectableFactor > warning) {
    notes.push({
      code: 'detectable-effect',
      message: `runs of this benchmark vary ${spreadPercent(evidence.spread)} between processes here, so only slowdowns of ${evidence.detectableFactor.toFixed(2)}x or more can be proven: ${
        mode === 'instructions'
          ? 'its count is not deterministic (time, randomness, I/O or a hash seed changes the work); make the work fixed'
          : `give it more work per call, or count instructions${(evidence.sittingShare ?? 0) >= SHARED_SITTING_NOTE ? `; runs measured back to back move together here (they share ${Math.round((evidence.sittingShare ?? 0) * 100)} % of that variance), so more rounds add little` : ''}`
      }`,
    });
  }
  if (evidence.groups.length > 1) {
    const total = evidence.groups.reduce((sum, group) => sum + group.runs, 0);
    const speeds = evidence.groups.map((group) => `${shown(group.duration)} (${group.runs} of ${total} runs)`).join(', ');
    notes.push({
      code: 'bimodal',
      message: `the same code settles at ${evidence.groups.length} speeds in different processes: ${speeds}; each run is judged against the speed it matches`,
    });
  }
  const setAside = evidence.foundingSetAside;
  if (setAside !== null) {
    notes.push({
      code: 'baseline-set-aside',
      message: `the runs this baseline was founded on (${shown(setAside.duration)}) were set aside: all ${setAside.runsSince} accepted run(s) since ran ${setAside.direction} by more than the warning threshold, so it was probably recorded at a bad moment and the runs since are the reference; re-record it with UPDATE_PERFORMANCE_BASELINE=true`,
    });
  }
  return notes;
}

function crowdedNote(reference: Reference): ReportNote[] {
  const count = reference.runs.filter((run) => (run as ConditionedRun).isCrowded === true).length;
  if (count === 0) return [];
  return [
    {
      code: 'crowded-runs',
      message: `${count} of ${reference.runs.length} reference runs were crowded: other processes took the core, and their wall time stretched past what their CPU time per call accounts for; the wall-time reference takes each at its CPU time per call times this code's usual multiple`,
    },
  ];
}

function memoryNote(current: ProcessFigures[], reference: StoredProcess[]): ReportNote[] {
  const median = (values: number[]): number | null => (values.length === 0 ? null : [...values].sort((a, b) => a - b)[values.length >> 1] ?? null);
  const now = median(current.flatMap((p) => (p.memoryProbeNs === null ? [] : [p.memoryProbeNs])));
  const before = median(reference.flatMap((p) => (p.memoryProbeNs === null ? [] : [p.memoryProbeNs])));
  if (now === null || before === null || before <= 0 || now / before < BUSY_MEMORY_NOTE) return [];
  return [
    {
      code: 'memory-busy',
      message: `perfguard's memory reference loop ran ${(now / before).toFixed(2)}x slower than for the reference runs: other processes were thrashing the shared caches, which slows code that allocates or walks large data (a slowdown it explains is held back as inconclusive); rerun to be sure`,
    },
  ];
}

function baselineInfoOf(baseline: ReferenceRuns, duration: MetricVerdict, environmentKey: string, reference: Reference): BaselineInfo {
  const centres = reference.runs.map((run) => run.value);
  const epoch = {
    createdAt: baseline.epoch.createdAt,
    commit: baseline.epoch.commit,
    reason: baseline.epoch.reason,
    environmentKey: baseline.epoch.environmentKey,
    isSameEnvironment: baseline.epoch.environmentKey === environmentKey,
    runs: centres.length,
  };
  if (duration.metricType !== 'instructions') {
    return { ...epoch, medianDuration: duration.baselineValue ?? 0, madDuration: centres.length > 1 ? medianAbsoluteDeviation(centres) : 0 };
  }
  // Instruction counts are judged; the duration is wall time under Valgrind, for the record.
  const durations = baseline.processes.map((process) => process.duration);
  return {
    ...epoch,
    medianDuration: durations.length === 0 ? 0 : medianOf(durations),
    madDuration: durations.length > 1 ? medianAbsoluteDeviation(durations) : 0,
    medianInstructions: duration.baselineValue ?? 0,
  };
}

/**
 * Why a wall-time verdict was held back, for the holds that say runs of unchanged code may read
 * like these: another of the code's speeds, within what unchanged runs do, too few of them.
 */
const WALL_TIME_HOLDS: Partial<Record<RuleName, string>> = {
  bimodal: "as another of the code's speeds",
  evidence: 'as within what runs of unchanged code do',
  history: 'for too little history',
};

/**
 * A CPU-time alarm on runs whose wall time was held back as another of the code's speeds
 * (`bimodal`), as within what unchanged runs do (`evidence`) or for too little history
 * (`history`) is held back too, unless CPU time grew past its warning threshold beyond the wall
 * time's own factor (work moved to other threads). CPU time per call is the same runs' time
 * without the waits, so it moves with the speed each process settles at; two metrics tested on
 * the same runs would alarm on the chance of either. Each asks whether unchanged runs have read
 * this slow at its own warning threshold and in its own ranks: the example suite's
 * json_round_trip_1k_orders ran three processes at 5.40–5.78 ms against unchanged runs at
 * 3.12–5.40 ms (wall and CPU time alike), and wall time, 1.38x, was held back since three
 * unchanged runs had run past 1.2x, while CPU time, 1.27x, was called a warning, since only one
 * had run past 1.25x. Its regex_validate_2k_emails ran four processes at 185–222 µs against five
 * unchanged at 116–197 µs: wall time, 1.80x, was held back as one unchanged run (197 µs) had been
 * as slow as the fastest of them, while CPU time, 1.40x, was called a warning, as that run's CPU
 * time (189 µs) was just below theirs (195–232 µs).
 */
function withWallTimeHolds(verdict: MetricVerdict, wall: MetricVerdict | undefined, thresholds: Thresholds): MetricVerdict {
  if (verdict.metricType !== 'cpu' || !isRegressionVerdict(verdict) || wall?.status !== 'inconclusive') return verdict;
  const held = WALL_TIME_HOLDS[wall.withheldBy];
  if (held === undefined) return verdict;
  const beyond = verdict.regressionFactor / wall.regressionFactor;
  if (!Number.isFinite(beyond) || beyond >= thresholds.cpu.warning) return verdict;
  return {
    ...verdict,
    status: 'inconclusive',
    withheldBy: wall.withheldBy,
    reason: `${verdict.regressionFactor.toFixed(2)}x, but the wall time of the same runs (${wall.regressionFactor.toFixed(2)}x) was held back ${held}, and CPU time per call moves with the speed of the process (${beyond.toFixed(2)}x beyond the wall time's factor): more runs on main will tell`,
  };
}

/**
 * Judges every metric of the current processes against the baseline's runs of unchanged code
 * (run-level rule, see `judgeRuns`), and says what the verdicts rest on.
 */
export function judgeProcesses(
  current: ProcessFigures[],
  baseline: ReferenceRuns | undefined,
  environmentKey: string,
  settings: JudgeSettings,
): ProcessJudgement {
  const metrics = metricsOf(settings.mode ?? 'time');
  const judged = metrics.flatMap((metric) => {
    const judgement = judgeMetric(metric, current, baseline, settings);
    return judgement === undefined ? [] : [{ metric, judgement }];
  });
  const duration = judged.find((entry) => entry.metric === metrics[0])?.judgement;
  const verdicts = judged.map((entry) => withWallTimeHolds(entry.judgement.verdict, duration?.verdict, settings.thresholds));
  if (baseline === undefined || duration?.reference === undefined) return { verdicts, evidence: null, baseline: null, notes: [] };
  const evidence = evidenceOf(duration, duration.reference);
  return {
    verdicts,
    evidence,
    baseline: baselineInfoOf(baseline, duration.verdict, environmentKey, duration.reference),
    notes: [...notesOf(evidence, settings.thresholds.duration.warning, settings.mode ?? 'time'), ...crowdedNote(duration.reference), ...memoryNote(current, baseline.processes)],
  };
}
