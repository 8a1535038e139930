import type { BaselineEpoch, MeasuringMode, ResultRecord, RunRecord, StoredBaseline, StoredProcess } from '../types';
import type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint } from './dashboard-types';

/** Runs, results and epochs, as an import or a push moves them. */
export interface StoreRecords {
  runs: RunRecord[];
  results: ResultRecord[];
  epochs: BaselineEpoch[];
}

/** How many runs, results and epochs: stored, or newly added by an import. */
export interface StoreCounts {
  runs: number;
  results: number;
  epochs: number;
}

/** A test's result with the run it belongs to. */
export interface HistoryEntry {
  run: RunRecord;
  result: ResultRecord;
}

/** The write side of a store. Every call is one transaction: all of it, or nothing. */
export interface StoreWriter {
  /** Records a run unless one with the same id exists. */
  ensureRun(run: RunRecord): Promise<void>;
  /** Marks a run as ended. */
  endRun(runId: string, endedAt: string): Promise<void>;
  /** Stores a result with its processes and, in the same transaction, the epoch founded on it. */
  insertResult(result: ResultRecord, epoch?: BaselineEpoch): Promise<void>;
  /** Appends a baseline epoch (a new baseline, or a deletion marker). */
  addBaselineEpoch(epoch: BaselineEpoch): Promise<void>;
  /** Writes records not stored yet (matched by id, so importing twice adds nothing). @returns how many were new */
  importRecords(records: StoreRecords): Promise<StoreCounts>;
}

/** The read side of a store. */
export interface StoreReader {
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Runs, newest first. */
  listRuns(limit?: number): Promise<RunRecord[]>;
  /** The newest run that has results. */
  latestRun(): Promise<RunRecord | undefined>;
  getResult(resultId: string): Promise<ResultRecord | undefined>;
  /** Every result of a run, in the order they were stored. */
  resultsOfRun(runId: string): Promise<ResultRecord[]>;
  /** Results of one test in a run. */
  resultsOfTestInRun(runId: string, testName: string): Promise<ResultRecord[]>;
  /** Where each stored result of `testName` in a run was measured (its report's `place`). */
  placesOfTestInRun(runId: string, testName: string): Promise<string[]>;
  /** A test's results, newest first, with their runs. */
  testHistory(testName: string, limit?: number): Promise<HistoryEntry[]>;
  /** Every epoch of a test, oldest first. */
  baselineEpochs(testName: string): Promise<BaselineEpoch[]>;
  /**
   * The current baseline of a test in `mode`: the newest epoch on `environmentKey` when there
   * is one, else the newest current baseline on any environment (the caller decides whether to
   * use it). A deletion marker ends an environment's baseline.
   */
  currentBaseline(testName: string, environmentKey?: string, mode?: MeasuringMode): Promise<StoredBaseline | undefined>;
  /** Every test with a live baseline, with its current epochs (one per environment and mode). */
  listBaselines(): Promise<{ testName: string; epochs: BaselineEpoch[] }[]>;
  /**
   * The processes a verdict against `epoch` compares with, oldest first: the founding result's,
   * and those of the newest `limit` final results since on the epoch's environment and mode
   * whose verdict was not a regression.
   */
  referenceProcesses(epoch: BaselineEpoch, limit: number): Promise<StoredProcess[]>;
  counts(): Promise<StoreCounts>;
  /** The read queries the dashboard draws from. */
  dashboard(): DashboardReader;
}

/** What the dashboard reads: every query walks an index, never the stored reports. */
export interface DashboardReader {
  /** Every test's latest final result, with the medians of its last `sparkPoints` results. */
  overview(sparkPoints: number): Promise<OverviewRow[]>;
  /** A test's last `limit` final results, oldest first; only those measured in `mode` when given. */
  series(name: string, limit: number, mode?: MeasuringMode): Promise<SeriesPoint[]>;
  /** The measuring modes a test has final results in, sorted. */
  modes(name: string): Promise<MeasuringMode[]>;
  /** A test's baseline epochs, oldest first. */
  epochs(name: string): Promise<EpochPoint[]>;
  /** Final results that regressed, newest first. */
  regressions(limit: number): Promise<RegressionRow[]>;
  /** What the latest run covered, and which baselines went stale. */
  coverage(staleRuns: number): Promise<CoverageReport>;
  /** Changes whenever another connection commits new results. */
  changeMarker(): Promise<string>;
}

/**
 * A perfguard store: runs, results with their processes, and append-only baseline epochs,
 * behind one narrow, asynchronous interface that every backend implements.
 */
export interface PerfguardStore extends StoreReader, StoreWriter {
  /** The backend. */
  readonly kind: 'sqlite' | 'postgres';
  /** Where the store lives, for messages: a file path, or a URL with its password masked. */
  readonly location: string;
  close(): Promise<void>;
}
