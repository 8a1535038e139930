import {
  allFasterChance,
  asSlowChance,
  type ConditionedRun,
  DECISION_RULES,
  DEFAULT_THRESHOLDS,
  detectableFactor,
  findRunGroups,
  isProvenByRanks,
  type JudgeRunsInput,
  judgeRuns,
  rankProbability,
  type RunConditions,
  runsToProve,
  shouldConfirm,
  UNKNOWN_CONDITIONS,
} from '../../src/detector';
import { createSeededRandom } from '../../src/stats/random';

// Planted run centres: each value stands for one process's median per-call duration.
let clock = Date.parse('2026-11-01T00:00:00Z');
function at(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

function run(value: number, options: { isFounding?: boolean; conditions?: Partial<RunConditions> } = {}): ConditionedRun {
  return { value, at: at(), isFounding: options.isFounding ?? false, conditions: { ...UNKNOWN_CONDITIONS, ...options.conditions } };
}

/** `n` runs around `centre` with ±`spread` relative uniform wander between processes (seeded). */
function runs(centre: number, n: number, seed: number, spread = 0.1, isFounding = false): ConditionedRun[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => run(centre * (1 + spread * (random() - 0.5)), { isFounding }));
}

function judge(reference: ConditionedRun[], current: ConditionedRun[], extra: Partial<JudgeRunsInput> = {}) {
  return judgeRuns({ metricType: 'duration', reference, current, thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 3, ...extra });
}

