import type { MeasuringMode } from '../types';
import { coverageOf, overviewRow, type RecentRow, type TestEnvironmentRow, testsWithBaseline } from './_dashboard-rows';
import type { PgDatabase } from './_pg-database';
import type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint } from './dashboard-types';
import type { DashboardReader } from './perfguard-store';

const LATEST_RUNS = 'SELECT id FROM {runs} runs WHERE EXISTS (SELECT 1 FROM {results} WHERE run_id = runs.id) ORDER BY started_at DESC, seq DESC LIMIT $1';

/**
 * Every test's last `$1` final results, newest first, in one statement: a walk of the test-name
 * index that jumps from one name to the next (PostgreSQL has no skip scan to do it for us),
 * then each test's newest results from the same index.
 */
const OVERVIEW = `WITH RECURSIVE names (name) AS (
    (SELECT test_name FROM {results} ORDER BY test_name LIMIT 1)
    UNION ALL
    SELECT (SELECT test_name FROM {results} WHERE test_name > names.name ORDER BY test_name LIMIT 1) FROM names WHERE names.name IS NOT NULL)
  SELECT names.name, x.median_s, x.status, x.factor, x.created_at, x.environment_key, x.detectable, x.branch, x.mode, x.instructions
  FROM names CROSS JOIN LATERAL (
    SELECT r.median_s, r.status, r.factor, r.created_at, r.environment_key, r.detectable, runs.git_branch AS branch, r.seq, r.mode, r.instructions
    FROM {final_results} r JOIN {runs} runs ON runs.id = r.run_id
    WHERE r.test_name = names.name ORDER BY r.created_at DESC, r.seq DESC LIMIT $1) x
  WHERE names.name IS NOT NULL
  ORDER BY names.name, x.created_at DESC, x.seq DESC`;

/** The dashboard's queries on PostgreSQL: the SQLite ones, answered in fewer round trips. */
export class PgDashboardQueries implements DashboardReader {
  constructor(private readonly db: PgDatabase) {}

  async overview(sparkPoints: number): Promise<OverviewRow[]> {
    const [rows, since] = await Promise.all([
      this.db.rows<RecentRow & { name: string }>(OVERVIEW, [sparkPoints]),
      this.db.rows<{ test_name: string; since: string }>('SELECT test_name, MAX(created_at) AS since FROM {current_epochs} WHERE is_deleted = 0 GROUP BY test_name'),
    ]);
    const sinceByTest = new Map(since.map((row) => [row.test_name, row.since]));
    const byTest = new Map<string, RecentRow[]>();
    for (const row of rows) byTest.set(row.name, [...(byTest.get(row.name) ?? []), row]);
    return [...byTest].flatMap(([name, testRows]) => overviewRow(name, testRows, sinceByTest.get(name) ?? null) ?? []);
  }

  async series(name: string, limit: number, mode?: MeasuringMode): Promise<SeriesPoint[]> {
    // Newest first, then reversed: equal dates keep the order they were stored in.
    const newest = await this.db.rows<SeriesPoint>(
      `SELECT r.run_id AS "runId", r.created_at AS date, runs.git_commit AS "commit", runs.git_branch AS branch, r.attempt,
              r.median_s AS median, r.p25_s AS p25, r.p75_s AS p75, r.memory_mb AS memory, r.cpu_percent AS cpu,
              r.cpu_time_s AS "cpuTimePerCall", r.status, r.factor, r.environment_key AS "environmentKey", r.runs,
              r.warning, r.critical, r.detectable, r.mode, r.instructions
       FROM {final_results} r JOIN {runs} runs ON runs.id = r.run_id WHERE r.test_name = $1 AND ($3::text IS NULL OR r.mode = $3)
       ORDER BY r.created_at DESC, r.seq DESC LIMIT $2`,
      [name, limit, mode ?? null],
    );
    return newest.reverse();
  }

  async modes(name: string): Promise<MeasuringMode[]> {
    const rows = await this.db.rows<{ mode: MeasuringMode }>('SELECT DISTINCT mode FROM {results} WHERE test_name = $1 ORDER BY mode', [name]);
    return rows.map((row) => row.mode);
  }

  async epochs(name: string): Promise<EpochPoint[]> {
    const rows = await this.db.rows<Omit<EpochPoint, 'isDeleted'> & { isDeleted: number }>(
      `SELECT b.created_at AS "createdAt", b.git_commit AS "commit", b.reason, b.environment_key AS "environmentKey",
              b.is_deleted AS "isDeleted", r.median_s AS median, b.mode, r.instructions
       FROM {baselines} b LEFT JOIN {results} r ON r.id = b.result_id WHERE b.test_name = $1 ORDER BY b.created_at, b.seq`,
      [name],
    );
    return rows.map((row) => ({ ...row, isDeleted: row.isDeleted === 1 }));
  }

  regressions(limit: number): Promise<RegressionRow[]> {
    return this.db.rows<RegressionRow>(
      `SELECT r.test_name AS name, r.created_at AS date, runs.git_commit AS "commit", runs.git_branch AS branch, r.factor,
              r.median_s AS median, r.verdict AS severity, r.mode, r.instructions
       FROM {final_results} r JOIN {runs} runs ON runs.id = r.run_id
       WHERE r.verdict IN ('critical', 'warning') ORDER BY r.created_at DESC, r.seq DESC LIMIT $1`,
      [limit],
    );
  }

  async coverage(staleRuns: number): Promise<CoverageReport> {
    const [latest] = await this.db.rows<{ id: string }>(LATEST_RUNS, [1]);
    const latestResults =
      latest === undefined
        ? []
        : await this.db.rows<TestEnvironmentRow>('SELECT r.test_name, r.environment_key FROM {final_results} r WHERE r.run_id = $1 ORDER BY r.test_name', [latest.id]);
    const epochs = await this.db.rows<TestEnvironmentRow>('SELECT test_name, environment_key FROM {current_epochs} WHERE is_deleted = 0');
    return coverageOf(latest?.id ?? null, latestResults, epochs, await this.staleBaselines(testsWithBaseline(epochs), staleRuns));
  }

  /** Baselines whose test has not run in the last `staleRuns` runs, with when it last ran and how many runs came since. */
  private async staleBaselines(names: string[], staleRuns: number): Promise<CoverageReport['staleBaselines']> {
    const rows = await this.db.rows<{ name: string; at: string | null; since: number }>(
      `WITH recent AS (${LATEST_RUNS})
       SELECT name, last.at, (SELECT COUNT(*) FROM {runs} WHERE started_at > last.at)::integer AS since
       FROM unnest($2::text[]) AS name
       CROSS JOIN LATERAL (SELECT MAX(created_at) AS at FROM {results} WHERE test_name = name) AS last
       WHERE NOT EXISTS (SELECT 1 FROM {results} WHERE test_name = name AND run_id IN (SELECT id FROM recent))`,
      [staleRuns, names],
    );
    // Sorted as the SQLite store sorts them (by UTF-16 code units), not by the server's order.
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return rows.map((row) => ({ name: row.name, lastRunAt: row.at, runsSince: row.at === null ? 0 : row.since }));
  }

  /** Changes whenever another connection commits a result or an epoch (both tables only grow). */
  async changeMarker(): Promise<string> {
    const [row] = await this.db.rows<{ marker: string }>("SELECT (SELECT COUNT(*) FROM {results}) || '/' || (SELECT COUNT(*) FROM {baselines}) AS marker");
    return row?.marker ?? '';
  }
}
