/**
 * The columns of every table perfguard writes, in one place: inserts name them, and a merge
 * copies them by name, so neither depends on the order in which migrations added them.
 */
export const TABLE_COLUMNS = {
  runs: ['id', 'started_at', 'ended_at', 'git_commit', 'git_branch', 'is_ci', 'environment_key', 'environment_json'],
  results: [
    'id',
    'run_id',
    'test_name',
    'attempt',
    'created_at',
    'status',
    'verdict',
    'place',
    'environment_key',
    'mode',
    'median_s',
    'p25_s',
    'p75_s',
    'memory_mb',
    'cpu_percent',
    'factor',
    'runs',
    'cpu_time_s',
    'warning',
    'critical',
    'detectable',
    'instructions',
  ],
  result_data: ['result_id', 'report_json', 'samples_json'],
  result_processes: [
    'result_id',
    'idx',
    'measured_at',
    'duration_s',
    'memory_mb',
    'cpu_percent',
    'machine_probe_ns',
    'memory_probe_ns',
    'preempted_share',
    'cpu_time_s',
    'instructions',
  ],
  baselines: ['id', 'test_name', 'environment_key', 'mode', 'created_at', 'git_commit', 'reason', 'created_by', 'result_id', 'is_deleted'],
} as const;

/** A table perfguard writes. */
export type TableName = keyof typeof TABLE_COLUMNS;

/** `INSERT OR IGNORE` of one row with named parameters (`@column`): rows already stored by id are skipped. */
export function insertSql(table: TableName): string {
  const columns = TABLE_COLUMNS[table];
  return `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`;
}

/** Copies every row of `table` from the attached database `schema` that is not here yet, column by column. */
export function copySql(table: TableName, schema: string): string {
  const columns = TABLE_COLUMNS[table].join(', ');
  return `INSERT OR IGNORE INTO main.${table} (${columns}) SELECT ${columns} FROM ${schema}.${table}`;
}