describe('judgeRuns on planted run centres', () => {
  const history = (): ConditionedRun[] => [...runs(0.001, 3, 1, 0.1, true), ...runs(0.001, 20, 2)];

  it('passes unchanged code', () => {
    const { verdict } = judge(history(), runs(0.001, 1, 3));
    expect(verdict).toMatchObject({ status: 'pass', runs: { reference: 23, current: 1 } });
  });

  it('flags a 1.3x slowdown seen in four runs as a warning, with an interval around the factor', () => {
    const { verdict } = judge(history(), runs(0.0013, 4, 4));
    expect(verdict.status).toBe('warning');
    expect(verdict.regressionFactor).toBeCloseTo(1.3, 1);
    expect(verdict.factorInterval?.lower).toBeLessThan(verdict.regressionFactor ?? 0);
    expect(verdict.factorInterval?.upper).toBeGreaterThan(verdict.regressionFactor ?? 0);
    expect(verdict.confidence).toBeGreaterThan(0.99);
  });

  it('calls a 1.6x slowdown critical', () => {
    expect(judge(history(), runs(0.0016, 4, 5)).verdict.status).toBe('critical');
  });

  it('says a slowdown of one run against one founding run cannot be judged yet, and asks for rounds', () => {
    const reference = [run(0.001, { isFounding: true })];
    const input = { reference, current: [run(0.0016)] };
    const { verdict } = judge(input.reference, input.current);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'history', confidence: null });
    expect(shouldConfirm({ metricType: 'duration', ...input, thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 3 })).toBe(true);
  });

  it('judges one founding run against four consistent current runs by their own spread, but a baseline that young cannot prove it', () => {
    const { verdict } = judge([run(0.001, { isFounding: true })], runs(0.0016, 4, 6, 0.02));
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'history', regressionFactor: expect.closeTo(1.6, 1) as unknown });
    expect(verdict.confidence).toBeGreaterThan(0.99);
    // Side by side (perfguard compare), the t test decides.
    expect(judge([run(0.001, { isFounding: true })], runs(0.0016, 4, 6, 0.02), { measuredBeside: true }).verdict.status).toBe('critical');
  });

  it('holds a young baseline to ranks: runs slower than all of its few runs prove a slowdown only when that is unlikely by chance', () => {
    // The example suite's sort_10k_strings: six unchanged runs at 2.68 ms ± 0.9 %, then three
    // runs of a slower speed the code settles at in some processes, 1.43x, slower than all six:
    // 1 / C(9, 3) = 1.2 % by chance, which the t test on the tight spread called certain.
    const young = runs(0.00268, 6, 61, 0.03, true);
    const slowSpeed = [0.00384, 0.00381, 0.00388].map((value) => run(value));
    const held = judge(young, slowSpeed).verdict;
    expect(held).toMatchObject({ status: 'inconclusive', withheldBy: 'history' });
    expect(held.reason).toMatch(/slower than all 6 runs of unchanged code, but the baseline is young .* 1\.2 % of the time/);
    // Four runs slower than all six: 1 / C(10, 4) = 0.5 %.
    expect(judge(young, [...slowSpeed, run(0.00383)]).verdict.status).toBe('warning');
    // Seven runs of unchanged code are enough for three runs: 1 / C(10, 3) = 0.8 %.
    expect(judge([...young, run(0.00269)], slowSpeed).verdict.status).toBe('warning');
    // Instruction counts and memory are not timings of a sitting: their own rules decide.
    const memory = judge(young, slowSpeed, { metricType: 'memory', thresholds: { ...DEFAULT_THRESHOLDS.memory, minimumDelta: 0 } }).verdict;
    expect(memory.status).toMatch(/^(warning|critical)$/);
    const counts = judgeRuns({ metricType: 'instructions', reference: young, current: slowSpeed, thresholds: { ...DEFAULT_THRESHOLDS.duration, minimumDelta: 0 }, confidence: 0.95, rounds: 2 }).verdict;
    expect(counts.status).toMatch(/^(warning|critical)$/);
  });

  it('plans as many runs as ranks need against a young baseline: seven against three, five against four, four against five or six', () => {
    // Against one or two runs, no seven runs can prove it: no more than the rounds.
    expect([1, 2, 3, 4, 5, 6, 7, 30].map((referenceRuns) => runsToProve(referenceRuns, 3))).toEqual([3, 3, 7, 5, 4, 4, 3, 3]);
    expect(runsToProve(3, 9)).toBe(9);
    expect(runsToProve(30, 1)).toBe(1);
  });

  it('holds back a 1.3x run that is within the wander of unchanged runs (±30 %)', () => {
    const { verdict } = judge([...runs(0.001, 20, 7, 0.6)], [run(0.0013)]);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'evidence' });
  });

  it('reports a clear speed-up as improved only with evidence, over fresh-process runs', () => {
    expect(judge(history(), runs(0.0006, 3, 8)).verdict.status).toBe('improved');
    expect(judge([run(0.001, { isFounding: true })], runs(0.0006, 3, 8)).verdict.status).toBe('pass');
    // One run faster than all 23 reference runs: unchanged code does that one time in 24.
    expect(judge(history(), [run(0.0006)]).verdict).toMatchObject({ status: 'pass', reason: expect.stringMatching(/too few to call it improved \(runs of unchanged code would all be this fast 4\.2 % of the time\)/) as unknown });
  });

  it('puts the chance that unchanged runs all come out faster at 1 / C(n + k, k)', () => {
    expect(allFasterChance(23, 1)).toBeCloseTo(1 / 24, 10);
    expect(allFasterChance(6, 3)).toBeCloseTo(1 / 84, 10);
    expect(allFasterChance(7, 3)).toBeCloseTo(1 / 120, 10);
    expect(allFasterChance(0, 3)).toBe(1);
  });

  it('puts the chance that unchanged runs all come out as slow as k current runs, when m reference runs did, at C(m + k, k) / C(n + k, k)', () => {
    expect(asSlowChance(13, 3, 3)).toBeCloseTo(20 / 560, 10);
    expect(asSlowChance(23, 0, 3)).toBeCloseTo(allFasterChance(23, 3), 10);
    expect(asSlowChance(30, 30, 3)).toBe(1);
  });

  it('does not call runs of a slow speed that unchanged runs visit a slowdown, though a robust spread leaves those runs out', () => {
    // The example suite's order_totals_1k: 13 unchanged runs (µs), 6 of them at a slower speed, too unevenly spread to be separated.
    const values = [9.64, 9.5, 9.8, 13.62, 12.74, 9.82, 13.59, 11.98, 9.75, 11.62, 15.38, 9.77, 10.11];
    const reference = values.map((us, i) => run(us * 1e-6, { isFounding: i < 3 }));
    const { verdict, reference: used } = judge(reference, [run(13.89e-6), run(13.43e-6), run(15.23e-6)]);
    expect(used?.groups).toHaveLength(1);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'evidence' });
    expect(verdict.regressionFactor).toBeGreaterThan(1.3);
    expect(verdict.reason).toMatch(/3 of 13 runs of unchanged code were as slow as the fastest of these 3 .*3\.6 % of the time/);
    // Slower than every one of them, the runs are a slowdown.
    expect(judge(reference, [run(19.5e-6), run(18.2e-6), run(20.1e-6)]).verdict.status).toBe('critical');
  });

  it('still flags a slowdown when a couple of unchanged runs were as slow, among many', () => {
    const reference = [...history(), run(0.00136), run(0.00141)];
    expect(judge(reference, [run(0.0014), run(0.00138), run(0.00143)]).verdict.status).toBe('warning');
    // A first run as slow as one of them is still sent to fresh-process rounds: three such runs could prove it.
    expect(shouldConfirm({ metricType: 'duration', reference, current: [run(0.00139)], thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 2 })).toBe(true);
  });

  it('does not call a speed-up improved over too few reference runs, or when the machine ran as much faster', () => {
    const founding = runs(0.001, 3, 1, 0.02, true);
    expect(judge(founding, runs(0.0005, 3, 8)).verdict).toMatchObject({ status: 'pass', reason: expect.stringMatching(/too few to call it improved/) as unknown });
    const reference = history().map((r) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 1000, memoryProbeNs: 1000 } }));
    const onMachine = (probe: number) => [0.0006, 0.00061, 0.00059].map((value) => run(value, { conditions: { machineProbeNs: probe, memoryProbeNs: 990 } }));
    expect(judge(reference, onMachine(640)).verdict).toMatchObject({ status: 'pass', reason: expect.stringMatching(/so was the machine itself \(0\.64x/) as unknown });
    expect(judge(reference, onMachine(990)).verdict.status).toBe('improved');
  });

  it('does not call unchanged code improved against a reference that holds its fast runs too', () => {
    // Founded at a slow moment (8 ms), then runs at both speeds: 4.8 ms runs are what this code does.
    const reference = [...runs(0.008, 3, 14, 0.02, true), ...runs(0.008, 3, 15, 0.02), run(0.0047), ...runs(0.008, 3, 16, 0.02)];
    const judged = judge(reference, runs(0.0048, 3, 17, 0.02));
    expect(1 - (judged.comparison?.confidenceSlower ?? 1)).toBeGreaterThan(0.99);
    expect(judged.verdict).toMatchObject({ status: 'pass', reason: expect.stringMatching(/runs of unchanged code have been as fast \(the fastest of 10 reference runs: 4\.70 ms\)/) as unknown });
  });

  it('confirms a speed-up in fresh processes before calling it improved', () => {
    expect(shouldConfirm({ metricType: 'duration', reference: history(), current: [run(0.0006)], thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 3 })).toBe(true);
    expect(shouldConfirm({ metricType: 'duration', reference: history(), current: [run(0.00098)], thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 3 })).toBe(false);
    // Rounds could not make it improved: a reference run as fast, too few reference runs for three runs to reach 1 %, or not the time per call.
    const confirms = (input: Partial<JudgeRunsInput>) =>
      shouldConfirm({ metricType: 'duration', reference: history(), current: [run(0.0006)], thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 2, ...input });
    expect(confirms({})).toBe(true);
    expect(confirms({ reference: [...history(), run(0.00059)] })).toBe(false);
    expect(confirms({ reference: runs(0.001, 6, 25, 0.02) })).toBe(false);
    expect(confirms({ reference: runs(0.001, 7, 25, 0.02) })).toBe(true);
    expect(confirms({ metricType: 'cpu', thresholds: DEFAULT_THRESHOLDS.cpu })).toBe(false);
  });

  it('calls a speed-up improved only with the t test\'s evidence too: 99 %, or the verdict\'s confidence when higher', () => {
    // Runs that wander ±30 %: three runs at 0.66x, all faster than the 20 reference runs, are faster at about 99.8 %.
    const faster = [run(0.00066), run(0.00065), run(0.00067)];
    const judged = judge(runs(0.001, 20, 7, 0.6), faster);
    expect(1 - (judged.comparison?.confidenceSlower ?? 1)).toBeGreaterThan(0.99);
    expect(1 - (judged.comparison?.confidenceSlower ?? 1)).toBeLessThan(0.999);
    expect(judged.verdict.status).toBe('improved');
    expect(judge(runs(0.001, 20, 7, 0.6), faster, { confidence: 0.999 }).verdict.status).toBe('pass');
    // Seven runs wandering ±30 %: three runs at 0.71x, just below the fastest of them, beat every one (chance 1 / 120), yet the t test says 98.8 %.
    const seven = runs(0.001, 7, 32, 0.6);
    const belowAll = Math.min(...seven.map((r) => r.value)) * 0.99;
    const justFaster = judge(seven, [run(belowAll), run(belowAll * 0.995), run(belowAll * 0.99)]);
    expect(1 - (justFaster.comparison?.confidenceSlower ?? 1)).toBeGreaterThan(0.9);
    expect(1 - (justFaster.comparison?.confidenceSlower ?? 1)).toBeLessThan(0.99);
    expect(justFaster.verdict.status).toBe('pass');
  });

  it('honours a lowered warning threshold', () => {
    const lowered = { ...DEFAULT_THRESHOLDS.duration, warning: 1.1, critical: 1.3 };
    expect(judge(history(), runs(0.00115, 4, 9, 0.02), { thresholds: lowered }).verdict.status).toBe('warning');
    expect(judge(history(), runs(0.00115, 4, 9, 0.02)).verdict.status).toBe('pass');
  });

  it('excuses CPU time per call by a slower machine as it does wall time', () => {
    const onMachine = (value: number, probe: number) => run(value, { conditions: { machineProbeNs: probe, memoryProbeNs: probe } });
    const reference = [...runs(0.001, 3, 27, 0.04, true), ...runs(0.001, 20, 28, 0.04)].map((r) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 1000, memoryProbeNs: 1000 } }));
    const slowMachine = [onMachine(0.0015, 1450), onMachine(0.00151, 1460), onMachine(0.00149, 1440)];
    const cpu = { metricType: 'cpu' as const, thresholds: DEFAULT_THRESHOLDS.cpu };
    expect(judge(reference, slowMachine, cpu).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'machine', machineFactor: expect.closeTo(1.45, 2) as unknown });
    expect(judge(reference, slowMachine).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'machine' });
    const steadyMachine = [onMachine(0.0015, 1000), onMachine(0.00151, 1010), onMachine(0.00149, 990)];
    expect(judge(reference, steadyMachine, cpu).verdict.status).toBe('critical');
  });

  it('lets memory regress only past its absolute floor, on a linear scale', () => {
    const memory = { ...DEFAULT_THRESHOLDS.memory };
    const reference = [0.1, 0.12, 0.09, 0.11, 0.1].map((mb) => run(mb));
    const small = judgeRuns({ metricType: 'memory', reference, current: [run(0.3), run(0.31)], thresholds: memory, confidence: 0.95, rounds: 0 });
    expect(small.verdict).toMatchObject({ status: 'pass' });
    expect(small.verdict.reason).toContain('floor');
    const big = judgeRuns({ metricType: 'memory', reference, current: [run(2.1), run(2.2)], thresholds: memory, confidence: 0.95, rounds: 0 });
    expect(big.verdict.status).toBe('critical');
    expect(big.verdict.factorInterval).toBeNull();
  });

  it('withholds a slowdown the machine itself explains (integer reference loop)', () => {
    const slowMachine = { conditions: { machineProbeNs: 1300 } };
    const reference = history().map((r) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 1000 } }));
    const current = [run(0.00125, slowMachine), run(0.00126, slowMachine), run(0.00124, slowMachine), run(0.00125, slowMachine)];
    const { verdict } = judge(reference, current);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'machine' });
    expect(verdict.machineFactor).toBeCloseTo(1.3, 5);
  });

  it("withholds a slowdown that busy caches explain (the cache loop slower, the core loop not), but not one beyond them", () => {
    const reference = history().map((r) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 1000, memoryProbeNs: 1000 } }));
    const busyCaches = { conditions: { machineProbeNs: 1010, memoryProbeNs: 1250 } };
    const slower = (centre: number): ConditionedRun[] => [0, 1, 2].map((i) => run(centre * (1 + i / 100), busyCaches));
    const explained = judge(reference, slower(0.0014)).verdict;
    expect(explained).toMatchObject({ status: 'inconclusive', withheldBy: 'machine' });
    expect(explained.machineFactor).toBeCloseTo(1.25, 5);
    expect(explained.reason).toMatch(/the machine itself ran 1\.25x slower .*rerun when the machine is quieter/);
    expect(judge(reference, slower(0.0017)).verdict.status).toBe('critical');
  });

  it('does not take a cache loop reading within its own wander between processes for a slower machine', () => {
    // The cache loop wanders with each process's memory layout: 18 to 72 µs on a quiet machine.
    const wander = [18, 25, 19, 72, 26, 18, 28, 19, 22, 18, 25, 31, 18, 19, 24, 18, 27, 20, 18, 45, 19, 23, 18];
    const reference = history().map((r, i) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 42000, memoryProbeNs: (wander[i] ?? 20) * 1000 } }));
    const current = [0, 1, 2].map((i) => run(0.0014 * (1 + i / 100), { conditions: { machineProbeNs: 42100, memoryProbeNs: 26000 + i * 1000 } }));
    const { verdict } = judge(reference, current);
    expect(verdict.status).toBe('warning');
    expect(verdict.machineFactor).toBeCloseTo(42100 / 42000, 3);
  });

  // The cache loop's wander between processes, in µs, and runs of code that feels it: the
  // time per call grows with the square root of the loop's reading, plus ±4 % of its own.
  const cacheWander = [18, 25, 19, 72, 26, 18, 28, 19, 22, 18, 25, 31, 18, 19, 24, 18, 27, 20, 18, 45, 19, 23, 18];
  const withCacheWander = (feels: number, seed: number): ConditionedRun[] => {
    const random = createSeededRandom(seed);
    return cacheWander.map((reading, i) =>
      run(0.001 * (reading / 20) ** feels * (1 + 0.04 * (random() - 0.5)), { isFounding: i < 3, conditions: { machineProbeNs: 42000, memoryProbeNs: reading * 1000 } }),
    );
  };
  const atCacheReading = (centre: number, reading: number): ConditionedRun[] => [0, 1, 2].map((i) => run(centre * (1 + i / 100), { conditions: { machineProbeNs: 42100, memoryProbeNs: reading * 1000 } }));

  it('lets a cache loop far beyond its wander excuse code whose unchanged runs moved with it', () => {
    const reference = withCacheWander(0.5, 41);
    // At 90 µs the loop predicts (90 / 20) ^ 0.5 = 2.1x for this code: 1.45x is explained.
    const thrashed = judge(reference, atCacheReading(0.00145, 90)).verdict;
    expect(thrashed).toMatchObject({ status: 'inconclusive', withheldBy: 'machine' });
    expect(thrashed.machineFactor).toBeGreaterThan(4);
    expect(thrashed.reason).toMatch(/of which this benchmark's unchanged runs took on \d\.\d\dx/);
  });

  it("does not let a cache loop excuse code whose unchanged runs never moved with it, however far it strays", () => {
    // A steady arithmetic loop: ±0.2 % between processes while the cache loop wandered 18–72 µs.
    const reference = withCacheWander(0, 42).map((r, i) => ({ ...r, value: 0.001 * (1 + 0.002 * Math.sin(i)) }));
    const verdict = judge(reference, atCacheReading(0.0013, 98)).verdict;
    expect(verdict).toMatchObject({ status: 'warning' });
    expect(verdict.machineFactor).toBeGreaterThan(4);
    // A slower core loop still excuses it: that is the machine, and this code did move with it.
    const moved = reference.map((r, i) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 42000 * (1 + 0.1 * (i % 3)) } }));
    const withCore = moved.map((r, i) => ({ ...r, value: r.value * (1 + 0.1 * (i % 3)) }));
    const slowCore = atCacheReading(0.00165, 98).map((r) => ({ ...r, conditions: { ...r.conditions, machineProbeNs: 42000 * 1.6 } }));
    const excused = judge(withCore, slowCore).verdict;
    expect(excused).toMatchObject({ status: 'inconclusive', withheldBy: 'machine' });
    expect(excused.machineFactor).toBeCloseTo(1.6 / 1.1, 2);
  });

  it('learns how far code moves with the cache loop only once the loop has moved in two runs or more', () => {
    // The example suite's sort_10k_strings: five unchanged runs, the cache loop 1.4x above the
    // others in one of them; then a neighbour slowed the cache loop 1.48x and the sort 1.38x, three
    // processes in a row, and it warned: the slope through the one run said the sort never moves.
    const reading = [20440, 18908, 19398, 19099, 27311];
    const reference = [2.68, 2.68, 2.76, 2.7, 2.76].map((ms, i) => run(ms / 1000, { isFounding: i < 3, conditions: { machineProbeNs: 42_200, memoryProbeNs: reading[i] ?? null } }));
    const thrashed = [
      [3.32, 31687],
      [3.62, 25558],
      [4.02, 22092],
      [3.97, 50956],
    ].map(([ms, loop]) => run((ms ?? 0) / 1000, { conditions: { machineProbeNs: 43_200, memoryProbeNs: loop ?? null } }));
    const verdict = judge(reference, thrashed).verdict;
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'machine' });
    expect(verdict.machineFactor).toBeCloseTo(28622.5 / 19398, 2);
    // A second run with the loop moved and the sort unmoved: now the runs tell, and it is flagged.
    const taught = [...reference, run(0.00269, { conditions: { machineProbeNs: 42_200, memoryProbeNs: 26_500 } })];
    expect(judge(taught, thrashed).verdict.status).toBe('warning');
  });

  it('withholds a wall-time slowdown that preemption explains, but not code whose CPU time grew', () => {
    const calm = { preemptedShare: 0, cpuTimePerCall: 0.001 };
    const reference = history().map((r) => ({ ...r, conditions: { ...r.conditions, ...calm } }));
    const preempted = (cpu: number): ConditionedRun[] => [1, 2, 3, 4].map(() => run(0.0016, { conditions: { preemptedShare: 0.5, cpuTimePerCall: cpu } }));
    expect(judge(reference, preempted(0.00105)).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'contention' });
    expect(judge(reference, preempted(0.0016)).verdict.status).toBe('critical');
  });

  it('keeps its rules in the documented order', () => {
    expect(DECISION_RULES.map((rule) => rule.name)).toEqual(['bimodal', 'slower-speed', 'magnitude', 'history', 'evidence', 'machine', 'contention', 'regression']);
  });
});

