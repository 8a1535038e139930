import type { SqliteHandle } from './sqlite-store';

/** One test on the overview: its latest figures and a sparkline of recent medians. */
export interface OverviewRow {
  name: string;
  latestMedian: number;
  latestStatus: string;
  latestFactor: number | null;
  latestAt: string;
  branch: string | null;
  environmentKey: string;
  /** Medians of the most recent results, oldest first. */
  sparkline: number[];
  baselineSince: string | null;
}

/** One point of a test's time series. */
export interface SeriesPoint {
  runId: string;
  date: string;
  commit: string | null;
  branch: string | null;
  attempt: number;
  median: number;
  p25: number;
  p75: number;
  memory: number;
  cpu: number;
  status: string;
  factor: number | null;
  environmentKey: string;
}

/** A regression in the history. */
export interface RegressionRow {
  name: string;
  date: string;
  commit: string | null;
  branch: string | null;
  factor: number | null;
  median: number;
  severity: string;
}

/** A baseline epoch as the dashboard draws it. */
export interface EpochPoint {
  createdAt: string;
  commit: string | null;
  reason: string | null;
  environmentKey: string;
  isDeleted: boolean;
  median: number | null;
}

/** Which tests are covered by what. */
export interface CoverageReport {
  latestRunId: string | null;
  testsInLatestRun: string[];
  withBaseline: string[];
  withoutBaseline: string[];
  /** Baselines whose test has not run in the last `staleRuns` runs. */
  staleBaselines: { name: string; lastRunAt: string | null; runsSince: number }[];
  /** Tests whose latest result ran on another environment than their baseline. */
  environmentMismatches: { name: string; resultEnvironment: string; baselineEnvironment: string }[];
}

const FINAL_RESULTS = `
  SELECT r.*, r.rowid AS seq FROM results r
  WHERE r.attempt = (SELECT MAX(attempt) FROM results x WHERE x.run_id = r.run_id AND x.test_name = r.test_name)`;

const CURRENT_EPOCHS = `
  SELECT b.* FROM baselines b
  WHERE b.rowid = (SELECT y.rowid FROM baselines y WHERE y.test_name = b.test_name AND y.environment_key = b.environment_key
                   ORDER BY y.created_at DESC, y.rowid DESC LIMIT 1)
    AND b.is_deleted = 0`;

/** Runs a read, turning SQLite errors into the store's errors. */
type Read = <T>(work: () => T) => T;

/** SQL behind the dashboard, kept apart from the store's write path. */
export class DashboardQueries {
  constructor(
    private readonly db: SqliteHandle,
    private readonly read: Read,
  ) {}

  /** Every test's latest final result, with the medians of its last `sparkPoints` results. */
  overview(sparkPoints: number): OverviewRow[] {
    return this.read(() => {
      const rows = this.db
        .prepare(
          `WITH final AS (${FINAL_RESULTS}),
           ranked AS (
             SELECT f.test_name, f.median_s, f.status, f.factor, f.created_at, f.environment_key, runs.git_branch AS branch,
                    ROW_NUMBER() OVER (PARTITION BY f.test_name ORDER BY f.created_at DESC, f.seq DESC) AS rn
             FROM final f JOIN runs ON runs.id = f.run_id)
           SELECT * FROM ranked WHERE rn <= ? ORDER BY test_name, rn DESC`,
        )
        .all(sparkPoints) as { test_name: string; median_s: number; status: string; factor: number | null; created_at: string; environment_key: string; branch: string | null; rn: number }[];
      const since = new Map(
        (this.db.prepare(`SELECT test_name, MAX(created_at) AS since FROM (${CURRENT_EPOCHS}) GROUP BY test_name`).all() as { test_name: string; since: string }[]).map(
          (row) => [row.test_name, row.since],
        ),
      );
      const byName = new Map<string, OverviewRow>();
      for (const row of rows) {
        const entry = byName.get(row.test_name);
        if (entry === undefined) {
          byName.set(row.test_name, {
            name: row.test_name,
            latestMedian: row.median_s,
            latestStatus: row.status,
            latestFactor: row.factor,
            latestAt: row.created_at,
            branch: row.branch,
            environmentKey: row.environment_key,
            sparkline: [row.median_s],
            baselineSince: since.get(row.test_name) ?? null,
          });
          continue;
        }
        entry.sparkline.push(row.median_s);
        // Rows come oldest first within a test, so the last one seen is the latest.
        Object.assign(entry, { latestMedian: row.median_s, latestStatus: row.status, latestFactor: row.factor, latestAt: row.created_at, branch: row.branch, environmentKey: row.environment_key });
      }
      return [...byName.values()];
    });
  }

  /** A test's last `limit` results, oldest first, with their runs' commit and branch. */
  series(name: string, limit: number): SeriesPoint[] {
    return this.read(() => {
      return (
        this.db
          .prepare(
            `SELECT * FROM (
               SELECT r.run_id AS runId, r.created_at AS date, runs.git_commit AS 'commit', runs.git_branch AS branch, r.attempt,
                      r.median_s AS median, r.p25_s AS p25, r.p75_s AS p75, r.memory_mb AS memory, r.cpu_percent AS cpu,
                      r.status, r.factor, r.environment_key AS environmentKey
               FROM results r JOIN runs ON runs.id = r.run_id WHERE r.test_name = ?
               ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?)
             ORDER BY date`,
          )
          .all(name, limit) as SeriesPoint[]
      );
    });
  }

