export { DEFAULT_STORE_RELATIVE_PATH, resolveStorePath } from './store-path';
export { BUSY_TIMEOUT_MS, SqliteStore } from './sqlite-store';
export type { MigrationResult, OpenStoreOptions, SqliteHandle } from './sqlite-store';
export { SCHEMA_VERSION } from './_migrations';
export type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint } from './dashboard-types';
export type { DashboardReader, HistoryEntry, PerfguardStore, StoreCounts, StoreReader, StoreRecords, StoreWriter } from './perfguard-store';
export { processesOf } from './result-processes';
export { openStore } from './open-store';
