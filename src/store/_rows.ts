import type { BaselineEpoch, MeasuringMode, PerformanceReport, ResultRecord, RunRecord, StoredProcess, StoredSamples } from '../types';
import { processesOf } from './result-processes';

/** A `runs` row as SQLite returns it. */
export interface RunRow {
  id: string;
  started_at: string;
  ended_at: string | null;
  git_commit: string | null;
  git_branch: string | null;
  is_ci: number;
  environment_key: string;
  environment_json: string;
}

/** A `results` row as SQLite returns it. */
export interface ResultRow {
  id: string;
  run_id: string;
  test_name: string;
  attempt: number;
  created_at: string;
  status: string;
  verdict: string;
  place: string;
  environment_key: string;
  median_s: number;
  p25_s: number;
  p75_s: number;
  memory_mb: number;
  cpu_percent: number | null;
  factor: number | null;
  mode: string;
  /** Processes the verdict rests on. */
  runs: number;
  /** CPU time per call of the measuring process, in seconds. */
  cpu_time_s: number | null;
  /** The duration thresholds the verdict used. */
  warning: number | null;
  critical: number | null;
  /** The detectable factor of the verdict. */
  detectable: number | null;
  /** Instructions per call (instructions mode). */
  instructions: number | null;
}

/** A `result_data` row: the report and samples of one result. */
export interface ResultDataRow {
  result_id: string;
  report_json: string;
  samples_json: string;
}

/** A stored mode, 'time' for anything written before modes existed. */
export function modeOf(mode: unknown): MeasuringMode {
  return mode === 'instructions' ? 'instructions' : 'time';
}

/**
 * The epoch a test in `mode` is judged against, from its current live epochs (newest first):
 * the one on `environmentKey` when there is one, else the newest on any environment.
 */
export function chooseEpoch(current: BaselineEpoch[], environmentKey: string | undefined, mode: MeasuringMode): BaselineEpoch | undefined {
  const inMode = current.filter((epoch) => modeOf(epoch.mode) === mode);
  return inMode.find((epoch) => epoch.environmentKey === environmentKey) ?? inMode[0];
}

/** A `baselines` row as SQLite returns it. */
export interface BaselineRow {
  id: string;
  test_name: string;
  environment_key: string;
  created_at: string;
  git_commit: string | null;
  reason: string | null;
  created_by: string | null;
  result_id: string | null;
  is_deleted: number;
  mode: string;
}

export function runFromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    commit: row.git_commit,
    branch: row.git_branch,
    isCi: row.is_ci === 1,
    environment: JSON.parse(row.environment_json) as RunRecord['environment'],
  };
}

export function runToRow(run: RunRecord): RunRow {
  return {
    id: run.id,
    started_at: run.startedAt,
    ended_at: run.endedAt,
    git_commit: run.commit,
    git_branch: run.branch,
    is_ci: run.isCi ? 1 : 0,
    environment_key: run.environment.key,
    environment_json: JSON.stringify(run.environment),
  };
}

export function resultFromRow(row: ResultRow & Omit<ResultDataRow, 'result_id'>): ResultRecord {
  return {
    id: row.id,
    runId: row.run_id,
    testName: row.test_name,
    attempt: row.attempt,
    createdAt: row.created_at,
    status: row.status as ResultRecord['status'],
    environmentKey: row.environment_key,
    report: JSON.parse(row.report_json) as PerformanceReport,
    samples: JSON.parse(row.samples_json) as StoredSamples,
  };
}

function rounded(values: number[], decimals: number): number[] {
  const scale = 10 ** decimals;
  return values.map((value) => Math.round(value * scale) / scale);
}

/** Samples as stored: durations to a thousandth of a nanosecond, enough for any verdict. */
function encodeSamples(samples: StoredSamples): string {
  return JSON.stringify({
    durationNs: rounded(samples.durationNs, 3),
    heapDeltaBytes: rounded(samples.heapDeltaBytes, 2),
    cpuPercent: rounded(samples.cpuPercent, 2),
    ...(samples.preemptions === undefined ? {} : { preemptions: samples.preemptions }),
  });
}

