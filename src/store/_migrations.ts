/**
 * Forward migrations; `PRAGMA user_version` holds how many have been applied. Never edit a
 * released entry: append a new one. They run with foreign keys off (SQLite's procedure for
 * rebuilding a table), and the store checks every reference before it commits them.
 */
/** One step of the schema. */
export interface Migration {
  /** What it does, for the migration result. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  // 1: runs, results with their reports and samples, baseline epochs.
  {
    name: 'runs, results with their reports and samples, baseline epochs',
    sql: `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    git_commit TEXT,
    git_branch TEXT,
    is_ci INTEGER NOT NULL DEFAULT 0,
    environment_key TEXT NOT NULL,
    environment_json TEXT NOT NULL
  );
  CREATE INDEX runs_by_start ON runs (started_at);

  CREATE TABLE results (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (id),
    test_name TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    environment_key TEXT NOT NULL,
    median_s REAL NOT NULL,
    p25_s REAL NOT NULL,
    p75_s REAL NOT NULL,
    memory_mb REAL NOT NULL,
    cpu_percent REAL NOT NULL,
    factor REAL,
    report_json TEXT NOT NULL,
    samples_json TEXT NOT NULL
  );
  CREATE INDEX results_by_run ON results (run_id);
  CREATE INDEX results_by_test ON results (test_name, created_at);

  CREATE TABLE baselines (
    id TEXT PRIMARY KEY,
    test_name TEXT NOT NULL,
    environment_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    git_commit TEXT,
    reason TEXT,
    created_by TEXT,
    result_id TEXT REFERENCES results (id),
    is_deleted INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX baselines_by_test ON baselines (test_name, environment_key, created_at);
  `,
  },
  // 2: narrow results rows (verdict and place as columns) and reports and samples apart in
  // result_data, so that history and dashboard queries never read the reports.
  {
    name: 'narrow results rows; reports and samples apart in result_data',
    sql: `
  CREATE TABLE result_data (
    result_id TEXT PRIMARY KEY REFERENCES results (id),
    report_json TEXT NOT NULL,
    samples_json TEXT NOT NULL
  );
  INSERT INTO result_data (result_id, report_json, samples_json) SELECT id, report_json, samples_json FROM results;

  ALTER TABLE results ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
  ALTER TABLE results ADD COLUMN place TEXT NOT NULL DEFAULT '';
  UPDATE results SET
    place = COALESCE(json_extract(report_json, '$.place'), ''),
    verdict = CASE
      WHEN status != 'regression' THEN status
      WHEN EXISTS (SELECT 1 FROM json_each(results.report_json, '$.regressions') WHERE json_extract(value, '$.severity') = 'critical') THEN 'critical'
      ELSE 'warning'
    END;
  ALTER TABLE results DROP COLUMN report_json;
  ALTER TABLE results DROP COLUMN samples_json;

  DROP INDEX results_by_run;
  CREATE INDEX results_by_run ON results (run_id, test_name, attempt);
  CREATE INDEX results_by_verdict ON results (verdict, created_at);
  `,
  },
  // 3: the processes behind each result (the measuring process and its fresh-process rounds)
  // as rows, since runs are the unit of evidence; the measuring mode, since instruction counts
  // and times are never compared; and a CPU figure that may be unknown (a span too short for
  // the CPU clock), which needs the results table rebuilt. Old results become one process each.
  {
    name: 'the processes behind each result, the measuring mode, nullable CPU, the current-epoch and final-result views',
    sql: `
  CREATE TABLE results_v3 (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (id),
    test_name TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    verdict TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    environment_key TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'time',
    median_s REAL NOT NULL,
    p25_s REAL NOT NULL,
    p75_s REAL NOT NULL,
    memory_mb REAL NOT NULL,
    cpu_percent REAL,
    factor REAL,
    runs INTEGER NOT NULL DEFAULT 1,
    cpu_time_s REAL,
    warning REAL,
    critical REAL,
    detectable REAL,
    instructions REAL
  );
  INSERT INTO results_v3 (id, run_id, test_name, attempt, created_at, status, verdict, place, environment_key, median_s, p25_s, p75_s, memory_mb, cpu_percent, factor)
    SELECT id, run_id, test_name, attempt, created_at, status, verdict, place, environment_key, median_s, p25_s, p75_s, memory_mb, cpu_percent, factor FROM results;
  DROP TABLE results;
  ALTER TABLE results_v3 RENAME TO results;
  CREATE INDEX results_by_run ON results (run_id, test_name, attempt);
  CREATE INDEX results_by_test ON results (test_name, created_at);
  CREATE INDEX results_by_verdict ON results (verdict, created_at);
  CREATE INDEX results_by_reference ON results (test_name, environment_key, mode, created_at);

  CREATE TABLE result_processes (
    result_id TEXT NOT NULL REFERENCES results (id),
    idx INTEGER NOT NULL,
    measured_at TEXT NOT NULL,
    duration_s REAL NOT NULL,
    memory_mb REAL NOT NULL,
    cpu_percent REAL,
    machine_probe_ns REAL,
    memory_probe_ns REAL,
    preempted_share REAL,
    cpu_time_s REAL,
    instructions REAL,
    PRIMARY KEY (result_id, idx)
  );
  INSERT INTO result_processes (result_id, idx, measured_at, duration_s, memory_mb, cpu_percent, machine_probe_ns, memory_probe_ns, preempted_share)
    SELECT r.id, 0, r.created_at, r.median_s, r.memory_mb, r.cpu_percent,
      json_extract(d.report_json, '$.machineProbeNs'), json_extract(d.report_json, '$.memoryProbeNs'),
      (SELECT AVG(CASE WHEN p.value > 0 THEN 1.0 ELSE 0.0 END) FROM json_each(d.samples_json, '$.preemptions') p)
    FROM results r JOIN result_data d ON d.result_id = r.id;

  ALTER TABLE baselines ADD COLUMN mode TEXT NOT NULL DEFAULT 'time';
  DROP INDEX baselines_by_test;
  CREATE INDEX baselines_by_test ON baselines (test_name, environment_key, mode, created_at);

  -- The one definition of "the current baseline": the newest epoch per test, environment and
  -- mode (a deletion marker included: it ends the baseline).
  CREATE VIEW current_epochs AS
    SELECT b.* FROM baselines b
    WHERE b.rowid = (SELECT y.rowid FROM baselines y
                     WHERE y.test_name = b.test_name AND y.environment_key = b.environment_key AND y.mode = b.mode
                     ORDER BY y.created_at DESC, y.rowid DESC LIMIT 1);
  -- The one definition of "the final attempt": no later attempt of the same test in the same run.
  CREATE VIEW final_results AS
    SELECT r.* FROM results r
    WHERE NOT EXISTS (SELECT 1 FROM results y WHERE y.run_id = r.run_id AND y.test_name = r.test_name AND y.attempt > r.attempt);
  `,
  },
];

/** Schema version this build of perfguard writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;
