import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ConfigError, StoreError } from '../../src/errors';
import { PerformanceRegressionDetector } from '../../src/runner/performance-regression-detector';
import { PerformanceRegressionTester } from '../../src/runner/performance-regression-tester';
import { SCHEMA_VERSION } from '../../src/store/_migrations';
import { PG_SCHEMA_VERSION } from '../../src/store/_pg-migrations';
import { parsePostgresUrl } from '../../src/store/_pg-url';
import { openStore } from '../../src/store/open-store';
import type { PerfguardStore } from '../../src/store/perfguard-store';
import { PostgresStore } from '../../src/store/postgres-store';
import { resolveStorePath } from '../../src/store/store-path';
import { maskPassword } from '../../src/store/store-url';
import { createFakeClock } from '../helpers/fake-clock';
import { plantedWork } from '../helpers/planted';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';
import { adminQuery, closedPort, createTestDatabase, describeWithPostgres, freshSchema, testCertificate, testRole, type TestDatabase } from '../helpers/postgres';

const SECRET = 'pa:ss@w/rd';
const URL_WITH_SECRET = `postgres://alice:${encodeURIComponent(SECRET)}@db.example:5432/perf`;

describe('PostgreSQL URLs', () => {
  it.each([
    ['postgres://alice:hunter2@db:5432/perf', 'postgres://alice:****@db:5432/perf'],
    ['postgresql://alice:p%40ss@db/perf?sslmode=require', 'postgresql://alice:****@db/perf?sslmode=require'],
    ['postgres://alice@db/perf?password=hunter2&sslmode=disable', 'postgres://alice@db/perf?password=****&sslmode=disable'],
    ['postgres://alice:hun@ter2@db/perf', 'postgres://alice:****@db/perf'],
    ['postgres://db/perf', 'postgres://db/perf'],
    ['postgres://alice:hunter2@db:notaport/perf', 'postgres://alice:****@db:notaport/perf'],
    ['/var/lib/perf.db', '/var/lib/perf.db'],
  ])('masks the password of %s', (url, masked) => {
    expect(maskPassword(url)).toBe(masked);
  });

  it('takes what the URL leaves out from the standard PG* variables, then libpq defaults', () => {
    const target = parsePostgresUrl('postgres:///?schema=team_perf', { PGHOST: 'pg.internal', PGPORT: '6543', PGUSER: 'bob', PGPASSWORD: 'from-env', PGDATABASE: 'history' });
    expect(target).toEqual(expect.objectContaining({ host: 'pg.internal', port: 6543, user: 'bob', database: 'history', schema: 'team_perf', sslMode: 'prefer' }));
    expect(target.config).toEqual(expect.objectContaining({ password: 'from-env', application_name: 'perfguard' }));
    const plain = parsePostgresUrl('postgres://carol@db/perf', {});
    expect(plain).toEqual(expect.objectContaining({ host: 'db', port: 5432, user: 'carol', database: 'perf', schema: 'perfguard', secret: undefined }));
  });

  it.each([
    ['', {}, 10_000],
    ['?connect_timeout=30', {}, 30_000],
    ['?connect_timeout=0', {}, 0],
    ['?connect_timeout=1', {}, 2_000],
    ['', { PGCONNECT_TIMEOUT: '5' }, 5_000],
    ['?connect_timeout=7', { PGCONNECT_TIMEOUT: '5' }, 7_000],
    ['?connect_timeout=-1', {}, 0],
    ['', { PGCONNECT_TIMEOUT: ' ' }, 10_000],
  ])('reads connect_timeout%s (env %p) as libpq does: 0 is no limit, at least 2 s', (query, env, millis) => {
    expect(parsePostgresUrl(`postgres://u@db/perf${query}`, env).config.connectionTimeoutMillis).toBe(millis);
  });

  it('names PGCONNECT_TIMEOUT when that is what is wrong', () => {
    expect(() => parsePostgresUrl('postgres://u:secret@db/perf', { PGCONNECT_TIMEOUT: '10s' })).toThrow(/PGCONNECT_TIMEOUT must be a whole number of seconds \(0 for no limit\), received '10s'/);
  });

  it.each([
    ['disable', false],
    ['require', { rejectUnauthorized: false }],
    ['prefer', { rejectUnauthorized: false }],
    ['verify-full', {}],
  ])('honours sslmode=%s as libpq does', (mode, ssl) => {
    expect(parsePostgresUrl(`postgres://u@db/perf?sslmode=${mode}`, {}).config.ssl).toEqual(ssl);
    expect(parsePostgresUrl('postgres://u@db/perf', { PGSSLMODE: mode }).sslMode).toBe(mode);
  });

  it.each([
    [`${URL_WITH_SECRET}?sslmode=sometimes`, /sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, received 'sometimes'/],
    [`${URL_WITH_SECRET}?sslmode=verify-ca`, /sslmode=verify-ca needs the CA certificate to verify against: add sslrootcert=/],
    [`${URL_WITH_SECRET}?sslmode=require&sslrootcert=/no/such/ca.crt`, /a certificate file it names cannot be read/],
    [`${URL_WITH_SECRET}?schema=Team-Perf`, /schema must be a lower-case name .* received 'Team-Perf'/],
    [`${URL_WITH_SECRET}?connect_timeout=soon`, /connect_timeout in the URL must be a whole number of seconds \(0 for no limit\), received 'soon'/],
    [`${URL_WITH_SECRET}?connect_timeout=1.5`, /connect_timeout in the URL must be a whole number of seconds/],
    ['postgres://alice:pa:ss@db.example:99999/perf', /does not parse as a URL/],
  ])('refuses the unusable URL %s with a ConfigError naming the fix, password masked', (url, message) => {
    let caught: unknown;
    try {
      parsePostgresUrl(url, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toContain('postgres://alice:****@');
    expect((caught as Error).message).not.toMatch(/pa:ss|pa%3Ass|w%2Frd/);
  });

  it('passes URLs through where the store is resolved, and refuses URLs of other databases', async () => {
    expect(resolveStorePath({ path: URL_WITH_SECRET, rootDir: '/project' })).toBe(URL_WITH_SECRET);
    expect(resolveStorePath({ rootDir: '/project', env: { PERFGUARD_DB: 'postgresql://db/perf' } })).toBe('postgresql://db/perf');
    expect(resolveStorePath({ path: 'baselines/x.db', rootDir: '/project' })).toBe('/project/baselines/x.db');
    await expect(openStore('mysql://alice:hunter2@db/perf')).rejects.toThrow(/mysql:\/\/alice:\*\*\*\*@db\/perf is a URL perfguard cannot open/);
  });

  it('numbers the PostgreSQL schema as the SQLite one: a new SQLite migration needs its PostgreSQL twin', () => {
    expect(PG_SCHEMA_VERSION).toBe(SCHEMA_VERSION);
  });
});

async function openingError(url: string, readonly = false): Promise<Error> {
  try {
    await (await openStore(url, { readonly })).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${maskPassword(url)} opened`);
}

describeWithPostgres()('the PostgreSQL store on a real server', () => {
  let database: TestDatabase;
  const stores: PerfguardStore[] = [];
  const { password } = testRole();
  beforeAll(async () => {
    database = await createTestDatabase('pgstore');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(() => database?.drop());

  async function open(url: string): Promise<PerfguardStore> {
    const store = await openStore(url);
    stores.push(store);
    return store;
  }

  describe('connection errors: each a StoreError that names the fix, with the password masked', () => {
    it('a refused connection', async () => {
      const url = new URL(database.url());
      url.port = String(await closedPort());
      const error = await openingError(url.href);
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toMatch(/no PostgreSQL server accepts connections at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Start the server, or fix the host and port/);
      expect(error.message).toContain(':****@');
      expect(error.message).not.toContain(password);
    });

    it('a wrong password', async () => {
      const error = await openingError(database.url(undefined, { user: testRole().user, password: 'not-the-password' }));
      expect(error.message).toMatch(/PostgreSQL refused the password of the user "perfguard_test" \(28P01.*set PGUSER and PGPASSWORD \(or ~\/\.pgpass\)/);
      expect(error.message).not.toContain('not-the-password');
    });

    it('a role that does not exist', async () => {
      const error = await openingError(database.url(undefined, { user: 'nobody_here', password }));
      expect(error.message).toMatch(/refused the password of the user "nobody_here"|refused the user "nobody_here"/);
      expect(error.message).not.toContain(password);
    });

    it('a database that does not exist', async () => {
      const url = new URL(database.url());
      url.pathname = '/no_such_database';
      const error = await openingError(url.href);
      expect(error.message).toMatch(/the database "no_such_database" does not exist on 127\.0\.0\.1:\d+ \(3D000\)\. Create it \(createdb -O perfguard_test no_such_database/);
      expect(error.message).not.toContain(password);
    });
  });

  it('connects with the credentials of the standard PG* variables when the URL has none', async () => {
    const url = new URL(database.url(freshSchema('env')));
    const saved = { PGUSER: process.env['PGUSER'], PGPASSWORD: process.env['PGPASSWORD'] };
    Object.assign(process.env, { PGUSER: url.username, PGPASSWORD: password });
    url.username = '';
    url.password = '';
    try {
      const store = await open(url.href);
      await store.ensureRun(makeRun());
      expect(store.location).toBe(url.href);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  describe('privileges: its own schema, no superuser', () => {
    let foreign: TestDatabase;
    beforeAll(async () => {
      // A database the test role may connect to but not create schemas in.
      foreign = await createTestDatabase('foreign', 'postgres');
    });
    afterAll(() => foreign?.drop());

    it('without CREATE on the database, says which privilege to grant, or which schema to make', async () => {
      const error = await openingError(foreign.url());
      expect(error.message).toMatch(
        /lacks a privilege it needs \(42501: permission denied for database pgtest_foreign_\w+\)\. perfguard needs its own schema "perfguard": CREATE on the database to make it \(GRANT CREATE ON DATABASE pgtest_foreign_\w+ TO perfguard_test\), or a schema made for it beforehand \(CREATE SCHEMA perfguard AUTHORIZATION perfguard_test\); no superuser\./,
      );
    });

    it('works in a schema made for it beforehand, with no CREATE on the database', async () => {
      await adminQuery(`CREATE SCHEMA IF NOT EXISTS made_for_perfguard AUTHORIZATION ${testRole().user}`, [], foreign.name);
      const store = await open(foreign.url('made_for_perfguard'));
      const run = makeRun();
      await store.ensureRun(run);
      const result = makeResult(run.id, 'granted');
      await store.insertResult(result, makeEpoch(result));
      expect((await store.currentBaseline('granted'))?.result.id).toBe(result.id);
    });
  });

  it("refuses a schema holding someone else's tables and leaves it untouched", async () => {
    const schema = freshSchema('theirs');
    await adminQuery(`CREATE SCHEMA ${schema} AUTHORIZATION ${testRole().user}`, [], database.name);
    await adminQuery(`CREATE TABLE ${schema}.customers (id integer)`, [], database.name);
    await adminQuery(`ALTER TABLE ${schema}.customers OWNER TO ${testRole().user}`, [], database.name);
    const error = await openingError(database.url(schema));
    expect(error.message).toMatch(new RegExp(`The schema ${schema} of .* is not a perfguard store \\(it holds customers\\); it was left untouched\\. Name another schema with \\?schema=NAME`));
    const tables = await adminQuery<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema], database.name);
    expect(tables).toEqual([{ tablename: 'customers' }]);
  });

  it('refuses a test name too long for an index with a StoreError that says to shorten it, writing nothing', async () => {
    const store = await open(database.url(freshSchema('long')));
    const run = makeRun();
    await store.ensureRun(run);
    // 4,000 bytes that do not compress: over PostgreSQL's index row limit (SQLite has none).
    const name = randomBytes(3000).toString('base64');
    const result = makeResult(run.id, name);
    await expect(store.insertResult(result, makeEpoch(result))).rejects.toThrow(/too long for a PostgreSQL index \(54000: .*nothing was written\. .*shorten the benchmark's name/);
    expect(await store.counts()).toEqual({ runs: 1, results: 0, epochs: 0 });
  });

  // The throwaway cluster always serves TLS; a server of your own (PERFGUARD_TEST_PG_URL) may not.
  const describeTls = testCertificate() === undefined ? describe.skip : describe;
  if (testCertificate() === undefined) {
    console.warn('perfguard: the sslmode tests are SKIPPED: PERFGUARD_TEST_PG_URL names a server of your own, whose certificate they cannot know. Unset it to test TLS against the throwaway cluster.');
  }
  describeTls('sslmode, against the throwaway cluster and its self-signed certificate', () => {
    /** Whether the connection of the store opened with `url` (named by application_name) uses TLS. */
    async function usesTls(url: string, application: string): Promise<boolean> {
      const withName = new URL(url);
      withName.searchParams.set('application_name', application);
      const store = await open(withName.href);
      await store.counts();
      const [row] = await adminQuery<{ ssl: boolean }>('SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1 LIMIT 1', [application]);
      return row?.ssl ?? false;
    }

    it.each([
      ['disable', false],
      ['prefer', true],
      ['require', true],
    ])('sslmode=%s connects with TLS %p', async (mode, expected) => {
      const url = new URL(database.url(freshSchema('tls')));
      url.searchParams.set('sslmode', mode);
      expect(await usesTls(url.href, `perfguard-tls-${mode}`)).toBe(expected);
    });

    it('sslmode=verify-full refuses a certificate it cannot verify, and accepts it with sslrootcert', async () => {
      const url = new URL(database.url(freshSchema('tls')));
      url.searchParams.set('sslmode', 'verify-full');
      const error = await openingError(url.href);
      expect(error.message).toMatch(/the server's certificate could not be verified \(DEPTH_ZERO_SELF_SIGNED_CERT.*sslrootcert=\/path\/to\/ca\.crt.*sslmode=require to encrypt without verifying/);
      url.searchParams.set('sslrootcert', testCertificate() ?? '');
      expect(await usesTls(url.href, 'perfguard-tls-verify-full')).toBe(true);
    });
  });

  describeTls('sslmode, against a second throwaway cluster that has no TLS', () => {
    const script = path.join(__dirname, '../../scripts/pg-cluster.mjs');
    let plain: { url: string; dir: string } | undefined;
    beforeAll(() => {
      const started = execFileSync(process.execPath, [script, 'start', '--no-tls'], { encoding: 'utf8' });
      plain = { url: /^PERFGUARD_TEST_PG_URL=(\S+)$/m.exec(started)?.[1] ?? '', dir: /^stop with: .* stop (\S+)$/m.exec(started)?.[1] ?? '' };
    }, 60_000);
    afterAll(() => {
      if (plain !== undefined) execFileSync(process.execPath, [script, 'stop', plain.dir]);
    });

    it('sslmode=prefer (the default) goes without TLS when the server has none', async () => {
      const url = new URL(plain?.url ?? '');
      url.searchParams.set('schema', freshSchema('plain'));
      const store = await open(url.href);
      await store.ensureRun(makeRun());
      expect((await store.counts()).runs).toBe(1);
    });

    it('sslmode=require refuses a server without TLS, naming the setting to change', async () => {
      const url = new URL(plain?.url ?? '');
      url.searchParams.set('sslmode', 'require');
      const error = await openingError(url.href);
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toMatch(/the server at 127\.0\.0\.1:\d+ does not offer TLS, but sslmode=require requires it\. Turn ssl on in the server, or, on a network you trust, use sslmode=prefer or sslmode=disable\./);
      expect(error.message).toContain('postgres:****@');
    });
  });

  describe('the detector', () => {
    it('reads a PostgreSQL baseline with loadBaseline, and says so when getBaseline is asked', async () => {
      const url = database.url(freshSchema('detector'));
      const store = await open(url);
      const run = makeRun();
      await store.ensureRun(run);
      const result = makeResult(run.id, 'detected');
      await store.insertResult(result, makeEpoch(result));
      const detector = new PerformanceRegressionDetector({ store: url });
      try {
        expect(() => detector.getBaseline('detected', result.environmentKey)).toThrow(ConfigError);
        expect(() => detector.getBaseline('detected', result.environmentKey)).toThrow(/only a SQLite store allows, and the store postgres:\/\/perfguard_test:\*\*\*\*@.* is PostgreSQL\. Use `await detector\.loadBaseline\(name\)` instead/);
        const baseline = await detector.loadBaseline('detected', result.environmentKey);
        expect(baseline?.medianDuration).toBeCloseTo(result.report.duration.median, 9);
        expect(() => detector.getBaseline('detected', result.environmentKey)).toThrow(ConfigError);
      } finally {
        await detector.close();
      }
    });

    it('takes an opened PostgresStore: the tester records into it, the detector reads it back, and neither closes it', async () => {
      const url = database.url(freshSchema('instance'));
      const store = await open(url);
      const clock = createFakeClock();
      const tester = new PerformanceRegressionTester({ store, env: { PERFGUARD_RUN_ID: 'pg-instance', UPDATE_PERFORMANCE_BASELINE: 'true' }, defaults: { clock, time: 100, rounds: 1 }, roundRunner: null });
      const report = await tester.benchmark(plantedWork(clock, 2_000_000), 'given_store');
      expect(report.status).toBe('baseline-updated');
      await tester.close();
      const detector = new PerformanceRegressionDetector({ store });
      const baseline = await detector.loadBaseline('given_store', report.environment.key);
      expect(baseline?.medianDuration).toBeCloseTo(report.duration.median, 9);
      expect(() => detector.getBaseline('given_store', report.environment.key)).toThrow(/only a SQLite store allows, and the store postgres:\/\/perfguard_test:\*\*\*\*@.* is PostgreSQL\. Use `await detector\.loadBaseline\(name\)` instead/);
      await detector.close();
      // Still open: whoever opened a store closes it.
      expect((await store.counts()).results).toBe(1);
    });
  });

  it('is what openStore opens for a postgres:// URL, with the URL masked as its location', async () => {
    const store = await open(database.url(freshSchema('kind')));
    expect(store).toBeInstanceOf(PostgresStore);
    expect(store.kind).toBe('postgres');
    expect(store.location).toMatch(/^postgres:\/\/perfguard_test:\*\*\*\*@127\.0\.0\.1:\d+\/pgtest_pgstore_\w+\?schema=kind_\w+$/);
  });
});
