import { StoreError } from '../../src/errors';
import { SCHEMA_VERSION } from '../../src/store/_migrations';
import { openStore } from '../../src/store/open-store';
import type { PerfguardStore } from '../../src/store/perfguard-store';
import type { PostgresStore } from '../../src/store/postgres-store';
import type { SqliteStore } from '../../src/store/sqlite-store';
import type { BaselineEpoch, ResultRecord } from '../../src/types';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';
import { openFresh, storeBackends } from '../helpers/store-backends';

// The behaviour every backend owes the rest of perfguard, through the asynchronous interface
// alone: the same tests against SQLite and against a real PostgreSQL server.

describe.each(storeBackends('behaviour'))('the $name store', (backend) => {
  const open: PerfguardStore[] = [];
  async function fresh(label?: string): Promise<PerfguardStore> {
    const store = await openFresh(backend, label);
    open.push(store);
    return store;
  }

  beforeAll(() => backend.setup());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });
  afterAll(() => backend.teardown());

  describe('opening', () => {
    it('creates the store on first open and says which migrations it applied, then none', async () => {
      const location = backend.freshLocation();
      const first = await openStore(location);
      open.push(first);
      expect(first.kind).toBe(backend.name);
      expect((first as SqliteStore | PostgresStore).migration).toEqual({
        fromVersion: 0,
        toVersion: SCHEMA_VERSION,
        applied: expect.arrayContaining([expect.objectContaining({ version: SCHEMA_VERSION })]) as unknown,
      });
      const second = await openStore(location);
      open.push(second);
      expect((second as SqliteStore | PostgresStore).migration).toEqual({ fromVersion: SCHEMA_VERSION, toVersion: SCHEMA_VERSION, applied: [] });
    });

    it('refuses a store of a newer schema and leaves it as it was', async () => {
      const location = backend.freshLocation('newer');
      await backend.plantNewerSchema(location);
      const before = await backend.fingerprint(location);
      await expect(openStore(location)).rejects.toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, written by a newer perfguard.*left untouched`));
      await expect(openStore(location, { readonly: true })).rejects.toThrow(StoreError);
      expect(await backend.fingerprint(location)).toBe(before);
    });

    it('refuses to open a missing store read-only, and creates nothing', async () => {
      const location = backend.freshLocation('missing');
      const before = await backend.fingerprint(location);
      await expect(openStore(location, { readonly: true })).rejects.toThrow(/No perfguard store .*Run the performance tests|No perfguard store in .*run the performance tests/);
      expect(await backend.fingerprint(location)).toBe(before);
    });

    it('writes nothing through a store opened read-only', async () => {
      const location = backend.freshLocation();
      const writer = await openStore(location);
      open.push(writer);
      await writer.ensureRun(makeRun());
      const reader = await openStore(location, { readonly: true });
      open.push(reader);
      await expect(reader.ensureRun(makeRun())).rejects.toThrow(StoreError);
      expect((await writer.counts()).runs).toBe(1);
    });
  });

  describe('records', () => {
    it('keeps runs, results and their reports exactly', async () => {
      const store = await fresh();
      const run = makeRun({ commit: 'deadbeef', branch: 'feature/x', isCi: true });
      await store.ensureRun(run);
      await store.ensureRun(run);
      const result = makeResult(run.id, 'json_parse');
      await store.insertResult(result);
      expect(await store.getRun(run.id)).toEqual(run);
      const [stored] = await store.resultsOfRun(run.id);
      expect(stored?.report).toEqual(result.report);
      expect(stored?.samples.durationNs).toHaveLength(50);
      expect(stored?.samples.durationNs[0]).toBeCloseTo(result.samples.durationNs[0] ?? 0, 2);
      expect(await store.getResult(result.id)).toEqual(stored);
      expect((await store.latestRun())?.id).toBe(run.id);
      await store.endRun(run.id, '2026-05-01T00:00:00.000Z');
      expect((await store.getRun(run.id))?.endedAt).toBe('2026-05-01T00:00:00.000Z');
      expect(await store.counts()).toEqual({ runs: 1, results: 1, epochs: 0 });
    });

    it.each([["it's \"quoted\""], ["'; DROP TABLE results; --"], ['ünïcødé 測試 🚀'], ['x'.repeat(10_000)], ['<script>alert(1)</script>']])(
      'stores and reads back the test name %p exactly',
      async (name) => {
        const store = await fresh();
        const run = makeRun();
        await store.ensureRun(run);
        const result = makeResult(run.id, name);
        await store.insertResult(result, makeEpoch(result));
        expect((await store.resultsOfRun(run.id))[0]?.testName).toBe(name);
        expect((await store.currentBaseline(name))?.result.testName).toBe(name);
        expect((await store.listBaselines()).map((entry) => entry.testName)).toEqual([name]);
        expect((await store.testHistory(name)).map((entry) => entry.result.testName)).toEqual([name]);
      },
    );

    it('stores a result and its epoch in one transaction: a result that cannot be stored takes its epoch with it', async () => {
      const store = await fresh();
      const orphan = makeResult('no-such-run', 'orphan');
      await expect(store.insertResult(orphan, makeEpoch(orphan))).rejects.toThrow(StoreError);
      expect(await store.counts()).toEqual({ runs: 0, results: 0, epochs: 0 });
      expect(await store.baselineEpochs('orphan')).toEqual([]);
    });

    it('lists runs newest first and where a test name was measured in a run', async () => {
      const store = await fresh();
      const older = makeRun({ startedAt: '2026-01-01T00:00:00.000Z' });
      const newer = makeRun({ startedAt: '2026-02-01T00:00:00.000Z' });
      await store.ensureRun(older);
      await store.ensureRun(newer);
      await store.insertResult(makeResult(older.id, 'dup'));
      expect((await store.listRuns()).map((run) => run.id)).toEqual([newer.id, older.id]);
      expect((await store.latestRun())?.id).toBe(older.id);
      expect(await store.placesOfTestInRun(older.id, 'dup')).toEqual(['test/x.test.ts:1']);
      expect(await store.placesOfTestInRun(older.id, 'other')).toEqual([]);
      expect((await store.resultsOfTestInRun(older.id, 'dup')).map((r) => r.testName)).toEqual(['dup']);
    });

    it('gives a test history newest first with its runs', async () => {
      const store = await fresh();
      for (let i = 0; i < 3; i++) {
        const run = makeRun({ commit: `c${i}` });
        await store.ensureRun(run);
        await store.insertResult(makeResult(run.id, 'trend', { createdAt: `2026-0${i + 1}-01T00:00:00.000Z` }));
      }
      expect((await store.testHistory('trend', 2)).map((entry) => entry.run.commit)).toEqual(['c2', 'c1']);
    });
  });

  describe('reference runs', () => {
    it('are the founding runs and every final result since that was not a regression, held back ones included', async () => {
      // Leaving out results by how slow they were (held back by the machine, evidence or
      // contention rules) made the reference narrower and faster than unchanged code in
      // bench:verdicts: see bench/results-verdicts-trials.md.
      const store = await fresh();
      const run = makeRun();
      await store.ensureRun(run);
      const founding = makeResult(run.id, 'parse', { createdAt: '2026-03-01T00:00:00.000Z' });
      const epoch = makeEpoch(founding, { createdAt: founding.createdAt });
      await store.insertResult(founding, epoch);
      const judged = (hour: number, status: ResultRecord['status']): ResultRecord => {
        const result = makeResult(run.id, 'parse', { createdAt: `2026-03-01T0${hour}:00:00.000Z` });
        return { ...result, status, report: { ...result.report, status } };
      };
      const kept = [judged(1, 'pass'), judged(2, 'inconclusive'), judged(3, 'improved')];
      const left = [judged(4, 'regression'), { ...makeResult(run.id, 'parse', { createdAt: '2026-02-01T00:00:00.000Z' }), status: 'pass' as const }];
      for (const result of [...kept, ...left]) await store.insertResult(result);
      const used = new Set((await store.referenceProcesses(epoch, 30)).map((process) => process.resultId));
      expect(used).toEqual(new Set([founding.id, ...kept.map((result) => result.id)]));
      // The newest `limit` of them.
      const newest = new Set((await store.referenceProcesses(epoch, 1)).map((process) => process.resultId));
      expect(newest).toEqual(new Set([founding.id, kept[2]?.id]));
    });
  });

  describe('baseline epochs', () => {
    it('makes the newest epoch the baseline and keeps the older ones', async () => {
      const store = await fresh();
      const run = makeRun();
      await store.ensureRun(run);
      const old = makeResult(run.id, 'sort', { centreNs: 100 });
      const recent = makeResult(run.id, 'sort', { centreNs: 200 });
      await store.insertResult(old, makeEpoch(old, { createdAt: '2026-01-01T00:00:00.000Z' }));
      await store.insertResult(recent, makeEpoch(recent, { createdAt: '2026-02-01T00:00:00.000Z' }));
      expect((await store.currentBaseline('sort'))?.result.id).toBe(recent.id);
      expect((await store.baselineEpochs('sort')).map((epoch) => epoch.resultId)).toEqual([old.id, recent.id]);
    });

    it('ends a baseline with a deletion marker, keeping the history', async () => {
      const store = await fresh();
      const run = makeRun();
      await store.ensureRun(run);
      const result = makeResult(run.id, 'gone');
      await store.insertResult(result, makeEpoch(result, { createdAt: '2026-01-01T00:00:00.000Z' }));
      await store.addBaselineEpoch(makeEpoch(result, { resultId: null, isDeleted: true, createdAt: '2026-01-02T00:00:00.000Z' }));
      expect(await store.currentBaseline('gone')).toBeUndefined();
      expect(await store.listBaselines()).toEqual([]);
      expect(await store.baselineEpochs('gone')).toHaveLength(2);
    });

    it('prefers the baseline of the same environment, else falls back to another one, and keeps modes apart', async () => {
      const store = await fresh();
      const run = makeRun();
      await store.ensureRun(run);
      const here = makeResult(run.id, 'env');
      const there = makeResult(run.id, 'env');
      const counted = makeResult(run.id, 'env');
      await store.insertResult(here, makeEpoch(here, { environmentKey: 'here', createdAt: '2026-01-01T00:00:00.000Z' }));
      await store.insertResult(there, makeEpoch(there, { environmentKey: 'there', createdAt: '2026-03-01T00:00:00.000Z' }));
      await store.insertResult(counted, makeEpoch(counted, { environmentKey: 'here', mode: 'instructions', createdAt: '2026-04-01T00:00:00.000Z' }));
      expect((await store.currentBaseline('env', 'here'))?.epoch.resultId).toBe(here.id);
      expect((await store.currentBaseline('env', 'elsewhere'))?.epoch.environmentKey).toBe('there');
      expect((await store.currentBaseline('env', 'here', 'instructions'))?.epoch.resultId).toBe(counted.id);
      expect((await store.listBaselines())[0]?.epochs.map((epoch: BaselineEpoch) => epoch.resultId)).toEqual([counted.id, there.id, here.id]);
    });
  });

  describe('imports', () => {
    it('imports records once: a second import of the same records adds nothing', async () => {
      const source = await fresh();
      const run = makeRun();
      await source.ensureRun(run);
      const results = [makeResult(run.id, 'a'), makeResult(run.id, 'b')];
      const epochs = results.map((result) => makeEpoch(result));
      const target = await fresh();
      const records = { runs: [run], results, epochs };
      expect(await target.importRecords(records)).toEqual({ runs: 1, results: 2, epochs: 2 });
      expect(await target.importRecords(records)).toEqual({ runs: 0, results: 0, epochs: 0 });
      expect(await target.counts()).toEqual({ runs: 1, results: 2, epochs: 2 });
      expect((await target.currentBaseline('a'))?.result.report).toEqual(results[0]?.report);
    });

    it('imports all or nothing: a record that cannot be stored takes the whole import with it', async () => {
      const target = await fresh();
      const run = makeRun();
      const good = makeResult(run.id, 'good');
      const orphan = makeResult('no-such-run', 'orphan');
      await expect(target.importRecords({ runs: [run], results: [good, orphan], epochs: [] })).rejects.toThrow(StoreError);
      expect(await target.counts()).toEqual({ runs: 0, results: 0, epochs: 0 });
    });
  });

  describe('the dashboard queries', () => {
    it('tell when another connection committed new results', async () => {
      const location = backend.freshLocation();
      const writer = await openStore(location);
      const reader = await openStore(location, { readonly: true });
      open.push(writer, reader);
      const before = await reader.dashboard().changeMarker();
      const run = makeRun();
      await writer.ensureRun(run);
      await writer.insertResult(makeResult(run.id, 'new'));
      expect(await reader.dashboard().changeMarker()).not.toBe(before);
    });
  });
});
