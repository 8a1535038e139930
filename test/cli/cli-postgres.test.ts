import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store';
import { runCli } from '../helpers/cli';
import { closedPort, createTestDatabase, describeWithPostgres, freshSchema, testRole, type TestDatabase } from '../helpers/postgres';
import { seedStore } from '../helpers/seeded-store';

// The perfguard command against the shared PostgreSQL store: a store pushed from a SQLite file
// reads back through every command exactly as the file does, and every connection problem is
// a one-line error that names the fix, with the password masked, and exit code 2.

const RUNS = [
  { fast_path: 2_000_000, slow_path: 5_000_000, "quote's | pipe": 1_000_000 },
  { fast_path: 2_000_000, slow_path: 8_500_000, "quote's | pipe": 1_000_000 },
];

describe('perfguard --help', () => {
  it.each([[['--help']], [['report', '--help']], [['push', '--help']], [['dashboard', '--help']], [['baselines', 'list', '--help']]])(
    'never shows the password of a store URL (%p)',
    async (argv) => {
      const url = 'postgres://alice:never-print-me@db.example:5432/perf';
      const outcome = await runCli([...argv, '--db', url], os.tmpdir(), { PERFGUARD_DB: url });
      const withoutDb = await runCli(argv, os.tmpdir(), { PERFGUARD_DB: url });
      for (const shown of [outcome, withoutDb]) {
        expect(shown.code).toBe(0);
        expect(shown.stdout + shown.stderr).not.toContain('never-print-me');
      }
      expect(withoutDb.stdout).toMatch(argv[0] === '--help' ? /push/ : /--db <path\|url>/);
    },
  );
});

describe('perfguard merge and push with the wrong kind of store', () => {
  it('merge refuses a URL and points to push, password masked', async () => {
    const outcome = await runCli(['merge', 'postgres://alice:hunter2@db/perf', 'a.db'], os.tmpdir());
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('perfguard: perfguard merge folds SQLite store files, received the URL postgres://alice:****@db/perf. To move a store file into a PostgreSQL store: perfguard push FILE --db URL.\n');
  });

  it('push refuses a URL as its source', async () => {
    const outcome = await runCli(['push', 'postgres://alice:hunter2@db/perf', '--db', 'postgres://alice:hunter2@db/other'], os.tmpdir());
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^perfguard: perfguard push reads a SQLite store file, received the URL postgres:\/\/alice:\*\*\*\*@db\/perf\./);
  });
});

describeWithPostgres()('perfguard against a PostgreSQL store', () => {
  let tmp: string;
  let file: string;
  let database: TestDatabase;
  let url: string;
  const { password } = testRole();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-cli-pg-'));
    file = path.join(tmp, 'perf.db');
    await seedStore(file, RUNS);
    database = await createTestDatabase('cli');
    url = database.url(freshSchema('cli'));
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('push moves every run, result and epoch of a file in, and adds nothing the second time', async () => {
    const first = await runCli(['push', 'perf.db', '--db', url], tmp);
    expect(first).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(/^perf\.db → postgres:\/\/perfguard_test:\*\*\*\*@127\.0\.0\.1:\d+\/pgtest_cli_\w+\?schema=cli_\w+: 2 run\(s\), 6 result\(s\), 3 baseline epoch\(s\) added/) as unknown });
    expect(first.stdout).not.toContain(password);
    const second = await runCli(['push', 'perf.db'], tmp, { PERFGUARD_DB: url });
    expect(second.stdout).toMatch(/: 0 run\(s\), 0 result\(s\), 0 baseline epoch\(s\) added \(it holds 2, 6, 3; the rest were there already\)/);
    const [sqlite, postgres] = await Promise.all([openStore(file, { readonly: true }), openStore(url, { readonly: true })]);
    try {
      expect(await postgres.counts()).toEqual(await sqlite.counts());
      expect(await postgres.listBaselines()).toEqual(await sqlite.listBaselines());
    } finally {
      await Promise.all([sqlite.close(), postgres.close()]);
    }
  });

  it.each([
    [['report']],
    [['report', '--format', 'json']],
    [['report', '--format', 'markdown']],
    [['baselines', 'list']],
    [['baselines', 'show', 'slow_path', '--format', 'json']],
    [['baselines', 'history', 'slow_path']],
    [['history', 'slow_path']],
    [['history', "quote's | pipe", '--format', 'json']],
  ])('perfguard %p prints the same for the pushed store as for the file', async (argv) => {
    await runCli(['push', 'perf.db', '--db', url], tmp);
    const fromFile = await runCli([...argv, '--db', 'perf.db'], tmp);
    const fromPostgres = await runCli([...argv, '--db', url], tmp);
    expect(fromPostgres).toEqual(fromFile);
    expect(fromFile.stdout.length).toBeGreaterThan(100);
  });

  it('records a deletion in the shared store and keeps its history', async () => {
    const own = database.url(freshSchema('delete'));
    await runCli(['push', 'perf.db', '--db', own], tmp);
    expect((await runCli(['baselines', 'delete', 'slow_path', '--yes', '--db', own], tmp)).code).toBe(0);
    const listed = JSON.parse((await runCli(['baselines', 'list', '--format', 'json', '--db', own], tmp)).stdout) as { testName: string }[];
    expect(listed.map((entry) => entry.testName)).not.toContain('slow_path');
    expect((await runCli(['baselines', 'history', 'slow_path', '--db', own], tmp)).stdout).toContain('deleted');
  });

  describe('connection problems: one line naming the fix, the password masked, exit code 2', () => {
    async function expectFailure(argv: string[], message: RegExp): Promise<void> {
      const outcome = await runCli(argv, tmp);
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(message);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).not.toContain(password);
      expect(outcome.stderr).not.toContain(encodeURIComponent(password));
    }

    it('a bad URL', async () => {
      const bad = url.replace(/:(\d+)\//, ':notaport/');
      await expectFailure(['report', '--db', bad], /^perfguard: The store URL postgres:\/\/perfguard_test:\*\*\*\*@127\.0\.0\.1:notaport\/.* is not a usable PostgreSQL URL: .*Write it as postgres:\/\/user:password@host:5432\/database/);
    });

    it('a refused connection', async () => {
      const refused = url.replace(/:(\d+)\//, `:${await closedPort()}/`);
      await expectFailure(['baselines', 'list', '--db', refused], /^perfguard: Could not connect to the perfguard store postgres:\/\/perfguard_test:\*\*\*\*@.*: no PostgreSQL server accepts connections at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Start the server/);
    });

    it('wrong credentials', async () => {
      const wrong = url.replace(`:${encodeURIComponent(password)}@`, ':wrong-password@');
      await expectFailure(['history', 'slow_path', '--db', wrong], /^perfguard: Could not connect to the perfguard store postgres:\/\/perfguard_test:\*\*\*\*@.*: PostgreSQL refused the password of the user "perfguard_test" \(28P01/);
    });

    it('a missing database', async () => {
      const missing = url.replace(`/${database.name}?`, '/no_such_database?');
      await expectFailure(['push', 'perf.db', '--db', missing], /^perfguard: Could not connect to the perfguard store .*: the database "no_such_database" does not exist on 127\.0\.0\.1:\d+ \(3D000\)\. Create it \(createdb -O perfguard_test no_such_database/);
    });

    it('a schema with no store yet, read by a reading command', async () => {
      await expectFailure(['report', '--db', database.url(freshSchema('empty'))], /^perfguard: No perfguard store in postgres:\/\/perfguard_test:\*\*\*\*@.* \(schema empty_\w+\): run the performance tests/);
    });
  });
});