  /** A test's baseline epochs, oldest first. */
  epochs(name: string): EpochPoint[] {
    return this.read(() => {
      return (
        this.db
          .prepare(
            `SELECT b.created_at AS createdAt, b.git_commit AS 'commit', b.reason, b.environment_key AS environmentKey,
                    b.is_deleted AS isDeleted, r.median_s AS median
             FROM baselines b LEFT JOIN results r ON r.id = b.result_id WHERE b.test_name = ? ORDER BY b.created_at`,
          )
          .all(name) as (Omit<EpochPoint, 'isDeleted'> & { isDeleted: number })[]
      ).map((row) => ({ ...row, isDeleted: row.isDeleted === 1 }));
    });
  }

  /** Final results that regressed, newest first. */
  regressions(limit: number): RegressionRow[] {
    return this.read(() => {
      return (
        this.db
          .prepare(
            `SELECT r.test_name AS name, r.created_at AS date, runs.git_commit AS 'commit', runs.git_branch AS branch, r.factor,
                    r.median_s AS median, r.report_json
             FROM (${FINAL_RESULTS}) r JOIN runs ON runs.id = r.run_id
             WHERE r.status = 'regression' ORDER BY r.created_at DESC LIMIT ?`,
          )
          .all(limit) as (Omit<RegressionRow, 'severity'> & { report_json: string })[]
      ).map(({ report_json, ...row }) => {
        const regressions = (JSON.parse(report_json) as { regressions: { severity: string }[] }).regressions;
        return { ...row, severity: regressions.some((r) => r.severity === 'critical') ? 'critical' : 'warning' };
      });
    });
  }

  /** What the latest run covered, and which baselines went stale. */
  coverage(staleRuns: number): CoverageReport {
    return this.read(() => {
      const latest = this.db
        .prepare('SELECT id FROM runs WHERE EXISTS (SELECT 1 FROM results WHERE run_id = runs.id) ORDER BY started_at DESC, rowid DESC LIMIT 1')
        .get() as { id: string } | undefined;
      const inLatest = latest === undefined ? [] : (this.db.prepare('SELECT DISTINCT test_name FROM results WHERE run_id = ? ORDER BY test_name').all(latest.id) as { test_name: string }[]).map((r) => r.test_name);
      const epochs = this.db.prepare(`SELECT test_name, environment_key FROM (${CURRENT_EPOCHS})`).all() as { test_name: string; environment_key: string }[];
      const withBaseline = new Set(epochs.map((e) => e.test_name));
      const recentRuns = (
        this.db.prepare('SELECT id FROM runs WHERE EXISTS (SELECT 1 FROM results WHERE run_id = runs.id) ORDER BY started_at DESC, rowid DESC LIMIT ?').all(staleRuns) as { id: string }[]
      ).map((r) => r.id);
      const recentTests = new Set(
        recentRuns.length === 0
          ? []
          : (this.db.prepare(`SELECT DISTINCT test_name FROM results WHERE run_id IN (${recentRuns.map(() => '?').join(',')})`).all(...recentRuns) as { test_name: string }[]).map((r) => r.test_name),
      );
      const staleBaselines = [...withBaseline]
        .filter((name) => !recentTests.has(name))
        .sort()
        .map((name) => {
          const last = this.db.prepare('SELECT MAX(created_at) AS at FROM results WHERE test_name = ?').get(name) as { at: string | null };
          const since = last.at === null ? 0 : (this.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE started_at > ?').get(last.at) as { n: number }).n;
          return { name, lastRunAt: last.at, runsSince: since };
        });
      const latestResults =
        latest === undefined ? [] : (this.db.prepare(`SELECT test_name, environment_key FROM (${FINAL_RESULTS}) WHERE run_id = ?`).all(latest.id) as { test_name: string; environment_key: string }[]);
      const environmentMismatches = latestResults.flatMap((result) => {
        const own = epochs.filter((e) => e.test_name === result.test_name);
        if (own.length === 0 || own.some((e) => e.environment_key === result.environment_key)) return [];
        return [{ name: result.test_name, resultEnvironment: result.environment_key, baselineEnvironment: own[0]?.environment_key ?? '' }];
      });
      return {
        latestRunId: latest?.id ?? null,
        testsInLatestRun: inLatest,
        withBaseline: inLatest.filter((name) => withBaseline.has(name)),
        withoutBaseline: inLatest.filter((name) => !withBaseline.has(name)),
        staleBaselines,
        environmentMismatches,
      };
    });
  }

  /** Changes whenever anything is committed to the file, by any connection. */
  changeMarker(): string {
    return this.read(() => {
      const row = this.db.prepare('SELECT COUNT(*) AS n, MAX(created_at) AS at FROM results').get() as { n: number; at: string | null };
      return `${row.n}:${row.at ?? ''}`;
    });
  }
}
