import { StoreError } from '../errors';
import type { PgDatabase, PgRunner } from './_pg-database';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './_pg-migrations';
import type { PostgresTarget } from './_pg-url';
import type { MigrationResult } from './_sqlite-schema';

/**
 * Whether perfguard's schema exists and which tables and views it holds, read by one statement
 * so that both come from one snapshot (a migration commits its version table and its tables together).
 */
const SCHEMA_STATE = `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS "hasSchema",
  COALESCE((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'p', 'm', 'f')), '{}') AS tables`;

const CURRENT_VERSION = 'SELECT COALESCE(MAX(version), 0)::integer AS version FROM {perfguard_migrations}';

/** Serializes migrations of one schema across every process and machine (transaction-scoped). */
const MIGRATION_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('perfguard migrations ' || $1, 0))`;

const VERSIONS_TABLE = `CREATE TABLE IF NOT EXISTS {perfguard_migrations} (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

function describe(target: PostgresTarget): string {
  return `${target.location} (schema ${target.schema})`;
}

/** The schema's version: 0 when it has no version table; refuses a schema that holds someone else's tables. */
async function readVersion(db: PgDatabase): Promise<{ version: number; hasSchema: boolean }> {
  const { target } = db;
  const [state] = await db.rows<{ hasSchema: boolean; tables: string[] }>(SCHEMA_STATE, [target.schema], 'read the schema version of');
  const tables = state?.tables ?? [];
  if (!tables.includes('perfguard_migrations')) {
    if (tables.length > 0) {
      throw new StoreError(
        `The schema ${target.schema} of ${target.location} is not a perfguard store (it holds ${tables.join(', ')}); it was left untouched. Name another schema with ?schema=NAME in the URL.`,
      );
    }
    return { version: 0, hasSchema: state?.hasSchema === true };
  }
  const [row] = await db.rows<{ version: number }>(CURRENT_VERSION, [], 'read the schema version of');
  return { version: row?.version ?? 0, hasSchema: true };
}

function refuseNewer(target: PostgresTarget, version: number): void {
  if (version <= PG_SCHEMA_VERSION) return;
  throw new StoreError(
    `The perfguard store ${describe(target)} has schema version ${version}, written by a newer perfguard (this one reads up to ${PG_SCHEMA_VERSION}); it was left untouched. Upgrade perfguard, or name another schema with ?schema=NAME in the URL.`,
  );
}

function refuseForReading(target: PostgresTarget, version: number): void {
  if (version === 0) {
    throw new StoreError(
      `No perfguard store in ${describe(target)}: run the performance tests (or any writing perfguard command) with this URL first, or fix the database or ?schema= in --db (or PERFGUARD_DB).`,
    );
  }
  if (version < PG_SCHEMA_VERSION) {
    throw new StoreError(
      `The perfguard store ${describe(target)} has the older schema version ${version}. Run the performance tests (or any writing perfguard command) once to upgrade it.`,
    );
  }
}

/** Applies the migrations due, in one transaction under the migration lock, re-reading the version inside it. */
async function migrate(db: PgDatabase): Promise<MigrationResult['applied']> {
  const { schema } = db.target;
  return db.transaction('create or upgrade the tables of', async (tx: PgRunner) => {
    await tx.run(MIGRATION_LOCK, [schema]);
    // CREATE SCHEMA IF NOT EXISTS would still need CREATE on the database: only ask when it is missing.
    const exists = await tx.run('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await tx.run(`CREATE SCHEMA "${schema}"`);
    await tx.run(VERSIONS_TABLE);
    const version = (await tx.run<{ version: number }>(CURRENT_VERSION)).rows[0]?.version ?? 0;
    refuseNewer(db.target, version);
    const applied: MigrationResult['applied'] = [];
    for (const migration of PG_MIGRATIONS.filter((step) => step.version > version)) {
      await tx.run(migration.sql);
      await tx.run('INSERT INTO {perfguard_migrations} (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push({ version: migration.version, name: migration.name });
    }
    return applied;
  });
}

/**
 * Reads the schema version, refuses what cannot be a usable perfguard store (never altering
 * it), and, for writing, creates perfguard's schema or brings it up to date.
 */
export async function preparePgSchema(db: PgDatabase, readonly: boolean): Promise<MigrationResult> {
  const { version: fromVersion } = await readVersion(db);
  refuseNewer(db.target, fromVersion);
  if (readonly) {
    refuseForReading(db.target, fromVersion);
    return { fromVersion, toVersion: fromVersion, applied: [] };
  }
  // An up-to-date store needs no lock to open: one snapshot already showed it current.
  if (fromVersion === PG_SCHEMA_VERSION) return { fromVersion, toVersion: fromVersion, applied: [] };
  return { fromVersion, toVersion: PG_SCHEMA_VERSION, applied: await migrate(db) };
}
