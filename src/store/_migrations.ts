/**
 * Forward migrations; `PRAGMA user_version` holds how many have been applied. Never edit a
 * released entry: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, results with their reports and samples, baseline epochs.
  `
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
  // 2: narrow results rows (verdict and place as columns) and reports and samples apart in
  // result_data, so that history and dashboard queries never read the reports.
  `
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
];

/** Schema version this build of perfguard writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;
