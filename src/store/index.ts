export { DEFAULT_STORE_RELATIVE_PATH, resolveStorePath } from './store-path';
export { BUSY_TIMEOUT_MS, SqliteStore } from './sqlite-store';
export type { OpenStoreOptions, SqliteHandle } from './sqlite-store';
export { SCHEMA_VERSION } from './_migrations';
export type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint } from './_dashboard-queries';
export type { DashboardQueries } from './_dashboard-queries';
export { processesOf } from './result-processes';
