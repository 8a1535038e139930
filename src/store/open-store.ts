import { ConfigError } from '../errors';
import { isOtherUrl, isPostgresUrl, maskPassword } from './store-url';
import type { PerfguardStore } from './perfguard-store';
import { PostgresStore } from './postgres-store';
import { type OpenStoreOptions, SqliteStore } from './sqlite-store';

/**
 * Whether `value` is an opened store of either backend ({@link SqliteStore} or
 * {@link PostgresStore}), as the `store` options of the tester and detector accept.
 */
export function isPerfguardStore(value: unknown): value is PerfguardStore {
  return value instanceof SqliteStore || value instanceof PostgresStore;
}

/**
 * Opens the store at `location`: a `postgres://` (or `postgresql://`) URL opens the shared
 * PostgreSQL store; anything else is a file path (SQLite, created when needed unless read-only).
 * @example const store = await openStore('baselines/perfguard.db');
 * @example const shared = await openStore('postgres://perfguard@db.internal:5432/perf');
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Promise<PerfguardStore> {
  if (isPostgresUrl(location)) return PostgresStore.open(location, options);
  try {
    if (isOtherUrl(location)) {
      throw new ConfigError(
        `The store ${maskPassword(location)} is a URL perfguard cannot open: a store is a SQLite file path or a postgres:// URL. Fix PERFGUARD_DB (or --db, or the store option).`,
      );
    }
    return Promise.resolve(SqliteStore.open(location, options));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
