import fs from 'node:fs';
import path from 'node:path';
import Database = require('better-sqlite3');
import { StoreError } from '../errors';
import type { BaselineEpoch, MeasuringMode, ResultRecord, RunRecord, StoredBaseline, StoredProcess } from '../types';
import { DashboardQueries } from './_dashboard-queries';
import { retryWhileBusy } from './_busy-retry';
import { MIGRATIONS, SCHEMA_VERSION } from './_migrations';
import { copySql, insertSql } from './_tables';
import { BUSY_TIMEOUT_MS, explainStoreError, guardStoreWork } from './_store-errors';
import { prepareLocation } from './_store-location';
import {
  type BaselineRow,
  epochFromRow,
  epochToRow,
  processesToRows,
  processFromRow,
  type ProcessRow,
  resultDataToRow,
  resultFromRow,
  type ResultDataRow,
  type ResultRow,
  resultToRow,
  runFromRow,
  type RunRow,
  runToRow,
} from './_rows';

/** The part of a better-sqlite3 handle the store uses; tests pass `new Database(':memory:')`. */
export type SqliteHandle = Pick<Database.Database, 'prepare' | 'exec' | 'pragma' | 'transaction' | 'close'>;

/** How a store file is opened. */
export interface OpenStoreOptions {
  /** Open without writing anything: no file creation, migration or journal change. @default false */
  readonly?: boolean;
}

export { BUSY_TIMEOUT_MS } from './_store-errors';

/** Files up to this size get a full `PRAGMA quick_check` before the first write. */
const QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024;

/** Results with their report and samples. */
const FULL_RESULTS = 'SELECT r.*, d.report_json, d.samples_json FROM results r JOIN result_data d ON d.result_id = r.id';

const INSERT_RESULT = insertSql('results');
const INSERT_PROCESS = insertSql('result_processes');
const INSERT_RESULT_DATA = insertSql('result_data');
const INSERT_EPOCH = insertSql('baselines');
const INSERT_RUN = insertSql('runs');

type FullResultRow = ResultRow & Omit<ResultDataRow, 'result_id'>;

/**
 * The schema version and the names of the tables, read by one statement so that both come
 * from the same snapshot: read apart, another process's migration could commit in between
 * and show its new tables beside the old version 0.
 */
const SCHEMA_STATE = `SELECT (SELECT user_version FROM pragma_user_version) AS version,
  (SELECT json_group_array(name) FROM sqlite_master WHERE type = 'table') AS tables`;

/**
 * Runs one step of opening a store: again while SQLite answers BUSY without waiting, until
 * the busy timeout is spent (see _busy-retry.ts), then as a {@link StoreError} that names
 * the file and the step.
 */
function openingStep<T>(file: string, action: string, work: () => T, busyTimeoutMs = BUSY_TIMEOUT_MS): T {
  return guardStoreWork(file, action, () => retryWhileBusy(work, { budgetMs: busyTimeoutMs }), busyTimeoutMs);
}

