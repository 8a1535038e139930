import type { PerfguardStore } from './perfguard-store';
import { type OpenStoreOptions, SqliteStore } from './sqlite-store';

/**
 * Opens the store at `location`, a file path (SQLite, created when needed unless read-only).
 * @example const store = await openStore('baselines/perfguard.db');
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Promise<PerfguardStore> {
  try {
    return Promise.resolve(SqliteStore.open(location, options));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
