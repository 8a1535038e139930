import type { BaselineEpoch, ResultRecord, RunRecord } from '../types';
import type { PgDatabase, PgStatement } from './_pg-database';
import { epochToRow, modeOf, processesToRows, resultDataToRow, resultToRow, runToRow } from './_rows';
import { TABLE_COLUMNS, type TableName } from './_tables';
import type { StoreCounts, StoreRecords } from './perfguard-store';

type ColumnName = (typeof TABLE_COLUMNS)[TableName][number];

/** The PostgreSQL type of every column perfguard writes (the same name has one type in every table). */
const COLUMN_TYPES: Record<ColumnName, 'text' | 'integer' | 'double precision'> = {
  id: 'text',
  started_at: 'text',
  ended_at: 'text',
  git_commit: 'text',
  git_branch: 'text',
  is_ci: 'integer',
  environment_key: 'text',
  environment_json: 'text',
  run_id: 'text',
  test_name: 'text',
  attempt: 'integer',
  created_at: 'text',
  status: 'text',
  verdict: 'text',
  place: 'text',
  mode: 'text',
  median_s: 'double precision',
  p25_s: 'double precision',
  p75_s: 'double precision',
  memory_mb: 'double precision',
  cpu_percent: 'double precision',
  factor: 'double precision',
  runs: 'integer',
  cpu_time_s: 'double precision',
  warning: 'double precision',
  critical: 'double precision',
  detectable: 'double precision',
  instructions: 'double precision',
  result_id: 'text',
  report_json: 'text',
  samples_json: 'text',
  idx: 'integer',
  measured_at: 'text',
  duration_s: 'double precision',
  machine_probe_ns: 'double precision',
  memory_probe_ns: 'double precision',
  preempted_share: 'double precision',
  reason: 'text',
  created_by: 'text',
  is_deleted: 'integer',
};

/**
 * Inserts any number of rows in one statement, passed as one JSON array (one parameter however
 * many rows): rows already stored (by key) are skipped, as SQLite's INSERT OR IGNORE does.
 */
function insertRowsSql(table: TableName): string {
  const columns = TABLE_COLUMNS[table];
  const names = columns.join(', ');
  const types = columns.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ');
  return `INSERT INTO {${table}} (${names}) SELECT ${names} FROM json_to_recordset($1::json) AS x(${types}) ON CONFLICT DO NOTHING`;
}

const INSERT_SQL = Object.fromEntries((Object.keys(TABLE_COLUMNS) as TableName[]).map((table) => [table, insertRowsSql(table)])) as Record<TableName, string>;

/**
 * Takes the lock of each (test, environment, mode) whose epochs these are, in one order, until
 * the transaction ends: appends to one test's epochs commit one after another, in the order of
 * their `seq`, as SQLite's single writer makes them.
 */
const EPOCH_LOCKS = `SELECT pg_advisory_xact_lock(k) FROM (
  SELECT DISTINCT hashtextextended(key, 0) AS k FROM unnest($1::text[]) AS key ORDER BY k) AS keys`;

/** Rows of `table` not stored yet, as one statement; none when there are no rows. */
function insertRows(table: TableName, rows: object[]): PgStatement[] {
  return rows.length === 0 ? [] : [{ sql: INSERT_SQL[table], values: [JSON.stringify(rows)] }];
}

/**
 * The PostgreSQL store's write side: every call one transaction, sent as one script (one round
 * trip however many statements, see {@link PgDatabase.script}).
 */
export class PgWrites {
  constructor(private readonly db: PgDatabase) {}

  async ensureRun(run: RunRecord): Promise<void> {
    await this.db.script('record a run in', insertRows('runs', [runToRow(run)]));
  }

  async endRun(runId: string, endedAt: string): Promise<void> {
    await this.db.script('end a run in', [{ sql: 'UPDATE {runs} SET ended_at = $1 WHERE id = $2', values: [endedAt, runId] }]);
  }

  async insertResult(result: ResultRecord, epoch?: BaselineEpoch): Promise<void> {
    const epochs = epoch === undefined ? [] : [epoch];
    await this.db.script('store a result in', [...this.lockEpochs(epochs), ...resultRows([result]), ...insertRows('baselines', epochs.map(epochToRow))]);
  }

  async addBaselineEpoch(epoch: BaselineEpoch): Promise<void> {
    await this.db.script('store a baseline in', [...this.lockEpochs([epoch]), ...insertRows('baselines', [epochToRow(epoch)])]);
  }

  async importRecords(records: StoreRecords): Promise<StoreCounts> {
    const parts: [keyof StoreCounts | 'locks', PgStatement[]][] = [
      ['locks', this.lockEpochs(records.epochs)],
      ['runs', insertRows('runs', records.runs.map(runToRow))],
      ['results', resultRows(records.results)],
      ['epochs', insertRows('baselines', records.epochs.map(epochToRow))],
    ];
    const counts = await this.db.script('import into', parts.flatMap(([, statements]) => statements));
    // A part's count is its first statement's: the rows of its own table that were new.
    const added: StoreCounts = { runs: 0, results: 0, epochs: 0 };
    let index = 0;
    for (const [name, statements] of parts) {
      if (name !== 'locks' && statements.length > 0) added[name] = counts[index] ?? 0;
      index += statements.length;
    }
    return added;
  }

  /** The lock of each (test, environment, mode) these epochs belong to; none without epochs. */
  private lockEpochs(epochs: BaselineEpoch[]): PgStatement[] {
    if (epochs.length === 0) return [];
    const keys = epochs.map((epoch) => [this.db.target.schema, epoch.testName, epoch.environmentKey, modeOf(epoch.mode)].join('\u001f'));
    return [{ sql: EPOCH_LOCKS, values: [keys] }];
  }
}

/** Results with their reports and processes: the results statement first. */
function resultRows(results: ResultRecord[]): PgStatement[] {
  return [...insertRows('results', results.map(resultToRow)), ...insertRows('result_data', results.map(resultDataToRow)), ...insertRows('result_processes', results.flatMap(processesToRows))];
}
