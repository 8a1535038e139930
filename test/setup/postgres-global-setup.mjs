// Jest's globalSetup: one throwaway PostgreSQL cluster for the whole test run (see
// scripts/pg-cluster.mjs), or the server PERFGUARD_TEST_PG_URL names. Either way it makes the
// login role the tests connect as, then passes the URL to the test workers through the
// environment. Without PostgreSQL it says why in PERFGUARD_TEST_PG_MISSING: the PostgreSQL tests
// then skip loudly, or fail under CI=true (test/helpers/postgres.ts).
import pg from 'pg';
import { findPostgresBin, startCluster } from '../../scripts/pg-cluster.mjs';

/** The role the tests connect as: a plain login role, no superuser, as README's "The store" asks. */
const TEST_ROLE = 'perfguard_test';
const TEST_ROLE_PASSWORD = 'pg-test-s3cret!';

async function createTestRole(adminUrl) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DO $$ BEGIN
      CREATE ROLE ${TEST_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await client.query(`ALTER ROLE ${TEST_ROLE} PASSWORD '${TEST_ROLE_PASSWORD}'`);
  } finally {
    await client.end();
  }
}

export default async function globalSetup() {
  if (!process.env.PERFGUARD_TEST_PG_URL) {
    const found = findPostgresBin();
    if (found.bin === undefined) {
      process.env.PERFGUARD_TEST_PG_MISSING = found.reason;
      return;
    }
    try {
      const cluster = await startCluster({ durable: false, bin: found.bin });
      globalThis.perfguardTestCluster = cluster;
      // Also when Jest is stopped before its teardown runs.
      process.once('exit', () => cluster.stop());
      process.env.PERFGUARD_TEST_PG_URL = cluster.adminUrl;
      process.env.PERFGUARD_TEST_PG_CERT = cluster.certificate;
    } catch (error) {
      process.env.PERFGUARD_TEST_PG_MISSING = `the throwaway test cluster did not start: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
  }
  try {
    await createTestRole(process.env.PERFGUARD_TEST_PG_URL);
    process.env.PERFGUARD_TEST_PG_ROLE = TEST_ROLE;
    process.env.PERFGUARD_TEST_PG_PASSWORD = TEST_ROLE_PASSWORD;
  } catch (error) {
    process.env.PERFGUARD_TEST_PG_MISSING = `the server at PERFGUARD_TEST_PG_URL could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
  }
}
