import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/_migrations';
import { openStore } from '../../src/store/open-store';
import type { PerfguardStore } from '../../src/store/perfguard-store';
import { adminQuery, createTestDatabase, freshSchema, postgresAvailable, queryAs, queryInStore, type TestDatabase } from './postgres';
import { HALF_WRITTEN, healthyStore, inspectStore, type StoreHealth } from './store-processes';

/**
 * One backend of the store, as the shared store tests see it: where a new store goes, and the
 * few things only a backend's own tools can do (plant a newer schema, read every result id, take
 * a fingerprint that changes when anything in the store changes).
 */
export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Before the file's tests: a temporary folder, or a database of its own. */
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A location (file path or URL) where no store exists yet. */
  freshLocation(label?: string): string;
  /** Makes the store at `location` one of schema version SCHEMA_VERSION + 1, as a newer perfguard would. */
  plantNewerSchema(location: string): Promise<void>;
  /** The ids of every stored result, sorted, read with the backend's own client. */
  resultIds(location: string): Promise<string[]>;
  /** Changes when anything in the store at `location` changes. */
  fingerprint(location: string): Promise<string>;
  /** How many results the store holds, and how many rows are half-written (read in one snapshot). */
  health(location: string): Promise<Omit<StoreHealth, 'integrity'>>;
}

/** What a healthy store with `results` results looks like to {@link StoreBackend.health}. */
export function healthy(results: number): Omit<StoreHealth, 'integrity'> {
  const { integrity: _integrity, ...rest } = healthyStore(results);
  return rest;
}

function sqliteBackend(): StoreBackend {
  let tmp = '';
  let count = 0;
  return {
    name: 'sqlite',
    setup() {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-backend-'));
      return Promise.resolve();
    },
    teardown() {
      fs.rmSync(tmp, { recursive: true, force: true });
      return Promise.resolve();
    },
    freshLocation(label = 'store') {
      count += 1;
      return path.join(tmp, `${label}-${count}.db`);
    },
    plantNewerSchema(location) {
      const db = new Database(location);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.exec('CREATE TABLE runs (id TEXT)');
      db.close();
      return Promise.resolve();
    },
    resultIds(location) {
      const db = new Database(location, { readonly: true, fileMustExist: true });
      try {
        return Promise.resolve((db.prepare('SELECT id FROM results ORDER BY id').all() as { id: string }[]).map((row) => row.id));
      } finally {
        db.close();
      }
    },
    health(location) {
      const { results, halfWritten } = inspectStore(location);
      return Promise.resolve({ results, halfWritten });
    },
    fingerprint(location) {
      const files = [location, `${location}-wal`, `${location}-shm`].map((file) => (fs.existsSync(file) ? fs.readFileSync(file).toString('base64') : '-'));
      return Promise.resolve(files.join('|'));
    },
  };
}

function schemaOf(location: string): string {
  return new URL(location).searchParams.get('schema') ?? 'perfguard';
}

function postgresBackend(label: string): StoreBackend {
  let database: TestDatabase | undefined;
  const db = (): TestDatabase => {
    if (database === undefined) throw new Error('setup() has not run');
    return database;
  };
  return {
    name: 'postgres',
    async setup() {
      database = await createTestDatabase(label);
    },
    async teardown() {
      await database?.drop();
    },
    freshLocation(prefix = 'store') {
      return db().url(freshSchema(prefix));
    },
    async plantNewerSchema(location) {
      const schema = schemaOf(location);
      await queryAs(location, `CREATE SCHEMA ${schema}`);
      await queryAs(location, `CREATE TABLE ${schema}.perfguard_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      await queryAs(location, `INSERT INTO ${schema}.perfguard_migrations (version, name) VALUES ($1, 'from a newer perfguard')`, [SCHEMA_VERSION + 1]);
      await queryAs(location, `CREATE TABLE ${schema}.runs (id text)`);
    },
    async resultIds(location) {
      const rows = await adminQuery<{ id: string }>(`SELECT id FROM ${schemaOf(location)}.results ORDER BY id COLLATE "C"`, [], db().name);
      return rows.map((row) => row.id);
    },
    async health(location) {
      const [row] = await queryInStore<Record<string, string>>(location, HALF_WRITTEN);
      const { results, ...halfWritten } = Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, Number(value)]));
      return { results: results ?? 0, halfWritten: halfWritten as StoreHealth['halfWritten'] };
    },
    async fingerprint(location) {
      const schema = schemaOf(location);
      const objects = await adminQuery<{ objects: string }>(
        `SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.reltuples::text, ',' ORDER BY c.relname) AS objects
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
        [schema],
        db().name,
      );
      const versions = await adminQuery(`SELECT * FROM ${schema}.perfguard_migrations ORDER BY version`, [], db().name).catch(() => []);
      return JSON.stringify({ objects, versions });
    },
  };
}

/** The backends every store test runs against: SQLite always, PostgreSQL when there is a server (see postgresAvailable). */
export function storeBackends(label: string): StoreBackend[] {
  return [sqliteBackend(), ...(postgresAvailable() ? [postgresBackend(label)] : [])];
}

/** Opens a new, empty store on `backend`. */
export function openFresh(backend: StoreBackend, label?: string): Promise<PerfguardStore> {
  return openStore(backend.freshLocation(label));
}
