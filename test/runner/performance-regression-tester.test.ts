import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, DuplicateNameError, InstructionsModeError, MeasurementError } from '../../src/errors';
import { PerformanceRegressionTester, type TesterOptions } from '../../src/runner/performance-regression-tester';
import { ROUND_OUTPUT_ENV, ROUND_TARGET_ENV } from '../../src/runner/round-protocol';
import { SqliteStore } from '../../src/store/sqlite-store';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { plantedWork } from '../helpers/planted';
import { plantedRounds } from '../helpers/planted-rounds';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';

interface Setup {
  store: SqliteStore;
  clock: FakeClock;
  /** Fresh-process rounds measure the named benchmark at this many seconds per call. */
  roundCentre: Map<string, number>;
  rounds: ReturnType<typeof plantedRounds>;
  tester: (env?: NodeJS.ProcessEnv, extra?: Partial<TesterOptions>) => PerformanceRegressionTester;
}

function setup(): Setup {
  const store = new SqliteStore(new Database(':memory:'));
  const clock = createFakeClock();
  const roundCentre = new Map<string, number>();
  const rounds = plantedRounds((name) => roundCentre.get(name) ?? 0.002);
  let runs = 0;
  // Each tester stands for one run (one `jest` invocation), as in real use.
  return {
    store,
    clock,
    roundCentre,
    rounds,
    tester: (env = {}, extra = {}) =>
      new PerformanceRegressionTester({ store, env: { PERFGUARD_RUN_ID: `run-${++runs}`, ...env }, defaults: { clock, time: 200 }, roundRunner: rounds, ...extra }),
  };
}

