import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../src/errors';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/_migrations';
import { resultDataToRow, resultToRow, runToRow } from '../../src/store/_rows';
import { SqliteStore } from '../../src/store/sqlite-store';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';

function memoryStore(): SqliteStore {
  return new SqliteStore(new Database(':memory:'));
}

const fakeRegression = {
  metricType: 'duration' as const,
  baselineValue: 0.001,
  currentValue: 0.002,
  regressionFactor: 2,
  severity: 'warning' as const,
  confidence: 1,
  factorInterval: null,
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-store-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('SqliteStore on a file', () => {
  it('creates the folder and the file on first open, in WAL mode', () => {
    const file = path.join(tmp, 'nested', 'deeper', 'perfguard.db');
    const store = SqliteStore.open(file);
    store.writes.ensureRun(makeRun());
    void store.close();
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('reopens an existing store and keeps its data', () => {
    const file = path.join(tmp, 'perfguard.db');
    const run = makeRun();
    const first = SqliteStore.open(file);
    first.writes.ensureRun(run);
    first.writes.insertResult(makeResult(run.id, 'kept'));
    void first.close();
    const second = SqliteStore.open(file, { readonly: true });
    expect(second.reads.resultsOfRun(run.id).map((r) => r.testName)).toEqual(['kept']);
    void second.close();
  });

  it('refuses a file that is not SQLite and leaves it byte for byte as it was', () => {
    const file = path.join(tmp, 'perfguard.db');
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(100));
    const before = fs.readFileSync(file);
    expect(() => SqliteStore.open(file)).toThrow(StoreError);
    expect(() => SqliteStore.open(file)).toThrow(/is not a SQLite database.*left untouched/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a corrupt SQLite file and leaves it byte for byte as it was', () => {
    const file = path.join(tmp, 'perfguard.db');
    const store = SqliteStore.open(file);
    const run = makeRun();
    store.writes.ensureRun(run);
    for (let i = 0; i < 40; i++) store.writes.insertResult(makeResult(run.id, `test ${i}`, { seed: i }));
    void store.close();
    const bytes = fs.readFileSync(file);
    // Keep the 100-byte header, scribble over the pages after it.
    for (let i = 4096; i < bytes.length; i += 7) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, bytes);
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
    expect(() => SqliteStore.open(file)).toThrow(/is corrupt.*left untouched.*Restore it from a backup/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a store written by a newer schema without altering it', () => {
    const file = path.join(tmp, 'perfguard.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.exec('CREATE TABLE runs (id TEXT)');
    db.close();
    const before = fs.readFileSync(file);
    expect(() => SqliteStore.open(file)).toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, written by a newer perfguard.*left untouched`));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  describe('a store of schema version 1 (reports and samples inside results)', () => {
    function writeVersion1Store(file: string) {
      const run = makeRun();
      const passed = makeResult(run.id, 'kept');
      const base = makeResult(run.id, 'slower');
      const critical = { ...base, status: 'regression' as const, report: { ...base.report, regressions: [{ ...fakeRegression, severity: 'critical' as const }] } };
      const db = new Database(file);
      db.exec(MIGRATIONS[0]?.sql ?? '');
      db.pragma('user_version = 1');
      db.prepare('INSERT INTO runs VALUES (@id, @started_at, @ended_at, @git_commit, @git_branch, @is_ci, @environment_key, @environment_json)').run(runToRow(run));
      const insert = db.prepare(`INSERT INTO results (id, run_id, test_name, attempt, created_at, status, environment_key, median_s, p25_s, p75_s,
          memory_mb, cpu_percent, factor, report_json, samples_json)
        VALUES (@id, @run_id, @test_name, @attempt, @created_at, @status, @environment_key, @median_s, @p25_s, @p75_s,
          @memory_mb, @cpu_percent, @factor, @report_json, @samples_json)`);
      for (const result of [passed, critical]) {
        const { verdict: _verdict, place: _place, ...row } = resultToRow(result);
        const { report_json, samples_json } = resultDataToRow(result);
        insert.run({ ...row, report_json, samples_json });
      }
      db.close();
      return { run, passed, critical };
    }

    it('is upgraded in place on the first writing open, losing nothing', async () => {
      const file = path.join(tmp, 'perfguard.db');
      const { run, passed, critical } = writeVersion1Store(file);
      // Exactly what a store of the current schema reads back (samples are stored rounded).
      const fresh = memoryStore();
      fresh.writes.ensureRun(run);
      for (const result of [passed, critical]) fresh.writes.insertResult(result);
      const store = SqliteStore.open(file);
      expect(store.reads.getResult(passed.id)).toEqual(fresh.reads.getResult(passed.id));
      expect(store.reads.getResult(critical.id)).toEqual(fresh.reads.getResult(critical.id));
      expect(store.reads.getResult(critical.id)?.report).toEqual(critical.report);
      expect(store.reads.resultsOfRun(run.id).map((r) => r.testName)).toEqual(['kept', 'slower']);
      expect(await store.dashboard().regressions(10)).toEqual([expect.objectContaining({ name: 'slower', severity: 'critical' })]);
      // Migrations say what they did; each old result became one process of the run-level rule.
      expect(store.migration).toEqual({ fromVersion: 1, toVersion: SCHEMA_VERSION, applied: [expect.objectContaining({ version: 2 }), expect.objectContaining({ version: 3 })] });
      const epoch = { id: 'e', testName: 'kept', environmentKey: passed.environmentKey, createdAt: '2000-01-01T00:00:00.000Z', commit: null, reason: null, createdBy: null, resultId: passed.id, isDeleted: false };
      expect(store.reads.referenceProcesses(epoch, 30)).toEqual([
        expect.objectContaining({ resultId: passed.id, index: 0, isFounding: true, duration: passed.report.duration.median, memory: passed.report.memory.median }),
      ]);
      store.writes.insertResult(makeResult(run.id, 'after the upgrade'));
      void store.close();
      const db = new Database(file, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect((db.prepare('SELECT place FROM results WHERE id = ?').get(passed.id) as { place: string }).place).toBe(passed.report.place);
      db.close();
    });

    it('is refused read-only until something writes to it', () => {
      const file = path.join(tmp, 'perfguard.db');
      writeVersion1Store(file);
      const before = fs.readFileSync(file);
      expect(() => SqliteStore.open(file, { readonly: true })).toThrow(/older schema version 1\. Run the performance tests/);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    });
  });

  it("refuses someone else's SQLite database", () => {
    const file = path.join(tmp, 'app.db');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER)');
    db.close();
    const before = fs.readFileSync(file);
    expect(() => SqliteStore.open(file)).toThrow(/not a perfguard store \(it has tables customers\)/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('gives a clear error when the location cannot be created', () => {
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'x');
    expect(() => SqliteStore.open(path.join(blocker, 'perfguard.db'))).toThrow(
      /Cannot create the folder of the perfguard store .*a-file\/perfguard\.db.*PERFGUARD_DB/s,
    );
  });

  it('refuses to open a missing store read-only, naming the file', () => {
    expect(() => SqliteStore.open(path.join(tmp, 'missing.db'), { readonly: true })).toThrow(
      /No perfguard store at .*missing\.db\. Run the performance tests first/,
    );
  });
});

describe('SqliteStore records', () => {
  it('keeps runs, results and their reports exactly', () => {
    const store = memoryStore();
    const run = makeRun({ commit: 'deadbeef', branch: 'feature/x', isCi: true });
    store.writes.ensureRun(run);
    store.writes.ensureRun(run);
    const result = makeResult(run.id, 'json_parse');
    store.writes.insertResult(result);
    expect(store.reads.getRun(run.id)).toEqual(run);
    const [stored] = store.reads.resultsOfRun(run.id);
    expect(stored?.report).toEqual(result.report);
    expect(stored?.samples.durationNs).toHaveLength(50);
    expect(stored?.samples.durationNs[0]).toBeCloseTo(result.samples.durationNs[0] ?? 0, 2);
    expect(store.reads.latestRun()?.id).toBe(run.id);
  });

  it.each([
    ["it's \"quoted\""],
    ["'; DROP TABLE results; --"],
    ['ünïcødé 測試 🚀'],
    ['x'.repeat(10_000)],
    ['<script>alert(1)</script>'],
  ])('stores and reads back the test name %p exactly', (name) => {
    const store = memoryStore();
    const run = makeRun();
    store.writes.ensureRun(run);
    const result = makeResult(run.id, name);
    store.writes.insertResult(result, makeEpoch(result));
    expect(store.reads.resultsOfRun(run.id)[0]?.testName).toBe(name);
    expect(store.reads.currentBaseline(name)?.result.testName).toBe(name);
    expect(store.reads.listBaselines().map((entry) => entry.testName)).toEqual([name]);
  });

  it('makes the newest epoch the baseline and keeps the older ones', () => {
    const store = memoryStore();
    const run = makeRun();
    store.writes.ensureRun(run);
    const old = makeResult(run.id, 'sort', { centreNs: 100 });
    const recent = makeResult(run.id, 'sort', { centreNs: 200 });
    store.writes.insertResult(old, makeEpoch(old, { createdAt: '2026-01-01T00:00:00.000Z' }));
    store.writes.insertResult(recent, makeEpoch(recent, { createdAt: '2026-02-01T00:00:00.000Z' }));
    expect(store.reads.currentBaseline('sort')?.result.id).toBe(recent.id);
    expect(store.reads.baselineEpochs('sort').map((epoch) => epoch.resultId)).toEqual([old.id, recent.id]);
  });

  it('ends a baseline with a deletion marker, keeping the history', () => {
    const store = memoryStore();
    const run = makeRun();
    store.writes.ensureRun(run);
    const result = makeResult(run.id, 'gone');
    store.writes.insertResult(result, makeEpoch(result, { createdAt: '2026-01-01T00:00:00.000Z' }));
    store.writes.addBaselineEpoch(makeEpoch(result, { resultId: null, isDeleted: true, createdAt: '2026-01-02T00:00:00.000Z' }));
    expect(store.reads.currentBaseline('gone')).toBeUndefined();
    expect(store.reads.listBaselines()).toEqual([]);
    expect(store.reads.baselineEpochs('gone')).toHaveLength(2);
  });

  it('prefers the baseline of the same environment, else falls back to another one', () => {
    const store = memoryStore();
    const run = makeRun();
    store.writes.ensureRun(run);
    const here = makeResult(run.id, 'env');
    const there = makeResult(run.id, 'env');
    store.writes.insertResult(here, makeEpoch(here, { environmentKey: 'here', createdAt: '2026-01-01T00:00:00.000Z' }));
    store.writes.insertResult(there, makeEpoch(there, { environmentKey: 'there', createdAt: '2026-03-01T00:00:00.000Z' }));
    expect(store.reads.currentBaseline('env', 'here')?.epoch.environmentKey).toBe('here');
    expect(store.reads.currentBaseline('env', 'elsewhere')?.epoch.environmentKey).toBe('there');
  });

  it('lists where a test name was measured in a run', () => {
    const store = memoryStore();
    const run = makeRun();
    store.writes.ensureRun(run);
    store.writes.insertResult(makeResult(run.id, 'dup'));
    expect(store.reads.placesOfTestInRun(run.id, 'dup')).toEqual(['test/x.test.ts:1']);
    expect(store.reads.placesOfTestInRun(run.id, 'other')).toEqual([]);
  });

  it('gives a test history newest first with its runs', () => {
    const store = memoryStore();
    for (let i = 0; i < 3; i++) {
      const run = makeRun({ commit: `c${i}` });
      store.writes.ensureRun(run);
      store.writes.insertResult(makeResult(run.id, 'trend', { createdAt: `2026-0${i + 1}-01T00:00:00.000Z` }));
    }
    expect(store.reads.testHistory('trend', 2).map((entry) => entry.run.commit)).toEqual(['c2', 'c1']);
  });
});
