import fs from 'node:fs';
import type Database = require('better-sqlite3');
import { StoreError } from '../errors';
import { retryWhileBusy } from './_busy-retry';
import { MIGRATIONS, SCHEMA_VERSION } from './_migrations';
import { BUSY_TIMEOUT_MS, explainStoreError, guardStoreWork } from './_store-errors';

/** The part of a better-sqlite3 handle the store uses; tests pass `new Database(':memory:')`. */
export type SqliteHandle = Pick<Database.Database, 'prepare' | 'exec' | 'pragma' | 'transaction' | 'close'>;

/** What opening did to the schema, as Kysely's migrator reports it. */
export interface MigrationResult {
  /** The version the file had. */
  fromVersion: number;
  /** The version it has now. */
  toVersion: number;
  /** The migrations this open applied, oldest first (none when another process did, or none were due). */
  applied: { version: number; name: string }[];
}

/** Files up to this size get a full `PRAGMA quick_check` before the first write. */
const QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The schema version and the names of the tables, read by one statement so that both come
 * from the same snapshot: read apart, another process's migration could commit in between
 * and show its new tables beside the old version 0.
 */
const SCHEMA_STATE = `SELECT (SELECT user_version FROM pragma_user_version) AS version,
  (SELECT json_group_array(name) FROM sqlite_master WHERE type = 'table') AS tables`;

/**
 * Runs one step of opening a store: again while SQLite answers BUSY without waiting, until
 * the busy timeout is spent (see _busy-retry.ts), then as a {@link StoreError} that names
 * the file and the step.
 */
export function openingStep<T>(file: string, action: string, work: () => T, busyTimeoutMs = BUSY_TIMEOUT_MS): T {
  return guardStoreWork(file, action, () => retryWhileBusy(work, { budgetMs: busyTimeoutMs }), busyTimeoutMs);
}

/** Checks an existing file before anything writes to it (the journal-mode switch rewrites header bytes). */
export function quickCheck(db: SqliteHandle, file: string): void {
  if (fs.statSync(file).size > QUICK_CHECK_MAX_BYTES) return;
  const check = openingStep(file, 'check the integrity of', () => db.pragma('quick_check', { simple: true }));
  if (check !== 'ok') throw explainStoreError(file, 'check the integrity of', Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' }), 0);
}

function readSchemaVersion(db: SqliteHandle, location: string): number {
  const state = db.prepare(SCHEMA_STATE).get() as { version: number; tables: string };
  const tables = JSON.parse(state.tables) as string[];
  if (state.version === 0 && tables.length > 0) {
    throw new StoreError(
      `${location} is a SQLite database but not a perfguard store (it has tables ${tables.join(', ')}); it was left untouched. Point PERFGUARD_DB at another file.`,
    );
  }
  return state.version;
}

function refuseForReading(location: string, version: number): void {
  if (version === 0) {
    throw new StoreError(
      `The perfguard store ${location} is empty: a run is creating it right now, or one stopped before writing anything. Run the performance tests (or wait for the running ones to finish) and open it again.`,
    );
  }
  if (version < SCHEMA_VERSION) {
    throw new StoreError(
      `The perfguard store ${location} has the older schema version ${version}. Run the performance tests (or any writing perfguard command) once to upgrade it.`,
    );
  }
}

function migrate(db: SqliteHandle, location: string, busyTimeoutMs: number): MigrationResult['applied'] {
  const applied: MigrationResult['applied'] = [];
  // Migrations rebuild tables, which SQLite allows only with foreign keys off (they cannot be
  // switched inside a transaction); every reference is checked before the commit.
  db.pragma('foreign_keys = OFF');
  openingStep(location, 'create or upgrade the tables of', () =>
    db
      .transaction(() => {
        applied.length = 0;
        // Re-read inside the write lock: another process may have migrated meanwhile.
        const version = db.pragma('user_version', { simple: true }) as number;
        for (let next = version; next < SCHEMA_VERSION; next++) {
          const migration = MIGRATIONS[next];
          if (migration === undefined) continue;
          db.exec(migration.sql);
          applied.push({ version: next + 1, name: migration.name });
        }
        if (version < SCHEMA_VERSION) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`the migration to schema ${SCHEMA_VERSION} would break ${broken.length} reference(s)`);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        }
      })
      .immediate(),
    busyTimeoutMs,
  );
  db.pragma('foreign_keys = ON');
  return applied;
}

/**
 * Reads the schema version, refuses what cannot be a usable perfguard store (never altering
 * it), and, for writing, switches to WAL and brings the schema up to date.
 */
export function prepareSchema(db: SqliteHandle, location: string, readonly: boolean, busyTimeoutMs: number): MigrationResult {
  const fromVersion = openingStep(location, 'read the schema version of', () => readSchemaVersion(db, location), busyTimeoutMs);
  if (fromVersion > SCHEMA_VERSION) {
    throw new StoreError(
      `The perfguard store ${location} has schema version ${fromVersion}, written by a newer perfguard (this one reads up to ${SCHEMA_VERSION}); it was left untouched. Upgrade perfguard, or point PERFGUARD_DB at another file.`,
    );
  }
  if (readonly) {
    refuseForReading(location, fromVersion);
    return { fromVersion, toVersion: fromVersion, applied: [] };
  }
  if (location !== ':memory:') {
    openingStep(
      location,
      'set WAL mode on',
      () => {
        if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      },
      busyTimeoutMs,
    );
  }
  db.pragma('synchronous = NORMAL');
  // An up-to-date store needs no write lock to open: one snapshot already showed it current.
  if (fromVersion === SCHEMA_VERSION) {
    db.pragma('foreign_keys = ON');
    return { fromVersion, toVersion: SCHEMA_VERSION, applied: [] };
  }
  return { fromVersion, toVersion: SCHEMA_VERSION, applied: migrate(db, location, busyTimeoutMs) };
}
