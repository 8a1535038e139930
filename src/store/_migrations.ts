/**
 * Forward migrations; `PRAGMA user_version` holds how many have been applied. Never edit a
 * released entry: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
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

  -- Narrow rows of figures, so that scanning history never reads reports or samples.
  CREATE TABLE results (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (id),
    test_name TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    verdict TEXT NOT NULL,
    place TEXT NOT NULL,
    environment_key TEXT NOT NULL,
    median_s REAL NOT NULL,
    p25_s REAL NOT NULL,
    p75_s REAL NOT NULL,
    memory_mb REAL NOT NULL,
    cpu_percent REAL NOT NULL,
    factor REAL
  );
  CREATE INDEX results_by_run ON results (run_id, test_name, attempt);
  CREATE INDEX results_by_test ON results (test_name, created_at);
  CREATE INDEX results_by_verdict ON results (verdict, created_at);

  CREATE TABLE result_data (
    result_id TEXT PRIMARY KEY REFERENCES results (id),
    report_json TEXT NOT NULL,
    samples_json TEXT NOT NULL
  );

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
];

/** Schema version this build of perfguard writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;