describe('judgeRuns on bimodal code', () => {
  // Same code, two speeds per process: 2.4 µs in about a fifth of the processes, 9.8 µs in the rest, alternating.
  function bimodalHistory(): ConditionedRun[] {
    const random = createSeededRandom(11);
    return Array.from({ length: 25 }, (_, i) => run((i % 5 === 2 ? 2.4e-6 : 9.8e-6) * (1 + 0.04 * (random() - 0.5)), { isFounding: i < 3 }));
  }

  it('finds the two speeds and how often each appears', () => {
    const { reference } = judge(bimodalHistory(), [run(9.8e-6)]);
    expect(reference?.groups.map((group) => [Math.exp(group.x), group.runs])).toEqual([
      [expect.closeTo(2.4e-6, 7), 5],
      [expect.closeTo(9.8e-6, 7), 20],
    ]);
  });

  it('passes runs that reach the fastest speed, the others at the slower one among them', () => {
    expect(judge(bimodalHistory(), [run(2.45e-6)]).verdict.status).toBe('pass');
    expect(judge(bimodalHistory(), [run(9.7e-6), run(2.41e-6), run(9.9e-6)]).verdict.status).toBe('pass');
  });

  it('sends a first run at the slower speed to rounds: they give the fastest speed its chance to show up', () => {
    const input = { metricType: 'duration' as const, reference: bimodalHistory(), current: [run(9.7e-6)], thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 2 };
    expect(shouldConfirm(input)).toBe(true);
  });

  it('judges runs at the slower speed against it when missing a fastest speed this seldom is unremarkable', () => {
    // The fastest speed shows up in a fifth of the processes: three runs of unchanged code all
    // miss it about half of the time (0.8³ = 0.51), so their missing it says nothing.
    const { verdict } = judge(bimodalHistory(), [run(9.78e-6), run(9.85e-6), run(9.74e-6)]);
    expect(verdict).toMatchObject({ status: 'pass', regressionFactor: expect.closeTo(1, 1) as unknown });
    // One run alone (no rounds) cannot tell, nor can runs just past the slower speed's range.
    expect(judge(bimodalHistory(), [run(9.78e-6)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    expect(judge(bimodalHistory(), [run(10.2e-6), run(10.25e-6), run(10.15e-6)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
  });

  it('cannot tell runs that all miss a fastest speed this common from a slowdown of it, and says so', () => {
    // 2.16 ms in 9 of 12 runs, 3.28 ms in 3: three runs of unchanged code all miss the fastest
    // speed 1.6 % of the time (0.25³), and a slowdown of it by 1.5x would look like the slower one.
    const random = createSeededRandom(21);
    const history = Array.from({ length: 12 }, (_, i) => run((i % 4 === 1 ? 3.28e-3 : 2.16e-3) * (1 + 0.03 * (random() - 0.5)), { isFounding: i < 3 }));
    const slower = [run(3.28e-3), run(3.285e-3), run(3.275e-3)];
    const { verdict } = judge(history, slower);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    expect(verdict.reason).toMatch(/none of the 3 run\(s\) reached this code's fastest speed \(2\.1\d ms, 75 % of reference runs\)/);
    // At 99 % confidence, a 1.6 % chance is not enough to hold them back.
    expect(judge(history, slower, { confidence: 0.99 }).verdict.status).toBe('pass');
  });

  it('cannot tell runs between the speeds, none past the slowest, from a slowdown of the fastest', () => {
    // The example suite's sort_10k_numbers: 2.16 ms in 9 of 12 runs, 3.28 ms in 3; then three
    // unchanged runs at 2.70 ms, 1.25x the fastest speed, and it warned.
    const random = createSeededRandom(21);
    const history = Array.from({ length: 12 }, (_, i) => run((i % 4 === 1 ? 3.28e-3 : 2.16e-3) * (1 + 0.03 * (random() - 0.5)), { isFounding: i < 3 }));
    expect(judge(history, [run(2.16e-3)]).reference?.groups).toHaveLength(2);
    const between = judge(history, [run(2.7e-3), run(2.68e-3), run(2.72e-3)]).verdict;
    expect(between).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    expect(between.reason).toMatch(/none ran past its slowest \(3\.\d\d ms\): they sit among its speeds/);
    // Past the slowest speed's range, a slowdown is called: 4.2 ms is 1.28x the slower speed.
    expect(judge(history, [run(4.2e-3), run(4.25e-3), run(4.15e-3)]).verdict.status).toBe('warning');
    // 1.6x the fastest speed, some runs just past the slower one: held back, not passed against it.
    const edge = judge(history, [run(3.41e-3), run(3.46e-3), run(3.36e-3)]).verdict;
    expect(edge).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
  });

  it('flags a 1.6x slowdown seen from either speed, each run against the speed it matches', () => {
    const current = [run(2.4e-6 * 1.6), run(9.8e-6 * 1.6), run(9.8e-6 * 1.6), run(9.8e-6 * 1.61)];
    const { verdict } = judge(bimodalHistory(), current);
    expect(verdict.status).toBe('critical');
    expect(verdict.regressionFactor).toBeCloseTo(1.6, 1);
  });

  it('calls runs that disagree about the speed they slowed from inconclusive, naming the bimodality', () => {
    const current = [run(2.4e-6 * 1.6), run(9.8e-6), run(9.7e-6), run(9.9e-6)];
    expect(judge(bimodalHistory(), current).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
  });

  it('calls runs of one-speed code that disagree this much inconclusive too, but not the ordinary spread of a real slowdown', () => {
    const reference = [...runs(2.4e-6, 3, 18, 0.02, true), ...runs(2.4e-6, 4, 19, 0.02)];
    expect(judge(reference, [run(9.8e-6), run(2.41e-6), run(9.7e-6)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    const noisy = [...runs(0.001, 20, 20, 0.2)];
    expect(judge(noisy, [run(0.00135), run(0.00118), run(0.00129)]).verdict.status).toBe('warning');
  });

  describe('runs that mostly slowed', () => {
    // 30 runs of unchanged code spread evenly over ±10 %, none as slow as 1.2x.
    const reference = (): ConditionedRun[] => Array.from({ length: 30 }, (_, i) => run(0.001 * (0.9 + (((i * 7) % 30) / 29) * 0.2), { isFounding: i < 3 }));

    it('are judged on the slowed runs while one run keeps the known speed, the factor the median of all', () => {
      // Two of three runs past all 30: by chance C(3, 2) / C(32, 2) + 1 / C(33, 3) = 0.6 %. The
      // third sits at the usual speed, as a process that took a faster speed of the code (too
      // seldom seen to make a speed of its own) and slowed as much would.
      const { verdict } = judge(reference(), [run(0.00135), run(0.00136), run(0.001)]);
      expect(verdict).toMatchObject({ status: 'warning', regressionFactor: expect.closeTo(1.35, 2) as unknown, runs: { reference: 30, current: 3 } });
      expect(verdict.reason).toMatch(/^1\.35x \(the median of 3 runs\) ≥ warning threshold 1\.2x: 2 of the 3 runs slowed, .* unchanged code puts at least that many runs that slow at most 0\.6 % of the time; the run at 1\.00 ms sat at a speed of unchanged code/);
      expect(verdict.factorInterval).toBeNull();
      // Without the run that kept its speed, the bimodal rule holds nothing back: the same factor either way.
      expect(judge(reference(), [run(0.00135), run(0.00136)]).verdict.status).toBe('warning');
    });

    it('take their factor and severity from the median run: critical at 1.6x in two runs of three', () => {
      const { verdict } = judge(reference(), [run(0.0016), run(0.00161), run(0.001)]);
      expect(verdict).toMatchObject({ status: 'critical', regressionFactor: expect.closeTo(1.6, 1) as unknown });
      // 1.45x and 1.7x: the slowed runs' mean is past 1.5x, the median run is not.
      expect(judge(reference(), [run(0.00145), run(0.0017), run(0.001)]).verdict).toMatchObject({ status: 'warning', regressionFactor: expect.closeTo(1.45, 2) as unknown });
      // The metric's absolute floor holds for the median too: 1.35x and 2x over 1 ms, a floor of 0.5 ms.
      const floor = { thresholds: { ...DEFAULT_THRESHOLDS.duration, minimumDelta: 0.0005 } };
      expect(judge(reference(), [run(0.00135), run(0.002), run(0.001)], floor).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
      expect(judge(reference(), [run(0.0017), run(0.002), run(0.001)], floor).verdict.status).toBe('critical');
    });

    it('stay held back when unchanged runs were that slow often enough, or only half the runs slowed', () => {
      // One unchanged run that slow: C(3, 2) × 3 × 2 / (32 × 33) + 2 × 3 × 4 / (32 × 33 × 34) = 1.8 %.
      expect(judge([...reference(), run(0.00137)], [run(0.00135), run(0.00136), run(0.001)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
      // Fifteen reference runs: C(3, 2) / C(17, 2) + 1 / C(18, 3) = 2.3 %.
      expect(judge(reference().slice(0, 15), [run(0.00135), run(0.00136), run(0.001)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
      // Three of six slowed would be C(6, 3) / C(33, 3) + … = 0.4 % by chance, but half is not most.
      expect(judge(reference(), [run(0.00135), run(0.00136), run(0.00137), run(0.001), run(0.00101), run(0.00099)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    });

    it('stay held back when another run sits between the speeds rather than at one', () => {
      // 60 runs within ±2 %: a run at 1.1x is outside their range and short of 1.2x.
      const tight = Array.from({ length: 60 }, (_, i) => run(0.001 * (0.98 + (((i * 7) % 60) / 59) * 0.04), { isFounding: i < 3 }));
      expect(judge(tight, [run(0.00135), run(0.00136), run(0.00137), run(0.001), run(0.0011)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
      expect(judge(tight, [run(0.00135), run(0.00136), run(0.00137), run(0.001), run(0.00099)]).verdict.status).toBe('warning');
    });

    it('stay held back when a rule excuses the slowed runs: here a machine slower for those two', () => {
      const usual = { machineProbeNs: 40_000 };
      const history = reference().map((r) => ({ ...r, conditions: { ...r.conditions, ...usual } }));
      const slowMachine = { conditions: { machineProbeNs: 60_000 } };
      const { verdict } = judge(history, [run(0.00135, slowMachine), run(0.00136, slowMachine), run(0.001, { conditions: usual })]);
      expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    });

    it('are not looked for when every run slowed, though the slower-speed rule held them back', () => {
      // Two speeds, 1 ms and 2 ms; three runs at 1.3 ms, between them: every run slowed against the speed it matches.
      const random = createSeededRandom(31);
      const history = Array.from({ length: 20 }, (_, i) => run((i % 4 === 1 ? 0.002 : 0.001) * (1 + 0.02 * (random() - 0.5)), { isFounding: i < 3 }));
      expect(judge(history, [run(0.0013), run(0.00131), run(0.00129)]).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    });

    it('count the slowed runs of one sitting as the independent runs they are worth', () => {
      // Eight sittings of three runs: the sittings wander ±10 %, their runs agree within ±0.5 %.
      const centres = runs(0.001, 8, 27, 0.2);
      const sittings = centres.flatMap((centre, s) => [0, 1, 2].map((round) => ({ ...run(centre.value * (1 + 0.005 * (round - 1)), { isFounding: s === 0 }), sitting: `s${s}`, round })));
      const current = [run(0.00135), run(0.00136), run(0.001)].map((r, round) => ({ ...r, sitting: 'current', round }));
      // The two slowed runs of the current sitting, with the reference's sittings, share nearly all their variance.
      expect(judge(sittings, current.slice(0, 2)).comparison?.sittingShare).toBeGreaterThan(0.8);
      // Worth about one run each time: C(3, 2) / 25 + 1 / 25, about 16 % by chance.
      expect(judge(sittings, current).verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
      // The same values as 24 independent runs: C(3, 2) / C(26, 2) + 1 / C(27, 3) = 0.96 %.
      const independent = sittings.map(({ sitting: _sitting, round: _round, ...r }) => r);
      expect(judge(independent, [run(0.00135), run(0.00136), run(0.001)]).verdict.status).toBe('warning');
    });
  });

  it('flags a 1.3x slowdown of one-speed code that wanders between processes, though one of its runs reads below 1.2x', () => {
    // ±15 % between processes: a run of the slowed code at 1.15x is inside the range of unchanged runs.
    const reference = [...runs(0.001, 3, 25, 0.3, true), ...runs(0.001, 20, 26, 0.3)];
    const { verdict, reference: used } = judge(reference, [run(0.00115), run(0.00132), run(0.00138)]);
    expect(used?.groups).toHaveLength(1);
    expect(verdict.status).toBe('warning');
    expect(verdict.regressionFactor).toBeGreaterThan(1.2);
  });

  it('holds those runs back when unchanged runs have read that slow themselves, too seldom to make a speed of their own', () => {
    // Twenty runs spread evenly over ±10 %, interleaved, with three slow ones among them.
    const even = (): ConditionedRun[] => Array.from({ length: 20 }, (_, i) => run(0.001 * (0.9 + (((i * 7) % 20) / 19) * 0.2), { isFounding: i < 3 }));
    const reference = even();
    reference.splice(6, 0, run(0.00122));
    reference.splice(12, 0, run(0.0013));
    reference.splice(18, 0, run(0.00145));
    const { verdict, reference: used } = judge(reference, [run(0.00112), run(0.0013), run(0.00134)]);
    expect(used?.groups).toHaveLength(1);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    expect(verdict.reason).toMatch(/runs of unchanged code have read this slow too/);
    // Without those slow runs, the same current runs are a slowdown.
    const clean = even();
    expect(judge(clean, [run(0.00112), run(0.0013), run(0.00134)]).verdict.status).toBe('warning');
  });

  it('sees a shift that does not alternate as one speed, not two', () => {
    const shifted = [...runs(0.001, 6, 12, 0.02), ...runs(0.0016, 6, 13, 0.02)];
    expect(findRunGroups(shifted.map((r) => ({ x: Math.log(r.value), at: r.at })))).toHaveLength(1);
  });
});

describe('a baseline founded at a bad moment', () => {
  it('is set aside once five accepted runs since contradict it, and the runs since become the reference', () => {
    const reference = [...runs(0.008, 3, 14, 0.02, true), ...runs(0.0048, 5, 18, 0.02)];
    const { verdict, reference: used } = judge(reference, [run(0.0049)]);
    expect(used?.setAside).toEqual({ foundingValue: expect.closeTo(0.008, 4) as unknown, runsSince: 5, direction: 'faster' });
    expect(verdict.status).toBe('pass');
    expect(verdict.baselineValue).toBeCloseTo(0.0048, 4);
  });

  it('is kept while fewer runs since contradict it: they may be the other speed of bimodal code', () => {
    const reference = [...runs(0.008, 3, 14, 0.02, true), ...runs(0.0048, 4, 18, 0.02)];
    expect(judge(reference, [run(0.0049)]).reference?.setAside).toBeNull();
  });

  it('still catches a real slowdown measured from the runs since', () => {
    const reference = [...runs(0.008, 3, 15, 0.02, true), ...runs(0.0048, 5, 19, 0.02)];
    expect(judge(reference, runs(0.0115, 4, 16, 0.02)).verdict.status).toBe('critical');
  });

  it('holds back runs back at the set-aside founding speed: the code may settle there too', () => {
    // The example suite's regular expression: founded at 120 µs, then 67 µs, then 120 µs again.
    const reference = [...runs(0.008, 3, 15, 0.02, true), ...runs(0.0048, 5, 19, 0.02)];
    const { verdict } = judge(reference, runs(0.0079, 3, 16, 0.02));
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    expect(verdict.reason).toMatch(/match the speed of the founding runs that were set aside \([78]\.\d\d ms\)/);
  });

  it('is kept when one of its own runs ran at the speed of the runs since: the code has both speeds', () => {
    // The example suite's regex_replace_log: founded on 284, 592 and 585 µs, then 285, 279, 286, 281
    // and 327 µs; its next runs read 526, 581, 372 and 368 µs, unchanged.
    const founding = [0.000284, 0.000592, 0.000585].map((value) => run(value, { isFounding: true }));
    const since = [0.000285, 0.000279, 0.000286, 0.000281, 0.000327].map((value) => run(value));
    const { verdict, reference: used } = judge([...founding, ...since], [0.000526, 0.000581, 0.000372, 0.000368].map((value) => run(value)));
    expect(used?.setAside).toBeNull();
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    // Past the slower speed, a slowdown is still called: 2x the founding's 585 µs.
    expect(judge([...founding, ...since], [0.00117, 0.00118, 0.00116].map((value) => run(value))).verdict.status).toBe('critical');
  });

  it('is kept while the runs since agree with it', () => {
    const reference = [...runs(0.001, 3, 17, 0.02, true), run(0.00101), run(0.00065)];
    expect(judge(reference, [run(0.001)]).reference?.setAside).toBeNull();
  });
});

describe('detectableFactor', () => {
  it('grows with the spread between runs and shrinks with more runs', () => {
    const tight = detectableFactor({ spread: { standardDeviation: 0.02, degreesOfFreedom: 20 }, referenceRuns: 21, currentRuns: 4, level: 0.95 });
    const wide = detectableFactor({ spread: { standardDeviation: 0.15, degreesOfFreedom: 20 }, referenceRuns: 21, currentRuns: 4, level: 0.95 });
    const wideOneRun = detectableFactor({ spread: { standardDeviation: 0.15, degreesOfFreedom: 20 }, referenceRuns: 21, currentRuns: 1, level: 0.95 });
    expect(tight).toBeGreaterThan(1);
    expect(tight).toBeLessThan(1.1);
    expect(wide).toBeGreaterThan(1.2);
    expect(wideOneRun).toBeGreaterThan(wide ?? 0);
  });

  it('is unknown without a spread', () => {
    expect(detectableFactor({ spread: { standardDeviation: 0, degreesOfFreedom: 0 }, referenceRuns: 1, currentRuns: 4, level: 0.95 })).toBeNull();
  });

  it('integrates the chance that ranks prove a shift as a simulation finds it', () => {
    // Monte Carlo, 200 000 draws of normal runs (reference around 0, current around the shift, in
    // spreads), counting those where the evidence rule's ranks prove it: 0.8964, 0.9172 and 0.9074.
    expect(rankProbability(3.6, 10, 3, (asSlow) => isProvenByRanks(10, asSlow, 3, true))).toBeCloseTo(0.896, 2);
    expect(rankProbability(3.0, 30, 3, (asSlow) => isProvenByRanks(30, asSlow, 3, true))).toBeCloseTo(0.917, 2);
    expect(rankProbability(3.5, 4, 5, (asSlow) => isProvenByRanks(4, asSlow, 5, true))).toBeCloseTo(0.907, 2);
  });

  it('counts the ranks the evidence rule asks for, not the t test alone', () => {
    // Three runs against ten at ±5 %: the t test alone proves 1.14x, but the ranks need all three
    // above all ten (one as slow already comes 1.4 % of the time), which takes a 3.6-spread shift: 1.20x.
    const input = { spread: { standardDeviation: 0.05, degreesOfFreedom: 9 }, referenceRuns: 10, currentRuns: 3, level: 0.95 };
    expect(detectableFactor(input)).toBeCloseTo(1.136, 2);
    expect(detectableFactor({ ...input, isProvableAsSlow: (asSlow) => isProvenByRanks(10, asSlow, 3, true) })).toBeCloseTo(1.2, 2);
  });

  it('is unknown in a report against a baseline too young for ranks to prove anything, known against one run more', () => {
    const judged = (n: number) => judge(runs(0.001, n, 31, 0.03, true), [run(0.001)]).detectableFactor;
    // Two founding runs: even seven runs all slower come by chance 1 / C(9, 7) = 2.8 % of the time.
    expect(judged(2)).toBeNull();
    // Three: seven runs all slower than all three, 1 / C(10, 7) = 0.8 %.
    expect(judged(3)).toBeGreaterThan(1);
  });
});
