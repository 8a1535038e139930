import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Client } from 'pg';

// The PostgreSQL server the tests run against: the throwaway cluster that
// test/setup/postgres-global-setup.mjs started for this Jest run, or PERFGUARD_TEST_PG_URL.

/** Why there is no server to test against; undefined when there is one. */
function missingReason(): string | undefined {
  if (process.env['PERFGUARD_TEST_PG_MISSING'] !== undefined) return process.env['PERFGUARD_TEST_PG_MISSING'];
  if (process.env['PERFGUARD_TEST_PG_URL'] === undefined || process.env['PERFGUARD_TEST_PG_ROLE'] === undefined) {
    return 'the Jest global setup (test/setup/postgres-global-setup.mjs) did not run: run the tests through jest.config.ts';
  }
  return undefined;
}

/**
 * Whether the PostgreSQL tests can run. Without a server they say so loudly and skip locally;
 * under CI=true a missing server is a failure, never a silent skip.
 */
export function postgresAvailable(): boolean {
  const reason = missingReason();
  if (reason === undefined) return true;
  const message = `PostgreSQL is not available (${reason}), so the tests of the PostgreSQL store cannot run`;
  if (process.env['CI'] === 'true') throw new Error(`${message}; under CI=true this is a failure, not a skip.`);
  console.warn(`\n*** SKIPPING POSTGRESQL STORE TESTS: ${message}. ***\n`);
  return false;
}

/** `describe` when PostgreSQL is there, else `describe.skip` (after a loud warning; an error under CI=true). */
export function describeWithPostgres(): jest.Describe {
  return postgresAvailable() ? describe : describe.skip;
}

function adminUrl(database?: string): string {
  const url = new URL(process.env['PERFGUARD_TEST_PG_URL'] ?? '');
  if (database !== undefined) url.pathname = `/${database}`;
  return url.href;
}

/** The login role the tests connect as (no superuser) and its password. */
export function testRole(): { user: string; password: string } {
  return { user: process.env['PERFGUARD_TEST_PG_ROLE'] ?? '', password: process.env['PERFGUARD_TEST_PG_PASSWORD'] ?? '' };
}

/** The certificate the throwaway cluster serves (self-signed, for 127.0.0.1); undefined for a server of your own. */
export function testCertificate(): string | undefined {
  return process.env['PERFGUARD_TEST_PG_CERT'];
}

/** Runs SQL as the server's administrator, in `database` (default: the admin URL's own). */
export function adminQuery<R extends object = Record<string, unknown>>(sql: string, values: unknown[] = [], database?: string): Promise<R[]> {
  return queryAs<R>(adminUrl(database), sql, values);
}

/** Runs SQL with plain node-postgres as the user of `url` (a store URL: its `schema` parameter is ignored). */
export async function queryAs<R extends object = Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Runs SQL as the user of `url` with unqualified names meaning the tables of the store's schema. */
export async function queryInStore<R extends object = Record<string, unknown>>(url: string, sql: string): Promise<R[]> {
  const schema = new URL(url).searchParams.get('schema') ?? 'perfguard';
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file, owned by the test role. */
export interface TestDatabase {
  name: string;
  /** The URL of a store in this database as the test role, in `schema` when given. */
  url(schema?: string, user?: { user: string; password: string }): string;
  drop(): Promise<void>;
}

/** Creates a fresh database owned by the test role (so the role has CREATE on it, and nothing more). */
export async function createTestDatabase(label: string, owner = testRole().user): Promise<TestDatabase> {
  const name = `pgtest_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} OWNER ${owner}`);
  return {
    name,
    url(schema, user = testRole()) {
      const url = new URL(adminUrl(name));
      url.username = encodeURIComponent(user.user);
      url.password = encodeURIComponent(user.password);
      if (schema !== undefined) url.searchParams.set('schema', schema);
      return url.href;
    },
    async drop() {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

let schemaCount = 0;

/** A schema name not used before in this process, for a test that wants a store of its own. */
export function freshSchema(label = 's'): string {
  schemaCount += 1;
  return `${label.replace(/\W/g, '_').toLowerCase()}_${schemaCount}_${randomBytes(3).toString('hex')}`;
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago), for refused connections. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
