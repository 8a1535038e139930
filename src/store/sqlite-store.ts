import path from 'node:path';
import Database = require('better-sqlite3');
import { StoreError } from '../errors';
import type { BaselineEpoch, MeasuringMode, ResultRecord, RunRecord, StoredBaseline, StoredProcess } from '../types';
import { DashboardQueries } from './_dashboard-queries';
import { SqliteReads } from './_sqlite-reads';
import { type MigrationResult, prepareSchema, quickCheck, type SqliteHandle } from './_sqlite-schema';
import { SqliteWrites } from './_sqlite-writes';
import { BUSY_TIMEOUT_MS, explainStoreError, guardStoreWork } from './_store-errors';
import { prepareLocation } from './_store-location';
import type { DashboardReader, HistoryEntry, PerfguardStore, StoreCounts, StoreRecords } from './perfguard-store';

export type { MigrationResult, SqliteHandle } from './_sqlite-schema';

/** How a store file is opened. */
export interface OpenStoreOptions {
  /** Open without writing anything: no file creation, migration or journal change. @default false */
  readonly?: boolean;
}

export { BUSY_TIMEOUT_MS } from './_store-errors';

/** better-sqlite3 answers at once: the asynchronous interface settles in the same tick. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The embedded store: one SQLite file. Writers use WAL and a busy timeout, so Jest workers can
 * write at once; every write is one immediate transaction. A file that is not SQLite, is
 * corrupt, or was written by a newer perfguard is refused with a {@link StoreError} and never
 * altered. It implements the asynchronous {@link PerfguardStore}; `reads` and `writes` are the
 * same queries, synchronous, for perfguard's own SQLite-only callers.
 */
export class SqliteStore implements PerfguardStore {
  readonly kind = 'sqlite' as const;
  /** Absolute path of the file, or `:memory:`. */
  readonly location: string;
  /** What opening did to the schema. */
  readonly migration: MigrationResult;
  /** @internal The read queries, synchronous. */
  readonly reads: SqliteReads;
  /** @internal The write side, synchronous. */
  readonly writes: SqliteWrites;
  private readonly db: SqliteHandle;

  /**
   * Wraps an open handle and brings its schema up to date (unless `readonly`).
   * @param db a better-sqlite3 database, such as `new Database(':memory:')` in tests
   */
  constructor(db: SqliteHandle, location = ':memory:', options: OpenStoreOptions = {}) {
    this.db = db;
    this.location = location;
    // The handle's own busy timeout: how long a lock is waited for, and opening retried.
    const busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
    const guard = <T>(action: string, work: () => T): T => guardStoreWork(location, action, work, busyTimeoutMs);
    this.migration = prepareSchema(db, location, options.readonly === true, busyTimeoutMs);
    this.reads = new SqliteReads(db, guard);
    this.writes = new SqliteWrites(db, guard);
  }

  /**
   * Opens (creating when needed) the store file at `file`. Any number of processes may open,
   * create and upgrade the same file at once.
   * @example const store = SqliteStore.open('baselines/perfguard.db');
   */
  static open(file: string, options: OpenStoreOptions = {}): SqliteStore {
    const location = path.resolve(file);
    const readonly = options.readonly === true;
    const isExistingFile = prepareLocation(location, readonly);
    const db = guardStoreWork(location, readonly ? 'open' : 'open or create', () => new Database(location, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS }));
    try {
      if (isExistingFile && !readonly) quickCheck(db, location);
      return new SqliteStore(db, location, { readonly });
    } catch (error) {
      db.close();
      throw error instanceof StoreError ? error : explainStoreError(location, 'open', error, 0);
    }
  }

  ensureRun(run: RunRecord): Promise<void> {
    return settle(() => this.writes.ensureRun(run));
  }

  endRun(runId: string, endedAt: string): Promise<void> {
    return settle(() => this.writes.endRun(runId, endedAt));
  }

  insertResult(result: ResultRecord, epoch?: BaselineEpoch): Promise<void> {
    return settle(() => this.writes.insertResult(result, epoch));
  }

  addBaselineEpoch(epoch: BaselineEpoch): Promise<void> {
    return settle(() => this.writes.addBaselineEpoch(epoch));
  }

  importRecords(records: StoreRecords): Promise<StoreCounts> {
    return settle(() => this.writes.importRecords(records));
  }

  /**
   * Folds another store file into this one: every run, result and epoch not already here
   * (matched by id, so merging the same file twice adds nothing). The other file is only read.
   * @returns how many of each were new
   */
  mergeFrom(otherFile: string): Promise<StoreCounts> {
    return settle(() => {
      SqliteStore.open(otherFile, { readonly: true }).db.close();
      return this.writes.mergeFrom(otherFile);
    });
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    return settle(() => this.reads.getRun(runId));
  }

  listRuns(limit?: number): Promise<RunRecord[]> {
    return settle(() => this.reads.listRuns(limit));
  }

  latestRun(): Promise<RunRecord | undefined> {
    return settle(() => this.reads.latestRun());
  }

  getResult(resultId: string): Promise<ResultRecord | undefined> {
    return settle(() => this.reads.getResult(resultId));
  }

  resultsOfRun(runId: string): Promise<ResultRecord[]> {
    return settle(() => this.reads.resultsOfRun(runId));
  }

  resultsOfTestInRun(runId: string, testName: string): Promise<ResultRecord[]> {
    return settle(() => this.reads.resultsOfTestInRun(runId, testName));
  }

  placesOfTestInRun(runId: string, testName: string): Promise<string[]> {
    return settle(() => this.reads.placesOfTestInRun(runId, testName));
  }

  testHistory(testName: string, limit?: number): Promise<HistoryEntry[]> {
    return settle(() => this.reads.testHistory(testName, limit));
  }

  baselineEpochs(testName: string): Promise<BaselineEpoch[]> {
    return settle(() => this.reads.baselineEpochs(testName));
  }

  currentBaseline(testName: string, environmentKey?: string, mode?: MeasuringMode): Promise<StoredBaseline | undefined> {
    return settle(() => this.reads.currentBaseline(testName, environmentKey, mode));
  }

  listBaselines(): Promise<{ testName: string; epochs: BaselineEpoch[] }[]> {
    return settle(() => this.reads.listBaselines());
  }

  referenceProcesses(epoch: BaselineEpoch, limit: number): Promise<StoredProcess[]> {
    return settle(() => this.reads.referenceProcesses(epoch, limit));
  }

  counts(): Promise<StoreCounts> {
    return settle(() => this.reads.counts());
  }

  dashboard(): DashboardReader {
    return new DashboardQueries(this.db, (work) => guardStoreWork(this.location, 'read', work));
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }
}
