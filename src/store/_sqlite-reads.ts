import type { BaselineEpoch, MeasuringMode, ResultRecord, RunRecord, StoredBaseline, StoredProcess } from '../types';
import type { SqliteHandle } from './_sqlite-schema';
import { type BaselineRow, chooseEpoch, epochFromRow, processFromRow, type ProcessRow, resultFromRow, type ResultDataRow, type ResultRow, runFromRow, type RunRow } from './_rows';
import type { HistoryEntry, StoreCounts } from './perfguard-store';

/** Results with their report and samples. */
const FULL_RESULTS = 'SELECT r.*, d.report_json, d.samples_json FROM results r JOIN result_data d ON d.result_id = r.id';

type FullResultRow = ResultRow & Omit<ResultDataRow, 'result_id'>;

/** Runs a read, turning SQLite errors into the store's errors. */
type Guard = <T>(action: string, work: () => T) => T;

/** The SQLite store's read queries (synchronous: better-sqlite3 answers at once). */
export class SqliteReads {
  constructor(
    private readonly db: SqliteHandle,
    private readonly guard: Guard,
  ) {}

  getRun(runId: string): RunRecord | undefined {
    return this.guard('read', () => {
      const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
      return row === undefined ? undefined : runFromRow(row);
    });
  }

  /** Every run, in the order they were stored. */
  allRuns(): RunRecord[] {
    return this.guard('read', () => (this.db.prepare('SELECT * FROM runs ORDER BY rowid').all() as RunRow[]).map(runFromRow));
  }

  /** Every baseline epoch, in the order they were stored. */
  allEpochs(): BaselineEpoch[] {
    return this.guard('read', () => (this.db.prepare('SELECT * FROM baselines ORDER BY rowid').all() as BaselineRow[]).map(epochFromRow));
  }

  listRuns(limit = 100): RunRecord[] {
    return this.guard('read', () => (this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as RunRow[]).map(runFromRow));
  }

  latestRun(): RunRecord | undefined {
    return this.guard('read', () => {
      const row = this.db
        .prepare('SELECT * FROM runs WHERE EXISTS (SELECT 1 FROM results WHERE run_id = runs.id) ORDER BY started_at DESC, rowid DESC LIMIT 1')
        .get() as RunRow | undefined;
      return row === undefined ? undefined : runFromRow(row);
    });
  }

  getResult(resultId: string): ResultRecord | undefined {
    return this.guard('read', () => {
      const row = this.db.prepare(`${FULL_RESULTS} WHERE r.id = ?`).get(resultId) as FullResultRow | undefined;
      return row === undefined ? undefined : resultFromRow(row);
    });
  }

  resultsOfRun(runId: string): ResultRecord[] {
    return this.guard('read', () => (this.db.prepare(`${FULL_RESULTS} WHERE r.run_id = ? ORDER BY r.created_at, r.rowid`).all(runId) as FullResultRow[]).map(resultFromRow));
  }

  resultsOfTestInRun(runId: string, testName: string): ResultRecord[] {
    return this.guard('read', () =>
      (this.db.prepare(`${FULL_RESULTS} WHERE r.run_id = ? AND r.test_name = ? ORDER BY r.created_at, r.rowid`).all(runId, testName) as FullResultRow[]).map(resultFromRow),
    );
  }

  placesOfTestInRun(runId: string, testName: string): string[] {
    return this.guard('read', () =>
      (this.db.prepare('SELECT DISTINCT place FROM results WHERE run_id = ? AND test_name = ?').all(runId, testName) as { place: string }[]).map((row) => row.place),
    );
  }

  testHistory(testName: string, limit = 50): HistoryEntry[] {
    return this.guard('read', () => {
      const rows = this.db.prepare(`${FULL_RESULTS} WHERE r.test_name = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`).all(testName, limit) as FullResultRow[];
      return rows.flatMap((row) => {
        const run = this.getRun(row.run_id);
        return run === undefined ? [] : [{ run, result: resultFromRow(row) }];
      });
    });
  }

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

  baselineEpochs(testName: string): BaselineEpoch[] {
    return this.guard('read', () => (this.db.prepare('SELECT * FROM baselines WHERE test_name = ? ORDER BY created_at, rowid').all(testName) as BaselineRow[]).map(epochFromRow));
  }

  currentBaseline(testName: string, environmentKey?: string, mode: MeasuringMode = 'time'): StoredBaseline | undefined {
    const chosen = chooseEpoch(this.currentEpochs(testName), environmentKey, mode);
    if (chosen === undefined || chosen.resultId === null) return undefined;
    const result = this.getResult(chosen.resultId);
    return result === undefined ? undefined : { epoch: chosen, result };
  }

  /** The newest live epoch per environment and mode of a test, newest first (the current_epochs view). */
  private currentEpochs(testName: string): BaselineEpoch[] {
    return this.guard('read', () =>
      (this.db.prepare('SELECT * FROM current_epochs WHERE test_name = ? AND is_deleted = 0 ORDER BY created_at DESC').all(testName) as BaselineRow[]).map(epochFromRow),
    );
  }

  listBaselines(): { testName: string; epochs: BaselineEpoch[] }[] {
    const names = this.guard('read', () =>
      (this.db.prepare('SELECT DISTINCT test_name FROM baselines ORDER BY test_name').all() as { test_name: string }[]).map((row) => row.test_name),
    );
    return names.map((testName) => ({ testName, epochs: this.currentEpochs(testName) })).filter((entry) => entry.epochs.length > 0);
  }

  counts(): StoreCounts {
    return this.guard('read', () => {
      const count = (table: string): number => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { runs: count('runs'), results: count('results'), epochs: count('baselines') };
    });
  }
}
