import type { BaselineEpoch, MeasuringMode, ResultRecord, RunRecord, StoredBaseline, StoredProcess } from '../types';
import { PgDashboardQueries } from './_pg-dashboard-queries';
import { PgDatabase } from './_pg-database';
import { PgReads } from './_pg-reads';
import { preparePgSchema } from './_pg-schema';
import { parsePostgresUrl, type PostgresTarget } from './_pg-url';
import { PgWrites } from './_pg-writes';
import type { MigrationResult } from './_sqlite-schema';
import type { DashboardReader, HistoryEntry, PerfguardStore, StoreCounts, StoreRecords } from './perfguard-store';
import type { OpenStoreOptions } from './sqlite-store';

/**
 * The shared store: perfguard's tables in their own schema of a PostgreSQL database, for teams
 * whose runs come from many machines. It behaves as the SQLite store does (the same records,
 * the same answers, a result and its epoch in one transaction) and lets any number of runners
 * write at once: appends to one test's epochs are serialized by a transaction-scoped advisory
 * lock, and the current epoch is read, never updated. Credentials come from the URL or the
 * standard `PG*` variables; every message shows the URL with its password masked.
 */
export class PostgresStore implements PerfguardStore {
  readonly kind = 'postgres' as const;
  /** The URL, with its password masked. */
  readonly location: string;
  /** The schema holding perfguard's tables. */
  readonly schema: string;
  private readonly reads: PgReads;
  private readonly writes: PgWrites;

  private constructor(
    private readonly db: PgDatabase,
    /** What opening did to the schema. */
    readonly migration: MigrationResult,
  ) {
    this.location = db.target.location;
    this.schema = db.target.schema;
    this.reads = new PgReads(db);
    this.writes = new PgWrites(db);
  }

  /**
   * Connects to the database at `url` and, unless `readonly`, creates perfguard's schema or
   * brings it up to date; any number of processes may do so at once.
   * @throws ConfigError for a URL that cannot be used; StoreError when the server cannot be
   * reached, refuses the credentials, lacks the database, or holds a newer schema
   * @example const store = await PostgresStore.open('postgres://perfguard@db.internal/perf');
   */
  static async open(url: string, options: OpenStoreOptions = {}): Promise<PostgresStore> {
    const target: PostgresTarget = parsePostgresUrl(url);
    const readonly = options.readonly === true;
    const db = new PgDatabase(target, readonly);
    try {
      await db.connect();
      return new PostgresStore(db, await preparePgSchema(db, readonly));
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  ensureRun(run: RunRecord): Promise<void> {
    return this.writes.ensureRun(run);
  }

  endRun(runId: string, endedAt: string): Promise<void> {
    return this.writes.endRun(runId, endedAt);
  }

  insertResult(result: ResultRecord, epoch?: BaselineEpoch): Promise<void> {
    return this.writes.insertResult(result, epoch);
  }

  addBaselineEpoch(epoch: BaselineEpoch): Promise<void> {
    return this.writes.addBaselineEpoch(epoch);
  }

  importRecords(records: StoreRecords): Promise<StoreCounts> {
    return this.writes.importRecords(records);
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    return this.reads.getRun(runId);
  }

  listRuns(limit?: number): Promise<RunRecord[]> {
    return this.reads.listRuns(limit);
  }

  latestRun(): Promise<RunRecord | undefined> {
    return this.reads.latestRun();
  }

  getResult(resultId: string): Promise<ResultRecord | undefined> {
    return this.reads.getResult(resultId);
  }

  resultsOfRun(runId: string): Promise<ResultRecord[]> {
    return this.reads.resultsOfRun(runId);
  }

  resultsOfTestInRun(runId: string, testName: string): Promise<ResultRecord[]> {
    return this.reads.resultsOfTestInRun(runId, testName);
  }

  placesOfTestInRun(runId: string, testName: string): Promise<string[]> {
    return this.reads.placesOfTestInRun(runId, testName);
  }

  testHistory(testName: string, limit?: number): Promise<HistoryEntry[]> {
    return this.reads.testHistory(testName, limit);
  }

  baselineEpochs(testName: string): Promise<BaselineEpoch[]> {
    return this.reads.baselineEpochs(testName);
  }

  currentBaseline(testName: string, environmentKey?: string, mode?: MeasuringMode): Promise<StoredBaseline | undefined> {
    return this.reads.currentBaseline(testName, environmentKey, mode);
  }

  listBaselines(): Promise<{ testName: string; epochs: BaselineEpoch[] }[]> {
    return this.reads.listBaselines();
  }

  referenceProcesses(epoch: BaselineEpoch, limit: number): Promise<StoredProcess[]> {
    return this.reads.referenceProcesses(epoch, limit);
  }

  counts(): Promise<StoreCounts> {
    return this.reads.counts();
  }

  dashboard(): DashboardReader {
    return new PgDashboardQueries(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