function quickCheck(db: Database.Database, file: string): void {
  if (fs.statSync(file).size > QUICK_CHECK_MAX_BYTES) return;
  // Check before anything writes (the journal-mode switch rewrites header bytes).
  const check = openingStep(file, 'check the integrity of', () => db.pragma('quick_check', { simple: true }));
  if (check !== 'ok') throw explainStoreError(file, 'check the integrity of', Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' }), 0);
}

/**
 * The SQLite store of runs, results and baseline epochs. Writers use WAL and a busy
 * timeout, so Jest workers can write at once; every write is one immediate transaction.
 * A file that is not SQLite, is corrupt, or was written by a newer perfguard is refused
 * with a {@link StoreError} and never altered.
 */
export class SqliteStore {
  /** Absolute path of the file, or `:memory:`. */
  readonly location: string;
  private readonly db: SqliteHandle;
  /** The handle's own busy timeout: how long a lock is waited for, and opening retried. */
  private readonly busyTimeoutMs: number;

  /**
   * Wraps an open handle and brings its schema up to date (unless `readonly`).
   * @param db a better-sqlite3 database, such as `new Database(':memory:')` in tests
   */
  constructor(db: SqliteHandle, location = ':memory:', options: OpenStoreOptions = {}) {
    this.db = db;
    this.location = location;
    this.busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
    const version = this.openingStep('read the schema version of', () => this.readSchemaVersion());
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `The perfguard store ${location} has schema version ${version}, written by a newer perfguard (this one reads up to ${SCHEMA_VERSION}); it was left untouched. Upgrade perfguard, or point PERFGUARD_DB at another file.`,
      );
    }
    if (options.readonly === true) {
      if (version === 0) {
        throw new StoreError(
          `The perfguard store ${location} is empty: a run is creating it right now, or one stopped before writing anything. Run the performance tests (or wait for the running ones to finish) and open it again.`,
        );
      }
      if (version < SCHEMA_VERSION) {
        throw new StoreError(
          `The perfguard store ${location} has the older schema version ${version}. Run the performance tests (or any writing perfguard command) once to upgrade it.`,
        );
      }
      return;
    }
    this.prepareForWriting(version);
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
    const db = guardStoreWork(location, readonly ? 'open' : 'open or create', () =>
      new Database(location, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS }),
    );
    try {
      if (isExistingFile && !readonly) quickCheck(db, location);
      return new SqliteStore(db, location, { readonly });
    } catch (error) {
      db.close();
      throw error instanceof StoreError ? error : explainStoreError(location, 'open', error, 0);
    }
  }

  private readSchemaVersion(): number {
    const state = this.db.prepare(SCHEMA_STATE).get() as { version: number; tables: string };
    const tables = JSON.parse(state.tables) as string[];
    if (state.version === 0 && tables.length > 0) {
      throw new StoreError(
        `${this.location} is a SQLite database but not a perfguard store (it has tables ${tables.join(', ')}); it was left untouched. Point PERFGUARD_DB at another file.`,
      );
    }
    return state.version;
  }

  private openingStep<T>(action: string, work: () => T): T {
    return openingStep(this.location, action, work, this.busyTimeoutMs);
  }

  private prepareForWriting(versionSeen: number): void {
    if (this.location !== ':memory:') {
      this.openingStep('set WAL mode on', () => {
        if (this.db.pragma('journal_mode', { simple: true }) !== 'wal') this.db.pragma('journal_mode = WAL');
      });
    }
    this.db.pragma('synchronous = NORMAL');
    // An up-to-date store needs no write lock to open: one snapshot already showed it current.
    if (versionSeen === SCHEMA_VERSION) {
      this.db.pragma('foreign_keys = ON');
      return;
    }
    // Migrations rebuild tables, which SQLite allows only with foreign keys off (they cannot
    // be switched inside a transaction); every reference is checked before the commit.
    this.db.pragma('foreign_keys = OFF');
    this.openingStep('create or upgrade the tables of', () =>
      this.db
        .transaction(() => {
          // Re-read inside the write lock: another process may have migrated meanwhile.
          const version = this.db.pragma('user_version', { simple: true }) as number;
          for (let next = version; next < SCHEMA_VERSION; next++) this.db.exec(MIGRATIONS[next] ?? '');
          if (version < SCHEMA_VERSION) {
            const broken = this.db.pragma('foreign_key_check') as unknown[];
            if (broken.length > 0) throw new Error(`the migration to schema ${SCHEMA_VERSION} would break ${broken.length} reference(s)`);
            this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
          }
        })
        .immediate(),
    );
    this.db.pragma('foreign_keys = ON');
  }

  /** Runs `work`, turning SQLite errors into a {@link StoreError} that names the file and says how long it waited. */
  private guard<T>(action: string, work: () => T): T {
    return guardStoreWork(this.location, action, work, this.busyTimeoutMs);
  }

  private write(action: string, work: () => void): void {
    this.guard(action, () => this.db.transaction(work).immediate());
  }

  /** Records a run unless one with the same id exists. */
  ensureRun(run: RunRecord): void {
    this.write('record a run in', () => {
      this.db.prepare(INSERT_RUN).run(runToRow(run));
    });
  }

  /** Marks a run as ended. */
  endRun(runId: string, endedAt: string): void {
    this.write('end a run in', () => {
      this.db.prepare('UPDATE runs SET ended_at = ? WHERE id = ?').run(endedAt, runId);
    });
  }

  /** The run with this id. */
  getRun(runId: string): RunRecord | undefined {
    return this.guard('read', () => {
      const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
      return row === undefined ? undefined : runFromRow(row);
    });
  }

  /** Runs, newest first. */
  listRuns(limit = 100): RunRecord[] {
    return this.guard('read', () =>
      (this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as RunRow[]).map(runFromRow),
    );
  }

  /** The newest run that has results. */
  latestRun(): RunRecord | undefined {
    return this.guard('read', () => {
      const row = this.db
        .prepare('SELECT * FROM runs WHERE EXISTS (SELECT 1 FROM results WHERE run_id = runs.id) ORDER BY started_at DESC, rowid DESC LIMIT 1')
        .get() as RunRow | undefined;
      return row === undefined ? undefined : runFromRow(row);
    });
  }

  /**
   * Stores a result with its processes, and in the same transaction the baseline epoch taken
   * from it, if any: all of it or nothing.
   */
  insertResult(result: ResultRecord, epoch?: BaselineEpoch): void {
    this.write('store a result in', () => {
      this.insertResultRows(result);
      if (epoch !== undefined) this.insertEpoch(epoch);
    });
  }

  private insertResultRows(result: ResultRecord): number {
    const added = this.db.prepare(INSERT_RESULT).run(resultToRow(result)).changes;
    this.db.prepare(INSERT_RESULT_DATA).run(resultDataToRow(result));
    const process = this.db.prepare(INSERT_PROCESS);
    for (const row of processesToRows(result)) process.run(row);
    return added;
  }

  private insertEpoch(epoch: BaselineEpoch): void {
    this.db.prepare(INSERT_EPOCH).run(epochToRow(epoch));
  }

  /** Appends a baseline epoch (a new baseline, or a deletion marker). */
  addBaselineEpoch(epoch: BaselineEpoch): void {
    this.write('store a baseline in', () => this.insertEpoch(epoch));
  }

  /** The result with this id. */
  getResult(resultId: string): ResultRecord | undefined {
    return this.guard('read', () => {
      const row = this.db.prepare(`${FULL_RESULTS} WHERE r.id = ?`).get(resultId) as FullResultRow | undefined;
      return row === undefined ? undefined : resultFromRow(row);
    });
  }

  /** Every result of a run, in the order they were stored. */
  resultsOfRun(runId: string): ResultRecord[] {
    return this.guard('read', () =>
      (this.db.prepare(`${FULL_RESULTS} WHERE r.run_id = ? ORDER BY r.created_at, r.rowid`).all(runId) as FullResultRow[]).map(resultFromRow),
    );
  }

  /** Results of a run for one test name (all attempts). */
  resultsOfTestInRun(runId: string, testName: string): ResultRecord[] {
    return this.guard('read', () =>
      (
        this.db
          .prepare(`${FULL_RESULTS} WHERE r.run_id = ? AND r.test_name = ? ORDER BY r.created_at, r.rowid`)
          .all(runId, testName) as FullResultRow[]
      ).map(resultFromRow),
    );
  }

  /** Where each stored result of `testName` in a run was measured (its report's `place`). */
  placesOfTestInRun(runId: string, testName: string): string[] {
    return this.guard('read', () =>
      (
        this.db
          .prepare('SELECT DISTINCT place FROM results WHERE run_id = ? AND test_name = ?')
          .all(runId, testName) as { place: string }[]
      ).map((row) => row.place),
    );
  }

  /** A test's results, newest first, with the run each belongs to. */
  testHistory(testName: string, limit = 50): { run: RunRecord; result: ResultRecord }[] {
    return this.guard('read', () => {
      const rows = this.db
        .prepare(`${FULL_RESULTS} WHERE r.test_name = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`)
        .all(testName, limit) as FullResultRow[];
      return rows.flatMap((row) => {
        const run = this.getRun(row.run_id);
        return run === undefined ? [] : [{ run, result: resultFromRow(row) }];
      });
    });
  }

  /**
   * The processes a verdict against `epoch` compares with, oldest first: those of the result the
   * epoch was founded on, and those of the newest `limit` final results since it on the epoch's
   * environment and mode whose verdict was not a regression (runs of unchanged code).
   */
  referenceProcesses(epoch: BaselineEpoch, limit: number): StoredProcess[] {
    return this.guard('read', () => {
      const rows = this.db
        .prepare(
          `SELECT p.* FROM result_processes p WHERE p.result_id IN (
             SELECT r.id FROM final_results r
             WHERE r.test_name = @test AND r.environment_key = @environment AND r.mode = @mode
               AND r.created_at > @since AND r.status NOT IN ('regression', 'baseline-updated')
             ORDER BY r.created_at DESC LIMIT @limit)
           OR p.result_id = @founding
           ORDER BY p.measured_at, p.result_id, p.idx`,
        )
        .all({ test: epoch.testName, environment: epoch.environmentKey, mode: epoch.mode ?? 'time', since: epoch.createdAt, limit, founding: epoch.resultId }) as ProcessRow[];
      return rows.map((row) => processFromRow(row, row.result_id === epoch.resultId));
    });
  }

  /** Every epoch of a test, oldest first. */
  baselineEpochs(testName: string): BaselineEpoch[] {
    return this.guard('read', () =>
      (
        this.db.prepare('SELECT * FROM baselines WHERE test_name = ? ORDER BY created_at, rowid').all(testName) as BaselineRow[]
      ).map(epochFromRow),
    );
  }

  /**
   * The current baseline of a test: the newest epoch on `environmentKey` when there is one,
   * else the newest current baseline on any environment (the caller decides whether to use
   * it). A deletion marker ends an environment's baseline.
   */
  currentBaseline(testName: string, environmentKey?: string, mode: MeasuringMode = 'time'): StoredBaseline | undefined {
    const current = this.currentEpochs(testName).filter((epoch) => (epoch.mode ?? 'time') === mode);
    const chosen = current.find((epoch) => epoch.environmentKey === environmentKey) ?? current[0];
    if (chosen === undefined || chosen.resultId === null) return undefined;
    const result = this.getResult(chosen.resultId);
    return result === undefined ? undefined : { epoch: chosen, result };
  }

  /** The newest live epoch per environment and mode of a test, newest first. */
  private currentEpochs(testName: string): BaselineEpoch[] {
    return this.guard('read', () =>
      (
        this.db
          .prepare('SELECT * FROM current_epochs WHERE test_name = ? AND is_deleted = 0 ORDER BY created_at DESC')
          .all(testName) as BaselineRow[]
      ).map(epochFromRow),
    );
  }

  /** Every test name with a live baseline, each with its current epochs (one per environment). */
  listBaselines(): { testName: string; epochs: BaselineEpoch[] }[] {
    const names = this.guard('read', () =>
      (this.db.prepare('SELECT DISTINCT test_name FROM baselines ORDER BY test_name').all() as { test_name: string }[]).map(
        (row) => row.test_name,
      ),
    );
    return names
      .map((testName) => ({ testName, epochs: this.currentEpochs(testName) }))
      .filter((entry) => entry.epochs.length > 0);
  }

  /**
   * Writes runs, results and epochs in one transaction, skipping any whose id is already
   * stored (so importing the same records twice adds nothing). All or nothing.
   * @returns how many of each were new
   */
  importRecords(records: { runs: RunRecord[]; results: ResultRecord[]; epochs: BaselineEpoch[] }): { runs: number; results: number; epochs: number } {
    const added = { runs: 0, results: 0, epochs: 0 };
    this.write('import into', () => {
      const run = this.db.prepare(INSERT_RUN);
      const epoch = this.db.prepare(INSERT_EPOCH);
      for (const record of records.runs) added.runs += run.run(runToRow(record)).changes;
      for (const record of records.results) added.results += this.insertResultRows(record);
      for (const record of records.epochs) added.epochs += epoch.run(epochToRow(record)).changes;
    });
    return added;
  }

  /**
   * Folds another store file into this one: every run, result and epoch not already here
   * (matched by id, so merging the same file twice adds nothing). The other file is only read.
   * @returns how many of each were new
   */
  mergeFrom(otherFile: string): { runs: number; results: number; epochs: number } {
    SqliteStore.open(otherFile, { readonly: true }).close();
    const added = { runs: 0, results: 0, epochs: 0 };
    this.guard('merge into', () => {
      this.db.prepare('ATTACH DATABASE ? AS incoming').run(path.resolve(otherFile));
      try {
        // Deferred, not immediate: BEGIN IMMEDIATE would take the write lock of the input too
        // and hold up a run writing to it. Its first statement writes to main, so the lock
        // on main is taken (waiting for other writers) before anything is read.
        this.db
          .transaction(() => {
            added.runs = this.db.prepare(copySql('runs', 'incoming')).run().changes;
            added.results = this.db.prepare(copySql('results', 'incoming')).run().changes;
            this.db.prepare(copySql('result_data', 'incoming')).run();
            this.db.prepare(copySql('result_processes', 'incoming')).run();
            added.epochs = this.db.prepare(copySql('baselines', 'incoming')).run().changes;
          })
          .deferred();
      } finally {
        this.db.prepare('DETACH DATABASE incoming').run();
      }
    });
    return added;
  }

  /** Number of runs, results and epochs stored. */
  counts(): { runs: number; results: number; epochs: number } {
    return this.guard('read', () => {
      const count = (table: string): number => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { runs: count('runs'), results: count('results'), epochs: count('baselines') };
    });
  }

  /** The read queries the dashboard draws from. Errors become {@link StoreError}s. */
  dashboard(): DashboardQueries {
    return new DashboardQueries(this.db, (work) => this.guard('read', work));
  }

  /** Closes the handle. */
  close(): void {
    this.db.close();
  }
}
