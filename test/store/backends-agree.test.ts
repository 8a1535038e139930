import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store';
import type { PerfguardStore } from '../../src/store/perfguard-store';
import type { BaselineEpoch, MeasuringMode } from '../../src/types';
import { type HistoryStep, PLANTED_TESTS, plantedHistory, writeHistory } from '../helpers/planted-history';
import { createTestDatabase, describeWithPostgres, freshSchema, type TestDatabase } from '../helpers/postgres';

// The same history written into SQLite and into PostgreSQL must read back the same through
// every query the rest of perfguard uses: the run-level verdict's reference processes above all.

describeWithPostgres()('the PostgreSQL store answers every read as the SQLite store does', () => {
  let tmp: string;
  let database: TestDatabase;
  let sqlite: PerfguardStore;
  let postgres: PerfguardStore;
  let steps: HistoryStep[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-agree-'));
    database = await createTestDatabase('agree');
    steps = plantedHistory();
    sqlite = await openStore(path.join(tmp, 'perf.db'));
    postgres = await openStore(database.url(freshSchema('agree')));
    await writeHistory(sqlite, steps);
    await writeHistory(postgres, steps);
  }, 60_000);
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
    await database?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** What both stores answer to `read`. */
  async function answers<T>(read: (store: PerfguardStore) => Promise<T>): Promise<{ sqlite: T; postgres: T }> {
    return { sqlite: await read(sqlite), postgres: await read(postgres) };
  }

  async function expectSame<T>(read: (store: PerfguardStore) => Promise<T>): Promise<T> {
    const { sqlite: expected, postgres: actual } = await answers(read);
    expect(actual).toEqual(expected);
    return expected;
  }

  const epochs = (): BaselineEpoch[] => steps.flatMap((step) => (step.kind === 'epoch' ? [step.epoch] : step.kind === 'result' && step.epoch !== undefined ? [step.epoch] : []));
  const runIds = (): string[] => steps.flatMap((step) => (step.kind === 'run' ? [step.run.id] : []));

  it('holds the same runs, results and counts', async () => {
    expect((await expectSame((store) => store.counts())).results).toBeGreaterThan(40);
    await expectSame((store) => store.listRuns(100));
    await expectSame((store) => store.listRuns(3));
    await expectSame((store) => store.latestRun());
    for (const runId of runIds()) {
      await expectSame((store) => store.resultsOfRun(runId));
      for (const test of PLANTED_TESTS) {
        await expectSame((store) => store.resultsOfTestInRun(runId, test));
        await expectSame(async (store) => (await store.placesOfTestInRun(runId, test)).sort());
      }
    }
    for (const test of PLANTED_TESTS) {
      await expectSame((store) => store.testHistory(test, 50));
      await expectSame((store) => store.testHistory(test, 4));
    }
  });

  it('finds the same epochs and current baselines, in every environment and mode', async () => {
    await expectSame((store) => store.listBaselines());
    for (const test of PLANTED_TESTS) {
      await expectSame((store) => store.baselineEpochs(test));
      for (const environment of ['env-a', 'env-b', 'elsewhere', undefined]) {
        for (const mode of ['time', 'instructions'] as MeasuringMode[]) await expectSame((store) => store.currentBaseline(test, environment, mode));
      }
    }
  });

  it('gives the run-level verdict the same reference processes for every epoch and window', async () => {
    let compared = 0;
    for (const epoch of epochs()) {
      for (const limit of Array.from({ length: 16 }, (_, i) => i + 1)) {
        const reference = await expectSame((store) => store.referenceProcesses(epoch, limit));
        compared += reference.length;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it("draws the same dashboard: overview, each test's series and epochs, regressions, coverage", async () => {
    const overview = await expectSame((store) => store.dashboard().overview(30));
    expect(overview.map((row) => row.name)).toEqual([...PLANTED_TESTS].sort());
    await expectSame((store) => store.dashboard().overview(3));
    const counted = (await expectSame((store) => store.dashboard().series('gamma', 500))).filter((point) => point.mode === 'instructions');
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.every((point) => typeof point.instructions === 'number' && point.instructions > 1_000_000)).toBe(true);
    const countedOnly = await expectSame((store) => store.dashboard().series('gamma', 500, 'instructions'));
    expect(countedOnly).toEqual(counted);
    const timedOnly = await expectSame((store) => store.dashboard().series('gamma', 3, 'time'));
    expect(timedOnly.map((point) => point.mode)).toEqual(['time', 'time', 'time']);
    expect(await expectSame((store) => store.dashboard().modes('gamma'))).toEqual(['instructions', 'time']);
    expect(await expectSame((store) => store.dashboard().modes('alpha'))).toEqual(['time']);
    const gammaEpochs = await expectSame((store) => store.dashboard().epochs('gamma'));
    expect(new Set(gammaEpochs.map((epoch) => epoch.mode))).toEqual(new Set(['time', 'instructions']));
    expect(gammaEpochs.filter((epoch) => epoch.mode === 'instructions').every((epoch) => (epoch.instructions ?? 0) > 1_000_000)).toBe(true);
    const gammaRow = (await expectSame((store) => store.dashboard().overview(30))).find((row) => row.name === 'gamma');
    expect(gammaRow?.sparkline.every((value) => (gammaRow.latestMode === 'instructions' ? value > 1_000_000 : value < 1))).toBe(true);
    for (const test of PLANTED_TESTS) {
      await expectSame((store) => store.dashboard().series(test, 500));
      await expectSame((store) => store.dashboard().series(test, 4));
      await expectSame((store) => store.dashboard().epochs(test));
    }
    expect((await expectSame((store) => store.dashboard().regressions(200))).length).toBeGreaterThan(3);
    await expectSame((store) => store.dashboard().regressions(2));
    await expectSame((store) => store.dashboard().coverage(10));
    await expectSame((store) => store.dashboard().coverage(1));
  });
});