describe('PerformanceRegressionTester.benchmark', () => {
  it('founds the first baseline on three runs (two fresh-process rounds) and reports no-baseline', async () => {
    const { store, clock, rounds, tester } = setup();
    const founder = tester();
    const report = await founder.benchmark(plantedWork(clock, 2_000_000), 'first', { metadata: { inputSize: 1000 } });
    expect(report.status).toBe('no-baseline');
    expect(report.regressions).toEqual([]);
    expect(report.notes.map((note) => note.code)).toEqual(expect.arrayContaining(['baseline-established', 'rounds']));
    expect(report.metadata).toEqual({ inputSize: 1000 });
    expect(report.duration.median).toBeCloseTo(0.002, 3);
    expect(report.processes).toHaveLength(3);
    expect(rounds.requests).toEqual([{ name: 'first', rounds: 2 }]);
    expect(founder.detector.getBaseline('first')?.runs).toBe(3);
    const stored = store.reads.currentBaseline('first');
    expect(stored?.epoch.reason).toBe('first measurement');
    expect(store.reads.referenceProcesses(stored?.epoch ?? ({} as never), 30)).toHaveLength(3);
  });

  it('passes unchanged code without measuring it again', async () => {
    const { clock, rounds, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'steady');
    const report = await tester().benchmark(plantedWork(clock, 2_000_000, 2), 'steady');
    expect(report.status).toBe('pass');
    expect(report.baseline).toMatchObject({ medianDuration: expect.closeTo(0.002, 3) as unknown, runs: 3 });
    expect(report.evidence).toMatchObject({ referenceRuns: 3, currentRuns: 1 });
    expect(rounds.requests).toHaveLength(1);
  });

  it('confirms a 1.6x slowdown in fresh processes and calls it critical: on seven runs against a young baseline of three, as ranks need', async () => {
    const { store, clock, roundCentre, rounds, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'slower');
    roundCentre.set('slower', 0.0032);
    const report = await tester().benchmark(plantedWork(clock, 3_200_000, 2), 'slower');
    expect(report.status).toBe('regression');
    expect(report.regressions).toEqual([
      expect.objectContaining({ metricType: 'duration', severity: 'critical', baselineValue: expect.closeTo(0.002, 3) as unknown }),
    ]);
    expect(report.regressions[0]?.regressionFactor).toBeCloseTo(1.6, 1);
    // Seven runs slower than all three founding runs: 1 / C(10, 7) = 0.8 %; three would be 5 %.
    expect(report.processes).toHaveLength(7);
    expect(report.notes.find((note) => note.code === 'rounds')?.message).toMatch(/because the first run read duration 1\.6\dx/);
    expect(rounds.requests.at(-1)).toEqual({ name: 'slower', rounds: 6 });
    expect(store.reads.resultsOfTestInRun('run-2', 'slower')).toHaveLength(1);
  });

  it('calls a speed-up improved only once fresh processes confirm it against enough reference runs', async () => {
    const { clock, roundCentre, rounds, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'early');
    roundCentre.set('early', 0.0012);
    // Three founding runs: three runs all faster than them happen by chance one time in 20, seven
    // one time in 120, so a young baseline plans seven.
    const early = await tester().benchmark(plantedWork(clock, 1_200_000, 2), 'early');
    expect(early.processes).toHaveLength(7);
    expect(early.status).toBe('improved');
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'faster');
    for (let seed = 3; seed < 7; seed++) await tester().benchmark(plantedWork(clock, 2_000_000, seed), 'faster');
    roundCentre.set('faster', 0.0012);
    const report = await tester().benchmark(plantedWork(clock, 1_200_000, 8), 'faster');
    expect(report.processes).toHaveLength(3);
    expect(report.status).toBe('improved');
    expect(report.notes.find((note) => note.code === 'rounds')?.message).toMatch(/because the first run read duration 0\.[56]\dx/);
    expect(rounds.requests.at(-1)).toEqual({ name: 'faster', rounds: 2 });
  });

  it('does not fail a slow first run that the fresh processes contradict', async () => {
    const { clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'hiccup');
    // The measuring process was slow (a busy neighbour); the fresh processes run at the usual speed.
    const report = await tester().benchmark(plantedWork(clock, 3_200_000, 3), 'hiccup');
    expect(report.processes).toHaveLength(7);
    expect(report.status).not.toBe('regression');
    expect(report.verdicts[0]).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
  });

  it('measures only once when retry is off, judging that run against the founding runs', async () => {
    const { clock, rounds, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'once');
    const report = await tester().benchmark(plantedWork(clock, 3_200_000, 2), 'once', { retry: false });
    expect(report.processes).toHaveLength(1);
    // One run against a young baseline of three proves nothing by ranks (a chance of 1 in 4).
    expect(report.status).toBe('inconclusive');
    expect(report.verdicts[0]).toMatchObject({ withheldBy: 'history', regressionFactor: expect.closeTo(1.6, 1) as unknown });
    expect(report.verdicts[0]?.reason).toMatch(/the baseline is young/);
    expect(rounds.requests).toHaveLength(1);
  });

  it('takes the rounds from the option, else from PERFGUARD_ROUNDS', async () => {
    const { clock, rounds, tester } = setup();
    await tester({ PERFGUARD_ROUNDS: '5' }).benchmark(plantedWork(clock, 2_000_000, 1), 'five');
    await tester({ PERFGUARD_ROUNDS: '5' }).benchmark(plantedWork(clock, 2_000_000, 1), 'two', { rounds: 2 });
    expect(rounds.requests).toEqual([
      { name: 'five', rounds: 4 },
      { name: 'two', rounds: 1 },
    ]);
    expect(() => tester({ PERFGUARD_ROUNDS: 'abc' })).toThrow(/`PERFGUARD_ROUNDS` must be a positive integer, received NaN/);
  });

  it('founds a new baseline epoch on fresh-process runs under UPDATE_PERFORMANCE_BASELINE=true', async () => {
    const { store, clock, roundCentre, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'updated');
    roundCentre.set('updated', 0.0032);
    const report = await tester({ UPDATE_PERFORMANCE_BASELINE: 'yes', PERFGUARD_BASELINE_REASON: 'new algorithm' }).benchmark(plantedWork(clock, 3_200_000, 2), 'updated');
    expect(report.status).toBe('baseline-updated');
    expect(report.processes).toHaveLength(3);
    expect(store.reads.baselineEpochs('updated').map((epoch) => epoch.reason)).toEqual(['first measurement', 'new algorithm']);
    const next = await tester().benchmark(plantedWork(clock, 3_200_000, 3), 'updated');
    expect(next.status).toBe('pass');
    expect(next.baseline?.runs).toBe(3);
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
    expect(store.reads.resultsOfTestInRun('run-1', 'throws')).toEqual([]);
    expect(store.reads.currentBaseline('throws')).toBeUndefined();
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
    const { clock, roundCentre, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1, 0.01), 'strict');
    roundCentre.set('strict', 0.0023);
    const report = await tester().benchmark(plantedWork(clock, 2_300_000, 2, 0.01), 'strict', { thresholds: { duration: { warning: 1.1, critical: 1.3 } } });
    expect(report.regressions[0]?.severity).toBe('warning');
  });

  it('says the caches were busy when the memory loop ran slower than for the reference runs', async () => {
    const database = new Database(':memory:');
    const store = new SqliteStore(database);
    const busyLoop = () => {
      let x = 0;
      for (let i = 0; i < 20_000; i++) x = (x * 31 + i) | 0;
      return x;
    };
    // The real clock: perfguard's reference loops are timed only on it.
    const tester = (run: string) => new PerformanceRegressionTester({ store, env: { PERFGUARD_RUN_ID: run }, defaults: { time: 150, rounds: 1 } });
    await tester('before').benchmark(busyLoop, 'shared-cache');
    // As if the reference run's memory loop had run a thousand times faster than it can now.
    database.prepare('UPDATE result_processes SET memory_probe_ns = memory_probe_ns / 1000').run();
    const busy = await tester('after').benchmark(busyLoop, 'shared-cache');
    expect(busy.notes.find((n) => n.code === 'memory-busy')?.message).toMatch(/memory reference loop ran \d+\.\d\dx slower than for the reference runs/);
  });

  it('says plainly when the baseline comes from another environment, or skips it', async () => {
    const { store, clock, tester } = setup();
    await tester().benchmark(plantedWork(clock, 2_000_000, 1), 'moved');
    const stored = store.reads.currentBaseline('moved');
    store.writes.addBaselineEpoch({ ...(stored?.epoch ?? ({} as never)), id: 'other-env', environmentKey: 'linux-arm64 node22 64x Graviton', createdAt: '2999-01-01T00:00:00.000Z' });
    store.writes.addBaselineEpoch({ ...(stored?.epoch ?? ({} as never)), id: 'ended-here', resultId: null, isDeleted: true, createdAt: '2999-01-02T00:00:00.000Z' });
    const compared = await tester().benchmark(plantedWork(clock, 2_000_000, 2), 'moved');
    expect(compared.notes.map((note) => note.code)).toContain('environment-mismatch');
    expect(compared.baseline?.isSameEnvironment).toBe(false);
    const skipped = await tester().benchmark(plantedWork(clock, 2_000_000, 3), 'moved', { environmentMismatch: 'skip' });
    expect(skipped.status).toBe('no-baseline');
  });

  it('gives no CPU figure a span too short for the CPU clock can support', async () => {
    const { tester } = setup();
    const report = await tester(undefined, { defaults: {} }).benchmark(() => JSON.stringify({ a: 1 }), 'tiny', { iterations: 5, warmup: 1, rounds: 1 });
    expect(report.cpu).toEqual({ mean: null, median: null, phase: null });
    expect(report.verdicts.map((verdict) => verdict.metricType)).not.toContain('cpu');
  });

  it("judges against another environment's baseline, founds this environment's own, and uses it from then on", async () => {
    const { store, clock, tester } = setup();
    const elsewhere = 'linux-x64 node20 64x Some Other CPU';
    const foreignRun = makeRun({ id: 'foreign-run' });
    await store.ensureRun(foreignRun);
    const foreign = { ...makeResult(foreignRun.id, 'moved', { centreNs: 2_000_000 }), environmentKey: elsewhere };
    await store.insertResult(foreign, makeEpoch(foreign, { environmentKey: elsewhere, createdAt: '2026-11-01T00:00:00.000Z' }));

    const first = await tester().benchmark(plantedWork(clock, 2_000_000), 'moved');
    expect(first.baseline?.environmentKey).toBe(elsewhere);
    expect(first.notes.map((note) => note.code)).toEqual(expect.arrayContaining(['environment-mismatch', 'baseline-established', 'rounds']));
    expect(first.processes).toHaveLength(3);
    const own = store.reads.currentBaseline('moved', first.environment.key);
    expect(own?.epoch).toMatchObject({ environmentKey: first.environment.key, reason: `first measurement on this environment (judged against ${elsewhere})` });

    const second = await tester().benchmark(plantedWork(clock, 2_000_000), 'moved');
    expect(second.baseline?.environmentKey).toBe(first.environment.key);
    expect(second.notes.map((note) => note.code)).not.toContain('environment-mismatch');
  });

  it("founds nothing on a run that reads as a regression against another environment's baseline", async () => {
    const { store, clock, tester, roundCentre } = setup();
    const elsewhere = 'linux-x64 node20 64x Some Other CPU';
    const foreignRun = makeRun({ id: 'foreign-run' });
    await store.ensureRun(foreignRun);
    for (const [index, centreNs] of [2_000_000, 2_010_000, 1_990_000].entries()) {
      const foreign = { ...makeResult(foreignRun.id, 'moved', { centreNs, seed: index + 1 }), environmentKey: elsewhere };
      await store.insertResult(foreign, index === 0 ? makeEpoch(foreign, { environmentKey: elsewhere, createdAt: '2026-11-01T00:00:00.000Z' }) : undefined);
    }
    roundCentre.set('moved', 0.004);
    const slower = await tester().benchmark(plantedWork(clock, 4_000_000), 'moved');
    expect(slower.status).toBe('regression');
    expect(store.reads.currentBaseline('moved', slower.environment.key)?.epoch.environmentKey).toBe(elsewhere);
  });

  it('says so when no fresh process can be started for the rounds', async () => {
    const { clock, tester } = setup();
    const report = await tester(undefined, { roundRunner: null }).benchmark(plantedWork(clock, 2_000_000), 'alone');
    expect(report.processes).toHaveLength(1);
    expect(report.notes.find((note) => note.code === 'rounds-unavailable')?.message).toMatch(/the baseline rests on one process/);
  });

  it.each([
    [{ iteratons: 5 }, /unknown option `iteratons`\. Did you mean `iterations`\?/],
    [{ confidence: 95 }, /`confidence` must be a probability/],
    [{ retry: 'yes' }, /`retry` must be one of true, false, received 'yes'/],
    [{ rounds: 0 }, /`rounds` must be a positive integer, received 0/],
    [{ rounds: 'abc' }, /`rounds` must be a positive integer, received 'abc'/],
    [{ metadata: 'big' }, /`metadata` must be a plain object/],
    [{ profile: 'always' }, /`profile` must be one of true, false, 'on-regression'/],
    [{ mode: 'cycles' }, /`mode` must be one of 'time', 'instructions', received 'cycles'/],
  ])('refuses the option %p where it enters', async (options, message) => {
    const { clock, tester } = setup();
    await expect(tester().benchmark(() => clock.advance(10), 'bad', options as never)).rejects.toThrow(ConfigError);
    await expect(tester().benchmark(() => clock.advance(10), 'bad', options as never)).rejects.toThrow(message);
  });

  it.each([
    ['the mode option', {}, { mode: 'instructions' }],
    ['PERFGUARD_MODE', { PERFGUARD_MODE: 'instructions' }, {}],
  ])('refuses to count instructions outside Valgrind (%s), naming the launcher, and records nothing', async (_how, env, options) => {
    const { store, clock, tester } = setup();
    const counted = tester(env).benchmark(() => clock.advance(10), 'counted', options as never);
    await expect(counted).rejects.toThrow(InstructionsModeError);
    await expect(tester(env).benchmark(() => clock.advance(10), 'counted', options as never)).rejects.toThrow(/perfguard test --instructions/);
    expect((await store.counts()).results).toBe(0);
  }, 120_000);

  it('refuses an unknown PERFGUARD_MODE before measuring', async () => {
    const { store, clock, tester } = setup();
    await expect(tester({ PERFGUARD_MODE: 'cycles' }).benchmark(() => clock.advance(10), 'moded')).rejects.toThrow(/PERFGUARD_MODE` must be one of 'time', 'instructions', received 'cycles'/);
    expect((await store.counts()).results).toBe(0);
  });

  it('refuses unknown tester options', () => {
    expect(() => new PerformanceRegressionTester({ stores: 'x.db' } as never)).toThrow(/unknown option `stores`\. Did you mean `store`\?/);
  });

  it('refuses a store that is neither a location nor an opened store, naming what it takes', () => {
    expect(() => new PerformanceRegressionTester({ store: { path: 'x.db' } } as never)).toThrow(/`store` must be a store path, a postgres:\/\/ URL, or an opened SqliteStore or PostgresStore, received/);
  });
});

describe('PerformanceRegressionTester inside a fresh-process round', () => {
  it('measures only its benchmark, hands it back through the output file, and stores nothing', async () => {
    const { store, clock } = setup();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-round-test-'));
    try {
      const output = path.join(dir, 'round.json');
      const env = { PERFGUARD_RUN_ID: 'child', [ROUND_TARGET_ENV]: 'target', [ROUND_OUTPUT_ENV]: output };
      const tester = new PerformanceRegressionTester({ store, env, defaults: { clock, time: 200 } });
      let otherCalls = 0;
      await tester.benchmark(() => {
        otherCalls++;
        clock.advance(1_000);
      }, 'other');
      const report = await tester.benchmark(plantedWork(clock, 2_000_000), 'target');
      expect(otherCalls).toBe(1);
      expect(report.notes.map((note) => note.code)).toContain('rounds');
      const handed = JSON.parse(fs.readFileSync(output, 'utf8')) as { name: string; process: { duration: number } };
      expect(handed.name).toBe('target');
      expect(handed.process.duration).toBeCloseTo(0.002, 3);
      expect(store.reads.counts()).toEqual({ runs: 0, results: 0, epochs: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PerformanceRegressionTester profiling and single runs', () => {
  it('profiles with fresh input from setup, after the rounds, and names the profile in the report', async () => {
    const store = new SqliteStore(new Database(':memory:'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-profile-'));
    try {
      const order: string[] = [];
      const rounds = plantedRounds(() => 1e-6);
      const roundRunner = { description: 'planted', run: (request: Parameters<typeof rounds.run>[0]) => (order.push('rounds'), rounds.run(request)) };
      const inputs: unknown[] = [];
      const tester = new PerformanceRegressionTester({ store, profileDir, env: { PERFGUARD_RUN_ID: 'profiled' }, defaults: { time: 50 }, roundRunner });
      const report = await tester.benchmark(
        (input: { a: number[] }) => {
          inputs.push(input);
          if (order.at(-1) === 'rounds') order.push('profile');
          return JSON.stringify(input);
        },
        'profiled json',
        { profile: true, setup: () => ({ a: [1, 2, 3] }) },
      );
      expect(report.profilePath).toMatch(/profiled_json-\d+\.cpuprofile$/);
      const profile = JSON.parse(fs.readFileSync(report.profilePath ?? '', 'utf8')) as { nodes: unknown[]; samples: unknown[] };
      expect(profile.nodes.length).toBeGreaterThan(0);
      expect(profile.samples.length).toBeGreaterThan(0);
      expect(report.notes.map((note) => note.code)).toContain('profile-written');
      expect(inputs.every((input) => input !== undefined)).toBe(true);
      expect(order.slice(0, 2)).toEqual(['rounds', 'profile']);
      expect(store.reads.getResult(store.reads.resultsOfRun('profiled')[0]?.id ?? '')?.report.profilePath).toBe(report.profilePath);
    } finally {
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  });

  it("writes no profile with 'on-regression' when nothing regressed", async () => {
    const { clock, tester } = setup();
    const report = await tester().benchmark(plantedWork(clock, 2_000_000), 'quiet', { profile: 'on-regression' });
    expect(report.profilePath).toBeNull();
  });

  it('records one run of a block with await using, and of a function with measure(name, fn)', async () => {
    const { store, clock, tester } = setup();
    const instance = tester();
    let ended: Promise<unknown> | undefined;
    {
      await using block = instance.measure('block');
      clock.advance(5_000_000);
      expect(block.report).toBeUndefined();
      ended = block.end();
    }
    await ended;
    const report = await instance.measure('function', () => clock.advance(7_000_000));
    expect(report.iterations).toBe(1);
    expect(report.duration.median).toBeCloseTo(0.007, 6);
    expect(store.reads.resultsOfTestInRun('run-1', 'block')[0]?.report.duration.median).toBeCloseTo(0.005, 6);
  });

  it("applies the tester's defaults to measure", async () => {
    const { clock, tester } = setup();
    const report = await tester(undefined, { defaults: { clock, metadata: { team: 'search' }, rounds: 1 } }).measure('defaults', () => clock.advance(1_000_000));
    expect(report.metadata).toEqual({ team: 'search' });
    expect(report.processes).toHaveLength(1);
    expect(() => tester().measure('bad', () => 1, { iterations: 3 } as never)).toThrow(/unknown option `iterations`/);
  });

  it('records nothing when the measured function throws', async () => {
    const { store, tester } = setup();
    await expect(tester().measure('broken', () => Promise.reject(new Error('nope')))).rejects.toThrow(/measure 'broken': the measured code threw, so nothing was recorded: Error: nope/);
    expect(store.reads.resultsOfTestInRun('run-1', 'broken')).toEqual([]);
  });

  it('judges a single run as a run: against the single runs since its baseline, confirmed in fresh processes', async () => {
    const { clock, roundCentre, tester } = setup();
    roundCentre.set('pooled', 0.005);
    for (let i = 0; i < 12; i++) await tester().measure('pooled', () => clock.advance(5_000_000 + (i % 4) * 37_919));
    roundCentre.set('pooled', 0.009);
    const slower = await tester().measure('pooled', () => clock.advance(9_000_000));
    expect(slower.status).toBe('regression');
    expect(slower.processes).toHaveLength(3);
    expect(slower.regressions[0]?.confidence).toBeGreaterThan(0.95);
  });
});
