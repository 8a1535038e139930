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

/** A result is final unless a later attempt of the same test in the same run exists (index lookup). */
const IS_FINAL = 'NOT EXISTS (SELECT 1 FROM results y WHERE y.run_id = r.run_id AND y.test_name = r.test_name AND y.attempt > r.attempt)';

const CURRENT_EPOCHS = `
  SELECT b.* FROM baselines b
  WHERE b.rowid = (SELECT y.rowid FROM baselines y WHERE y.test_name = b.test_name AND y.environment_key = b.environment_key
                   ORDER BY y.created_at DESC, y.rowid DESC LIMIT 1)
    AND b.is_deleted = 0`;

const LATEST_RUNS = 'SELECT id FROM runs WHERE EXISTS (SELECT 1 FROM results WHERE run_id = runs.id) ORDER BY started_at DESC, rowid DESC LIMIT ?';

/** Runs a read, turning SQLite errors into the store's errors. */
type Read = <T>(work: () => T) => T;

interface RecentRow {
  median_s: number;
  status: string;
  factor: number | null;
  created_at: string;
  environment_key: string;
  branch: string | null;
}

/**
 * SQL behind the dashboard, kept apart from the store's write path. Every query walks an
 * index over the narrow `results` table, never the reports: a store of 100,000 results
 * answers in milliseconds (see README, "The dashboard").
 */
export class DashboardQueries {
  constructor(
    private readonly db: SqliteHandle,
    private readonly read: Read,
  ) {}

