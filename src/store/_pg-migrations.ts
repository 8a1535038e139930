/**
 * The PostgreSQL schema, as forward migrations recorded in the `perfguard_migrations` table of
 * perfguard's own schema. Versions count as the SQLite store's `user_version` does: version N
 * holds the same tables and views in both backends, so a release that appends SQLite migration
 * N appends PostgreSQL migration N too (a test checks that the two lists end at the same
 * version). PostgreSQL stores began at version 3. Never edit a released entry.
 *
 * Differences from SQLite, each kept so the two backends answer alike: text compares byte by
 * byte (`COLLATE "C"`, SQLite's BINARY) whatever the database's collation; `seq` is the
 * insertion order SQLite keeps as `rowid`, the tie-break of every "newest"; reports and samples
 * stay text, so they read back exactly as written. `{name}` stands for a table or view of
 * perfguard's schema and is qualified when the SQL runs.
 */
export interface PgMigration {
  version: number;
  /** What it does, for the migration result. */
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 3,
    name: 'runs, results with their processes, reports and samples apart, baseline epochs with modes, the current-epoch and final-result views',
    sql: `
  CREATE TABLE {runs} (
    id text COLLATE "C" PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    started_at text COLLATE "C" NOT NULL,
    ended_at text COLLATE "C",
    git_commit text COLLATE "C",
    git_branch text COLLATE "C",
    is_ci integer NOT NULL DEFAULT 0,
    environment_key text COLLATE "C" NOT NULL,
    environment_json text NOT NULL
  );
  CREATE INDEX runs_by_start ON {runs} (started_at, seq);

  CREATE TABLE {results} (
    id text COLLATE "C" PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    run_id text COLLATE "C" NOT NULL REFERENCES {runs} (id),
    test_name text COLLATE "C" NOT NULL,
    attempt integer NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL,
    verdict text COLLATE "C" NOT NULL DEFAULT '',
    place text COLLATE "C" NOT NULL DEFAULT '',
    environment_key text COLLATE "C" NOT NULL,
    mode text COLLATE "C" NOT NULL DEFAULT 'time',
    median_s double precision NOT NULL,
    p25_s double precision NOT NULL,
    p75_s double precision NOT NULL,
    memory_mb double precision NOT NULL,
    cpu_percent double precision,
    factor double precision,
    runs integer NOT NULL DEFAULT 1,
    cpu_time_s double precision,
    warning double precision,
    critical double precision,
    detectable double precision,
    instructions double precision
  );
  CREATE INDEX results_by_run ON {results} (run_id, test_name, attempt);
  CREATE INDEX results_by_test ON {results} (test_name, created_at, seq);
  CREATE INDEX results_by_verdict ON {results} (verdict, created_at, seq);
  CREATE INDEX results_by_reference ON {results} (test_name, environment_key, mode, created_at, seq);

  CREATE TABLE {result_data} (
    result_id text COLLATE "C" PRIMARY KEY REFERENCES {results} (id),
    report_json text NOT NULL,
    samples_json text NOT NULL
  );

  CREATE TABLE {result_processes} (
    result_id text COLLATE "C" NOT NULL REFERENCES {results} (id),
    idx integer NOT NULL,
    measured_at text COLLATE "C" NOT NULL,
    duration_s double precision NOT NULL,
    memory_mb double precision NOT NULL,
    cpu_percent double precision,
    machine_probe_ns double precision,
    memory_probe_ns double precision,
    preempted_share double precision,
    cpu_time_s double precision,
    instructions double precision,
    PRIMARY KEY (result_id, idx)
  );

  CREATE TABLE {baselines} (
    id text COLLATE "C" PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    test_name text COLLATE "C" NOT NULL,
    environment_key text COLLATE "C" NOT NULL,
    mode text COLLATE "C" NOT NULL DEFAULT 'time',
    created_at text COLLATE "C" NOT NULL,
    git_commit text COLLATE "C",
    reason text,
    created_by text,
    result_id text COLLATE "C" REFERENCES {results} (id),
    is_deleted integer NOT NULL DEFAULT 0
  );
  CREATE INDEX baselines_by_test ON {baselines} (test_name, environment_key, mode, created_at, seq);

  -- The one definition of "the current baseline": the newest epoch per test, environment and
  -- mode (a deletion marker included: it ends the baseline).
  CREATE VIEW {current_epochs} AS
    SELECT DISTINCT ON (test_name, environment_key, mode) * FROM {baselines}
    ORDER BY test_name, environment_key, mode, created_at DESC, seq DESC;
  -- The one definition of "the final attempt": no later attempt of the same test in the same run.
  CREATE VIEW {final_results} AS
    SELECT r.* FROM {results} r
    WHERE NOT EXISTS (SELECT 1 FROM {results} y WHERE y.run_id = r.run_id AND y.test_name = r.test_name AND y.attempt > r.attempt);
  `,
  },
];

/** The newest PostgreSQL schema version this build writes and reads. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]?.version ?? 0;

/** SQL with each `{name}` qualified by the schema perfguard's tables live in. */
export function qualify(schema: string, sql: string): string {
  return sql.replace(/\{(\w+)\}/g, (_, name: string) => `"${schema}".${name}`);
}
