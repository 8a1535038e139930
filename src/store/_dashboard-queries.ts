import type { MeasuringMode } from '../types';
import { coverageOf, overviewRow, type RecentRow, type TestEnvironmentRow, testsWithBaseline } from './_dashboard-rows';
import type { SqliteHandle } from './_sqlite-schema';
import type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint } from './dashboard-types';
import type { DashboardReader } from './perfguard-store';

const LATEST_RUNS = 'SELECT id FROM runs WHERE EXISTS (SELECT 1 FROM results WHERE run_id = runs.id) ORDER BY started_at DESC, rowid DESC LIMIT ?';

/** Runs a read, turning SQLite errors into the store's errors. */
type Read = <T>(work: () => T) => T;

/**
 * SQL behind the dashboard, kept apart from the store's write path. Every query walks an
 * index over the narrow `results` table, never the reports, and reads "the final attempt" and
 * "the current baseline" from the schema's two views, their one definition.
 */
export class DashboardQueries implements DashboardReader {
  constructor(
    private readonly db: SqliteHandle,
    private readonly read: Read,
  ) {}

  overview(sparkPoints: number): Promise<OverviewRow[]> {
    return this.answer(() => {
      const names = (this.db.prepare('SELECT DISTINCT test_name FROM results ORDER BY test_name').all() as { test_name: string }[]).map((row) => row.test_name);
      const since = new Map(
        (this.db.prepare('SELECT test_name, MAX(created_at) AS since FROM current_epochs WHERE is_deleted = 0 GROUP BY test_name').all() as { test_name: string; since: string }[]).map(
          (row) => [row.test_name, row.since],
        ),
      );
      const recent = this.db.prepare(
        `SELECT r.median_s, r.status, r.factor, r.created_at, r.environment_key, r.detectable, runs.git_branch AS branch, r.mode, r.instructions
         FROM final_results r JOIN runs ON runs.id = r.run_id
         WHERE r.test_name = ? ORDER BY r.created_at DESC LIMIT ?`,
      );
      return names.flatMap((name) => overviewRow(name, recent.all(name, sparkPoints) as RecentRow[], since.get(name) ?? null) ?? []);
    });
  }

  series(name: string, limit: number, mode?: MeasuringMode): Promise<SeriesPoint[]> {
    // Newest first, then reversed: equal dates keep the order they were stored in.
    return this.answer(() =>
      (
        this.db
          .prepare(
            `SELECT r.run_id AS runId, r.created_at AS date, runs.git_commit AS 'commit', runs.git_branch AS branch, r.attempt,
                    r.median_s AS median, r.p25_s AS p25, r.p75_s AS p75, r.memory_mb AS memory, r.cpu_percent AS cpu,
                    r.cpu_time_s AS cpuTimePerCall, r.status, r.factor, r.environment_key AS environmentKey, r.runs,
                    r.warning, r.critical, r.detectable, r.mode, r.instructions
             FROM final_results r JOIN runs ON runs.id = r.run_id WHERE r.test_name = ? AND (? IS NULL OR r.mode = ?)
             ORDER BY r.created_at DESC LIMIT ?`,
          )
          .all(name, mode ?? null, mode ?? null, limit) as SeriesPoint[]
      ).reverse(),
    );
  }

  modes(name: string): Promise<MeasuringMode[]> {
    return this.answer(() =>
      (this.db.prepare('SELECT DISTINCT mode FROM results WHERE test_name = ? ORDER BY mode').all(name) as { mode: MeasuringMode }[]).map((row) => row.mode),
    );
  }

  epochs(name: string): Promise<EpochPoint[]> {
    return this.answer(() =>
      (
        this.db
          .prepare(
            `SELECT b.created_at AS createdAt, b.git_commit AS 'commit', b.reason, b.environment_key AS environmentKey,
                    b.is_deleted AS isDeleted, r.median_s AS median, b.mode, r.instructions
             FROM baselines b LEFT JOIN results r ON r.id = b.result_id WHERE b.test_name = ? ORDER BY b.created_at`,
          )
          .all(name) as (Omit<EpochPoint, 'isDeleted'> & { isDeleted: number })[]
      ).map((row) => ({ ...row, isDeleted: row.isDeleted === 1 })),
    );
  }

  regressions(limit: number): Promise<RegressionRow[]> {
    return this.answer(
      () =>
        this.db
          .prepare(
            `SELECT r.test_name AS name, r.created_at AS date, runs.git_commit AS 'commit', runs.git_branch AS branch, r.factor,
                    r.median_s AS median, r.verdict AS severity, r.mode, r.instructions
             FROM final_results r JOIN runs ON runs.id = r.run_id
             WHERE r.verdict IN ('critical', 'warning') ORDER BY r.created_at DESC LIMIT ?`,
          )
          .all(limit) as RegressionRow[],
    );
  }

  coverage(staleRuns: number): Promise<CoverageReport> {
    return this.answer(() => {
      const [latest] = this.db.prepare(LATEST_RUNS).all(1) as { id: string }[];
      const latestResults =
        latest === undefined
          ? []
          : (this.db.prepare('SELECT r.test_name, r.environment_key FROM final_results r WHERE r.run_id = ? ORDER BY r.test_name').all(latest.id) as TestEnvironmentRow[]);
      const epochs = this.db.prepare('SELECT test_name, environment_key FROM current_epochs WHERE is_deleted = 0').all() as TestEnvironmentRow[];
      return coverageOf(latest?.id ?? null, latestResults, epochs, this.staleBaselines(testsWithBaseline(epochs), staleRuns));
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

  changeMarker(): Promise<string> {
    return this.answer(() => String(this.db.pragma('data_version', { simple: true })));
  }

  /** SQLite answers at once; the interface is asynchronous for backends that cannot. */
  private answer<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(this.read(work));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
