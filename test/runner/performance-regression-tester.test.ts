import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, DuplicateNameError, MeasurementError } from '../../src/errors';
import { PerformanceRegressionTester, type TesterOptions } from '../../src/runner/performance-regression-tester';
import { SqliteStore } from '../../src/store/sqlite-store';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { plantedWork } from '../helpers/planted';

interface Setup {
  store: SqliteStore;
  clock: FakeClock;
  tester: (env?: NodeJS.ProcessEnv, extra?: Partial<TesterOptions>) => PerformanceRegressionTester;
}

function setup(): Setup {
  const store = new SqliteStore(new Database(':memory:'));
  const clock = createFakeClock();
  let runs = 0;
  // Each tester stands for one run (one `jest` invocation), as in real use.
  return {
    store,
    clock,
    tester: (env = {}, extra = {}) =>
      new PerformanceRegressionTester({ store, env: { PERFGUARD_RUN_ID: `run-${++runs}`, ...env }, defaults: { clock, time: 200 }, ...extra }),
  };
}

describe('PerformanceRegressionTester.benchmark', () => {
  it('stores the first measurement as the baseline and reports no-baseline', async () => {
    const { store, clock, tester } = setup();
    const report = await tester().benchmark(plantedWork(clock, 2_000_000), 'first', { metadata: { inputSize: 1000 } });
    expect(report.status).toBe('no-baseline');
    expect(report.regressions).toEqual([]);
    expect(report.notes.map((note) => note.code)).toContain('baseline-established');
    expect(report.metadata).toEqual({ inputSize: 1000 });
    expect(report.duration.median).toBeCloseTo(0.002, 3);
    expect(store.currentBaseline('first')?.epoch.reason).toBe('first measurement');
  });

  it('passes unchanged code against its baseline', async () => {
    const { clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'steady');
    const report = await tester().benchmark(plantedWork(clock, 2_000_000, 2), 'steady');
    expect(report.status).toBe('pass');
    expect(report.baseline?.medianDuration).toBeCloseTo(0.002, 3);
  });

  it('fails a 1.6x slowdown as critical after confirming it with a second measurement', async () => {
    const { store, clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'slower');
    const report = await tester().benchmark(plantedWork(clock, 3_200_000, 2), 'slower');
    expect(report.status).toBe('regression');
    expect(report.attempt).toBe(2);
    expect(report.regressions).toEqual([
      expect.objectContaining({ metricType: 'duration', severity: 'critical', baselineValue: expect.closeTo(0.002, 3) as unknown }),
    ]);
    expect(report.regressions[0]?.regressionFactor).toBeCloseTo(1.6, 1);
    expect(report.notes.map((note) => note.code)).toContain('remeasured');
    expect(store.resultsOfTestInRun('run-2', 'slower').map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('keeps the second verdict when the re-measurement does not confirm the first', async () => {
    const { clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'hiccup');
    let call = 0;
    // Slow during the first measurement only (a busy neighbour), normal afterwards.
    const work = plantedWork(clock, 2_000_000, 3);
    const report = await tester().benchmark(() => {
      call++;
      work();
      if (call < 120) clock.advance(2_000_000);
    }, 'hiccup');
    expect(report.attempt).toBe(2);
    expect(report.status).toBe('pass');
  });

  it('measures only once when retry is off', async () => {
    const { clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'once');
    const report = await tester().benchmark(plantedWork(clock, 3_200_000, 2), 'once', { retry: false });
    expect(report.attempt).toBe(1);
    expect(report.status).toBe('regression');
  });

  it('stores a new baseline epoch instead of judging under UPDATE_PERFORMANCE_BASELINE=true', async () => {
    const { store, clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'updated');
    const report = await tester({ UPDATE_PERFORMANCE_BASELINE: 'yes', PERFGUARD_BASELINE_REASON: 'new algorithm' }).benchmark(
      plantedWork(clock, 3_200_000, 2),
      'updated',
    );
    expect(report.status).toBe('baseline-updated');
    expect(store.baselineEpochs('updated').map((epoch) => epoch.reason)).toEqual(['first measurement', 'new algorithm']);
    const next = await tester().benchmark(plantedWork(clock, 3_200_000, 3), 'updated');
    expect(next.status).toBe('pass');
  });

  it('refuses an unknown UPDATE_PERFORMANCE_BASELINE value before measuring', async () => {
    const { clock, tester } = setup();
    let calls = 0;
    await expect(
      tester({ UPDATE_PERFORMANCE_BASELINE: 'maybe' }).benchmark(() => {
        calls++;
        clock.advance(10);
      }, 'flag'),
    ).rejects.toThrow(/UPDATE_PERFORMANCE_BASELINE must be true, 1, yes .* received 'maybe'/);
    expect(calls).toBe(0);
  });

  it('records nothing when the function throws', async () => {
    const { store, clock, tester } = setup();
    let calls = 0;
    await expect(
      tester().benchmark(() => {
        clock.advance(1_000_000);
        if (++calls > 30) throw new Error('broken');
      }, 'throws'),
    ).rejects.toThrow(MeasurementError);
    expect(store.resultsOfTestInRun('run-1', 'throws')).toEqual([]);
    expect(store.currentBaseline('throws')).toBeUndefined();
  });

  it('refuses the same name from two places in one run, naming both', async () => {
    const { clock, tester } = setup();
    const instance = tester();
    await instance.benchmark(plantedWork(clock, 2_000_000), 'twice');
    const second = instance.benchmark(plantedWork(clock, 2_000_000), 'twice');
    await expect(second).rejects.toThrow(DuplicateNameError);
    await expect(instance.benchmark(plantedWork(clock, 2_000_000), 'twice')).rejects.toThrow(
      /benchmark name 'twice' is used twice in this run: at test\/runner\/performance-regression-tester\.test\.ts:\d+.* and at test\/runner\/performance-regression-tester\.test\.ts:\d+/,
    );
  });

  it('judges with per-benchmark thresholds', async () => {
    const { clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'strict');
    const report = await tester().benchmark(plantedWork(clock, 2_300_000, 2), 'strict', {
      thresholds: { duration: { warning: 1.1, critical: 1.3 } },
      retry: false,
    });
    expect(report.regressions[0]?.severity).toBe('warning');
  });

  describe('when the shared caches were busier than for the baseline', () => {
    const busyLoop = (rounds: number) => () => {
      let x = 0;
      for (let i = 0; i < rounds; i++) x = (x * 31 + i) | 0;
      return x;
    };

    /** Stores a baseline, then rewrites its memory-loop reading to `scale` times the real one. */
    async function storeWithMemoryReading(scale: number) {
      const database = new Database(':memory:');
      const store = new SqliteStore(database);
      const tester = (run: string) => new PerformanceRegressionTester({ store, env: { PERFGUARD_RUN_ID: run }, defaults: { time: 150, retry: false } });
      await tester('before').benchmark(busyLoop(20_000), 'shared-cache');
      const row = database.prepare('SELECT result_id, report_json FROM result_data').get() as { result_id: string; report_json: string };
      const report = JSON.parse(row.report_json) as { memoryProbeNs: number };
      database.prepare('UPDATE result_data SET report_json = ? WHERE result_id = ?').run(JSON.stringify({ ...report, memoryProbeNs: report.memoryProbeNs * scale }), row.result_id);
      return tester;
    }

    it('says so, and still flags a slowdown, since CPU-bound code does not slow with the caches', async () => {
      // As if the baseline's memory loop had run a thousand times faster than it can now.
      const tester = await storeWithMemoryReading(1 / 1000);
      const slower = await tester('after').benchmark(busyLoop(60_000), 'shared-cache');
      expect(slower.status).toBe('regression');
      const note = slower.notes.find((n) => n.code === 'memory-busy');
      expect(note?.message).toMatch(/memory reference loop ran \d+\.\d\dx slower than for the baseline/);
    });

    it('says nothing of the caches when the memory loop ran as fast as for the baseline', async () => {
      const tester = await storeWithMemoryReading(1000);
      const slower = await tester('after').benchmark(busyLoop(60_000), 'shared-cache');
      expect(slower.status).toBe('regression');
      expect(slower.notes.map((n) => n.code)).not.toContain('memory-busy');
    });
  });

  it('says plainly when the baseline comes from another environment, or skips it', async () => {
    const { store, clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'moved');
    const stored = store.currentBaseline('moved');
    store.addBaselineEpoch({ ...(stored?.epoch ?? ({} as never)), id: 'other-env', environmentKey: 'linux-arm64 node22 64x Graviton', createdAt: '2999-01-01T00:00:00.000Z' });
    store.addBaselineEpoch({ ...(stored?.epoch ?? ({} as never)), id: 'ended-here', resultId: null, isDeleted: true, createdAt: '2999-01-02T00:00:00.000Z' });
    const compared = await tester().benchmark(plantedWork(clock, 2_000_000, 2), 'moved');
    expect(compared.notes.map((note) => note.code)).toContain('environment-mismatch');
    expect(compared.baseline?.isSameEnvironment).toBe(false);
    const skipped = await tester().benchmark(plantedWork(clock, 2_000_000, 3), 'moved', { environmentMismatch: 'skip' });
    expect(skipped.status).toBe('no-baseline');
  });

  it.each([
    [{ iteratons: 5 }, /unknown option `iteratons`\. Did you mean `iterations`\?/],
    [{ confidence: 95 }, /`confidence` must be a probability/],
    [{ retry: 'yes' }, /`retry` must be one of true, false, received 'yes'/],
    [{ metadata: 'big' }, /`metadata` must be a plain object/],
    [{ profile: 'always' }, /`profile` must be one of true, false, 'on-regression'/],
  ])('refuses the option %p where it enters', async (options, message) => {
    const { clock, tester } = setup();
    await expect(tester().benchmark(() => clock.advance(10), 'bad', options as never)).rejects.toThrow(ConfigError);
    await expect(tester().benchmark(() => clock.advance(10), 'bad', options as never)).rejects.toThrow(message);
  });

  it('refuses unknown tester options', () => {
    expect(() => new PerformanceRegressionTester({ stores: 'x.db' } as never)).toThrow(/unknown option `stores`\. Did you mean `store`\?/);
  });
});

describe('PerformanceRegressionTester profiling and single runs', () => {
  it('writes a V8 CPU profile when asked, and names it in the report', async () => {
    const store = new SqliteStore(new Database(':memory:'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-profile-'));
    try {
      const tester = new PerformanceRegressionTester({ store, profileDir, env: { PERFGUARD_RUN_ID: 'profiled' }, defaults: { time: 50 } });
      const report = await tester.benchmark(() => JSON.stringify({ a: [1, 2, 3] }), 'profiled json', { profile: true });
      expect(report.profilePath).toMatch(/profiled_json-\d+\.cpuprofile$/);
      const profile = JSON.parse(fs.readFileSync(report.profilePath ?? '', 'utf8')) as { nodes: unknown[]; samples: unknown[] };
      expect(profile.nodes.length).toBeGreaterThan(0);
      expect(profile.samples.length).toBeGreaterThan(0);
      expect(report.notes.map((note) => note.code)).toContain('profile-written');
    } finally {
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  });

  it("writes no profile with 'on-regression' when nothing regressed", async () => {
    const { clock, tester } = setup();
    const report = await tester().benchmark(plantedWork(clock, 2_000_000), 'quiet', { profile: 'on-regression' });
    expect(report.profilePath).toBeNull();
  });

  it('records one run of a block with using, and of a function with measure(name, fn)', async () => {
    const { store, clock, tester } = setup();
    const instance = tester();
    {
      using block = instance.measure('block');
      clock.advance(5_000_000);
      expect(block.report).toBeUndefined();
    }
    const report = await instance.measure('function', () => clock.advance(7_000_000));
    expect(report.iterations).toBe(1);
    expect(report.duration.median).toBeCloseTo(0.007, 6);
    expect(store.resultsOfTestInRun('run-1', 'block')[0]?.report.duration.median).toBeCloseTo(0.005, 6);
  });

  it('records nothing when the measured function throws', async () => {
    const { store, tester } = setup();
    await expect(tester().measure('broken', () => Promise.reject(new Error('nope')))).rejects.toThrow(/measure 'broken': the measured code threw, so nothing was recorded: Error: nope/);
    expect(store.resultsOfTestInRun('run-1', 'broken')).toEqual([]);
  });

  it('judges a single run against the single runs since its baseline', async () => {
    const { clock, tester } = setup();
    for (let i = 0; i < 25; i++) await tester().measure('pooled', () => clock.advance(5_000_000 + i * 7_919));
    const slower = await tester().measure('pooled', () => clock.advance(9_000_000));
    expect(slower.status).toBe('regression');
    expect(slower.regressions[0]?.confidence).toBeGreaterThan(0.95);
  });
});