  /** Every test's latest final result, with the medians of its last `sparkPoints` results. */
  overview(sparkPoints: number): OverviewRow[] {
    return this.read(() => {
      const names = (this.db.prepare('SELECT DISTINCT test_name FROM results ORDER BY test_name').all() as { test_name: string }[]).map((row) => row.test_name);
      const since = new Map(
        (this.db.prepare(`SELECT test_name, MAX(created_at) AS since FROM (${CURRENT_EPOCHS}) GROUP BY test_name`).all() as { test_name: string; since: string }[]).map(
          (row) => [row.test_name, row.since],
        ),
      );
      const recent = this.db.prepare(
        `SELECT r.median_s, r.status, r.factor, r.created_at, r.environment_key, runs.git_branch AS branch
         FROM results r JOIN runs ON runs.id = r.run_id
         WHERE r.test_name = ? AND ${IS_FINAL} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
      );
      return names.flatMap((name) => {
        const rows = recent.all(name, sparkPoints) as RecentRow[];
        const latest = rows[0];
        if (latest === undefined) return [];
        return [
          {
            name,
            latestMedian: latest.median_s,
            latestStatus: latest.status,
            latestFactor: latest.factor,
            latestAt: latest.created_at,
            branch: latest.branch,
            environmentKey: latest.environment_key,
            sparkline: rows.map((row) => row.median_s).reverse(),
            baselineSince: since.get(name) ?? null,
          },
        ];
      });
    });
  }

  /** A test's last `limit` final results, oldest first, with their runs' commit and branch. */
  series(name: string, limit: number): SeriesPoint[] {
    return this.read(() =>
      this.db
        .prepare(
          `SELECT * FROM (
             SELECT r.run_id AS runId, r.created_at AS date, runs.git_commit AS 'commit', runs.git_branch AS branch, r.attempt,
                    r.median_s AS median, r.p25_s AS p25, r.p75_s AS p75, r.memory_mb AS memory, r.cpu_percent AS cpu,
                    r.status, r.factor, r.environment_key AS environmentKey
             FROM results r JOIN runs ON runs.id = r.run_id WHERE r.test_name = ? AND ${IS_FINAL}
             ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?)
           ORDER BY date`,
        )
        .all(name, limit) as SeriesPoint[],
    );
  }

  /** A test's baseline epochs, oldest first. */
  epochs(name: string): EpochPoint[] {
    return this.read(() =>
      (
        this.db
          .prepare(
            `SELECT b.created_at AS createdAt, b.git_commit AS 'commit', b.reason, b.environment_key AS environmentKey,
                    b.is_deleted AS isDeleted, r.median_s AS median
             FROM baselines b LEFT JOIN results r ON r.id = b.result_id WHERE b.test_name = ? ORDER BY b.created_at`,
          )
          .all(name) as (Omit<EpochPoint, 'isDeleted'> & { isDeleted: number })[]
      ).map((row) => ({ ...row, isDeleted: row.isDeleted === 1 })),
    );
  }

  /** Final results that regressed, newest first. */
  regressions(limit: number): RegressionRow[] {
    return this.read(
      () =>
        this.db
          .prepare(
            `SELECT r.test_name AS name, r.created_at AS date, runs.git_commit AS 'commit', runs.git_branch AS branch, r.factor,
                    r.median_s AS median, r.verdict AS severity
             FROM results r JOIN runs ON runs.id = r.run_id
             WHERE r.verdict IN ('critical', 'warning') AND ${IS_FINAL} ORDER BY r.created_at DESC LIMIT ?`,
          )
          .all(limit) as RegressionRow[],
    );
  }

  /** What the latest run covered, and which baselines went stale. */
  coverage(staleRuns: number): CoverageReport {
    return this.read(() => {
      const [latest] = this.db.prepare(LATEST_RUNS).all(1) as { id: string }[];
      const latestResults =
        latest === undefined
          ? []
          : (this.db.prepare(`SELECT r.test_name, r.environment_key FROM results r WHERE r.run_id = ? AND ${IS_FINAL} ORDER BY r.test_name`).all(latest.id) as {
              test_name: string;
              environment_key: string;
            }[]);
      const inLatest = latestResults.map((row) => row.test_name);
      const epochs = this.db.prepare(`SELECT test_name, environment_key FROM (${CURRENT_EPOCHS})`).all() as { test_name: string; environment_key: string }[];
      const withBaseline = new Set(epochs.map((e) => e.test_name));
      return {
        latestRunId: latest?.id ?? null,
        testsInLatestRun: inLatest,
        withBaseline: inLatest.filter((name) => withBaseline.has(name)),
        withoutBaseline: inLatest.filter((name) => !withBaseline.has(name)),
        staleBaselines: this.staleBaselines([...withBaseline], staleRuns),
        environmentMismatches: latestResults.flatMap((result) => {
          const own = epochs.filter((e) => e.test_name === result.test_name);
          if (own.length === 0 || own.some((e) => e.environment_key === result.environment_key)) return [];
          return [{ name: result.test_name, resultEnvironment: result.environment_key, baselineEnvironment: own[0]?.environment_key ?? '' }];
        }),
      };
    });
  }

  private staleBaselines(names: string[], staleRuns: number): CoverageReport['staleBaselines'] {
    const recentRuns = (this.db.prepare(LATEST_RUNS).all(staleRuns) as { id: string }[]).map((r) => r.id);
    const ranRecently = this.db.prepare(`SELECT 1 FROM results WHERE test_name = ? AND run_id IN (${recentRuns.map(() => '?').join(',') || "''"}) LIMIT 1`);
    const lastRun = this.db.prepare('SELECT MAX(created_at) AS at FROM results WHERE test_name = ?');
    const runsSince = this.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE started_at > ?');
    return names
      .filter((name) => ranRecently.get(name, ...recentRuns) === undefined)
      .sort()
      .map((name) => {
        const { at } = lastRun.get(name) as { at: string | null };
        return { name, lastRunAt: at, runsSince: at === null ? 0 : (runsSince.get(at) as { n: number }).n };
      });
  }

  /** Changes whenever another connection commits to the file (SQLite's data_version). */
  changeMarker(): string {
    return this.read(() => String(this.db.pragma('data_version', { simple: true })));
  }
}