/** The verdict column: the worst regression severity, else the status. */
function verdictColumn(result: ResultRecord): string {
  if (result.status !== 'regression') return result.status;
  return result.report.regressions.some((regression) => regression.severity === 'critical') ? 'critical' : 'warning';
}

export function resultToRow(result: ResultRecord): ResultRow {
  const { duration, memory, cpu } = result.report;
  const primary = result.report.mode === 'instructions' ? 'instructions' : 'duration';
  const durationVerdict = result.report.verdicts.find((verdict) => verdict.metricType === primary);
  const factor = durationVerdict?.regressionFactor;
  return {
    id: result.id,
    run_id: result.runId,
    test_name: result.testName,
    attempt: result.attempt,
    created_at: result.createdAt,
    status: result.status,
    verdict: verdictColumn(result),
    place: result.report.place,
    environment_key: result.environmentKey,
    median_s: duration.median,
    p25_s: duration.p75 - duration.iqr,
    p75_s: duration.p75,
    memory_mb: memory.median,
    cpu_percent: cpu.median,
    factor: factor === undefined || factor === null || !Number.isFinite(factor) ? null : factor,
    mode: modeOf(result.report.mode),
    runs: Array.isArray(result.report.processes) ? Math.max(1, result.report.processes.length) : 1,
    cpu_time_s: result.report.processes?.[0]?.cpuTimePerCall ?? null,
    warning: result.report.thresholds?.duration.warning ?? null,
    critical: result.report.thresholds?.duration.critical ?? null,
    detectable: result.report.evidence?.detectableFactor ?? null,
    instructions: result.report.instructions?.median ?? null,
  };
}

export function resultDataToRow(result: ResultRecord): ResultDataRow {
  return { result_id: result.id, report_json: JSON.stringify(result.report), samples_json: encodeSamples(result.samples) };
}

export function epochFromRow(row: BaselineRow): BaselineEpoch {
  return {
    id: row.id,
    testName: row.test_name,
    environmentKey: row.environment_key,
    createdAt: row.created_at,
    commit: row.git_commit,
    reason: row.reason,
    createdBy: row.created_by,
    resultId: row.result_id,
    isDeleted: row.is_deleted === 1,
    mode: modeOf(row.mode),
  };
}

export function epochToRow(epoch: BaselineEpoch): BaselineRow {
  return {
    id: epoch.id,
    test_name: epoch.testName,
    environment_key: epoch.environmentKey,
    created_at: epoch.createdAt,
    git_commit: epoch.commit,
    reason: epoch.reason,
    created_by: epoch.createdBy,
    result_id: epoch.resultId,
    is_deleted: epoch.isDeleted ? 1 : 0,
    mode: modeOf(epoch.mode),
  };
}

/** A `result_processes` row as SQLite returns it. */
export interface ProcessRow {
  result_id: string;
  idx: number;
  measured_at: string;
  duration_s: number;
  memory_mb: number;
  cpu_percent: number | null;
  machine_probe_ns: number | null;
  memory_probe_ns: number | null;
  preempted_share: number | null;
  cpu_time_s: number | null;
  instructions: number | null;
}

/** The process rows of a result (see {@link processesOf}). */
export function processesToRows(result: ResultRecord): ProcessRow[] {
  const processes = processesOf(result);
  return processes.map((process, idx) => ({
    result_id: result.id,
    idx,
    measured_at: process.measuredAt,
    duration_s: process.duration,
    memory_mb: process.memory,
    cpu_percent: process.cpu,
    machine_probe_ns: process.machineProbeNs,
    memory_probe_ns: process.memoryProbeNs,
    preempted_share: process.preemptedShare,
    cpu_time_s: process.cpuTimePerCall,
    instructions: process.instructions ?? null,
  }));
}

/** A stored process, told whether it founded the baseline. */
export function processFromRow(row: ProcessRow, isFounding: boolean): StoredProcess {
  return {
    resultId: row.result_id,
    index: row.idx,
    isFounding,
    measuredAt: row.measured_at,
    duration: row.duration_s,
    memory: row.memory_mb,
    cpu: row.cpu_percent,
    machineProbeNs: row.machine_probe_ns,
    memoryProbeNs: row.memory_probe_ns,
    preemptedShare: row.preempted_share,
    cpuTimePerCall: row.cpu_time_s,
    instructions: row.instructions,
  };
}
