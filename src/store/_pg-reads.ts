import type { BaselineEpoch, MeasuringMode, ResultRecord, RunRecord, StoredBaseline, StoredProcess } from '../types';
import type { PgDatabase } from './_pg-database';
import { type BaselineRow, chooseEpoch, epochFromRow, processFromRow, type ProcessRow, resultFromRow, type ResultDataRow, type ResultRow, runFromRow, type RunRow } from './_rows';
import type { HistoryEntry, StoreCounts } from './perfguard-store';

/** Results with their report and samples. */
const FULL_RESULTS = 'SELECT r.*, d.report_json, d.samples_json FROM {results} r JOIN {result_data} d ON d.result_id = r.id';

type FullResultRow = ResultRow & Omit<ResultDataRow, 'result_id'>;

/**
 * The PostgreSQL store's read queries: the SQLite store's, with `seq` where SQLite breaks ties
 * by `rowid`, so that both backends answer the same on the same data.
 */
export class PgReads {
  constructor(private readonly db: PgDatabase) {}

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const [row] = await this.db.rows<RunRow>('SELECT * FROM {runs} WHERE id = $1', [runId]);
    return row === undefined ? undefined : runFromRow(row);
  }

  async listRuns(limit = 100): Promise<RunRecord[]> {
    return (await this.db.rows<RunRow>('SELECT * FROM {runs} ORDER BY started_at DESC, seq DESC LIMIT $1', [limit])).map(runFromRow);
  }

  async latestRun(): Promise<RunRecord | undefined> {
    const [row] = await this.db.rows<RunRow>('SELECT * FROM {runs} runs WHERE EXISTS (SELECT 1 FROM {results} WHERE run_id = runs.id) ORDER BY started_at DESC, seq DESC LIMIT 1');
    return row === undefined ? undefined : runFromRow(row);
  }

  async getResult(resultId: string): Promise<ResultRecord | undefined> {
    const [row] = await this.db.rows<FullResultRow>(`${FULL_RESULTS} WHERE r.id = $1`, [resultId]);
    return row === undefined ? undefined : resultFromRow(row);
  }

  async resultsOfRun(runId: string): Promise<ResultRecord[]> {
    return (await this.db.rows<FullResultRow>(`${FULL_RESULTS} WHERE r.run_id = $1 ORDER BY r.created_at, r.seq`, [runId])).map(resultFromRow);
  }

  async resultsOfTestInRun(runId: string, testName: string): Promise<ResultRecord[]> {
    return (await this.db.rows<FullResultRow>(`${FULL_RESULTS} WHERE r.run_id = $1 AND r.test_name = $2 ORDER BY r.created_at, r.seq`, [runId, testName])).map(resultFromRow);
  }

  async placesOfTestInRun(runId: string, testName: string): Promise<string[]> {
    return (await this.db.rows<{ place: string }>('SELECT DISTINCT place FROM {results} WHERE run_id = $1 AND test_name = $2', [runId, testName])).map((row) => row.place);
  }

  async testHistory(testName: string, limit = 50): Promise<HistoryEntry[]> {
    const rows = await this.db.rows<FullResultRow>(`${FULL_RESULTS} WHERE r.test_name = $1 ORDER BY r.created_at DESC, r.seq DESC LIMIT $2`, [testName, limit]);
    const runIds = [...new Set(rows.map((row) => row.run_id))];
    const runs = new Map((await this.db.rows<RunRow>('SELECT * FROM {runs} WHERE id = ANY($1::text[])', [runIds])).map((row) => [row.id, runFromRow(row)]));
    return rows.flatMap((row) => {
      const run = runs.get(row.run_id);
      return run === undefined ? [] : [{ run, result: resultFromRow(row) }];
    });
  }

  async referenceProcesses(epoch: BaselineEpoch, limit: number): Promise<StoredProcess[]> {
    const rows = await this.db.rows<ProcessRow>(
      `SELECT p.* FROM {result_processes} p WHERE p.result_id IN (
         SELECT r.id FROM {final_results} r
         WHERE r.test_name = $1 AND r.environment_key = $2 AND r.mode = $3
           AND r.created_at > $4 AND r.status NOT IN ('regression', 'baseline-updated')
         ORDER BY r.created_at DESC, r.seq DESC LIMIT $5)
       OR p.result_id = $6
       ORDER BY p.measured_at, p.result_id, p.idx`,
      [epoch.testName, epoch.environmentKey, epoch.mode ?? 'time', epoch.createdAt, limit, epoch.resultId],
    );
    return rows.map((row) => processFromRow(row, row.result_id === epoch.resultId));
  }

  async baselineEpochs(testName: string): Promise<BaselineEpoch[]> {
    return (await this.db.rows<BaselineRow>('SELECT * FROM {baselines} WHERE test_name = $1 ORDER BY created_at, seq', [testName])).map(epochFromRow);
  }

  async currentBaseline(testName: string, environmentKey?: string, mode: MeasuringMode = 'time'): Promise<StoredBaseline | undefined> {
    const current = (await this.db.rows<BaselineRow>('SELECT * FROM {current_epochs} WHERE test_name = $1 AND is_deleted = 0 ORDER BY created_at DESC, seq DESC', [testName])).map(
      epochFromRow,
    );
    const chosen = chooseEpoch(current, environmentKey, mode);
    if (chosen === undefined || chosen.resultId === null) return undefined;
    const result = await this.getResult(chosen.resultId);
    return result === undefined ? undefined : { epoch: chosen, result };
  }

  async listBaselines(): Promise<{ testName: string; epochs: BaselineEpoch[] }[]> {
    const rows = await this.db.rows<BaselineRow>('SELECT * FROM {current_epochs} WHERE is_deleted = 0 ORDER BY test_name, created_at DESC, seq DESC');
    const byTest = new Map<string, BaselineEpoch[]>();
    for (const row of rows) byTest.set(row.test_name, [...(byTest.get(row.test_name) ?? []), epochFromRow(row)]);
    return [...byTest].map(([testName, epochs]) => ({ testName, epochs }));
  }

  async counts(): Promise<StoreCounts> {
    const [row] = await this.db.rows<StoreCounts>(
      'SELECT (SELECT COUNT(*) FROM {runs})::integer AS runs, (SELECT COUNT(*) FROM {results})::integer AS results, (SELECT COUNT(*) FROM {baselines})::integer AS epochs',
    );
    return row ?? { runs: 0, results: 0, epochs: 0 };
  }
}
