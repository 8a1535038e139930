import { asSlowChance, type ConditionedRun, DEFAULT_THRESHOLDS, detectableFactor, judgeProcesses, judgeRuns, UNKNOWN_CONDITIONS } from '../../src/detector';
import { effectiveRuns, sittingShare, sittingSpreadOf } from '../../src/detector/sittings';
import { probit } from 'simple-statistics';
import { createSeededRandom } from '../../src/stats/random';
import type { ProcessFigures, StoredProcess } from '../../src/types';

// Planted runs: each value stands for one process's median per-call duration, each run named
// by the sitting (a measuring process and its back-to-back rounds) it belongs to.
let clock = Date.parse('2026-11-01T00:00:00Z');
function at(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

function run(value: number, sitting: string | undefined, round: number, isFounding = false): ConditionedRun {
  return { value, at: at(), isFounding, sitting, round, conditions: UNKNOWN_CONDITIONS };
}

/** One sitting: a measuring process and its rounds, at `values`. */
function sitting(id: string, values: readonly number[], isFounding = false): ConditionedRun[] {
  return values.map((value, round) => run(value, id, round, isFounding));
}

/** A normal draw around 0 with standard deviation `sd` (Box–Muller). */
function normal(random: () => number, sd: number): number {
  return sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A founding sitting and 24 sittings since, where the machine's moments make the spread: the
 * sittings' moments sit at the normal quantiles of a 12 % log standard deviation, and each
 * sitting's runs within ±1 % of its moment. Most sittings are one run; every fourth had two
 * rounds.
 */
function momentHistory(): ConditionedRun[] {
  const runs = sitting('founding', [0.001, 0.00101, 0.00099], true);
  for (let i = 0; i < 24; i++) {
    const moment = 0.001 * Math.exp(0.12 * probit((i + 0.5) / 24));
    runs.push(...sitting(`s${i}`, (i % 4 === 0 ? [1, 1.01, 0.99] : [1]).map((share) => moment * share)));
  }
  return runs;
}

/** A founding sitting and 24 sittings since, every run wandering 10 % (log standard deviation) on its own, the sittings not at all. */
function independentHistory(seed: number): ConditionedRun[] {
  const random = createSeededRandom(seed);
  const runsAt = (id: string, size: number, isFounding = false) => sitting(id, Array.from({ length: size }, () => 0.001 * Math.exp(normal(random, 0.1))), isFounding);
  const runs = runsAt('founding', 3, true);
  for (let i = 0; i < 24; i++) runs.push(...runsAt(`s${i}`, i % 4 === 0 ? 3 : 1));
  return runs;
}

function judge(reference: ConditionedRun[], current: ConditionedRun[]) {
  return judgeRuns({ metricType: 'duration', reference, current, thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 2 });
}

/** The same runs with their sittings forgotten: every run a sitting of its own. */
function unnamed(runs: readonly ConditionedRun[]): ConditionedRun[] {
  return runs.map(({ sitting: _sitting, round: _round, ...rest }) => rest);
}

describe('sittingShare', () => {
  const across = { standardDeviation: 0.1, degreesOfFreedom: 9 };

  it('is the share of the spread across sittings that a sitting shares, at the least the spread inside sittings allows', () => {
    // Six degrees of freedom: the upper 90 % bound of the variance is 6 / χ²(0.1; 6) times the
    // estimate, 6 / 2.204 by the tables (2.206 by Wilson–Hilferty with this probit): 1 − 0.05² × 2.720 / 0.1² = 0.320.
    expect(sittingShare({ within: { standardDeviation: 0.05, degreesOfFreedom: 6 }, across, referenceSittings: 10 })).toBeCloseTo(0.32, 3);
    // Spread inside sittings of 0.01 against 0.1: nearly all of it is the sitting's.
    expect(sittingShare({ within: { standardDeviation: 0.01, degreesOfFreedom: 6 }, across, referenceSittings: 10 })).toBeCloseTo(0.973, 2);
  });

  it('is 0 when either spread is unknown, or inside sittings as wide as across them', () => {
    expect(sittingShare(undefined)).toBe(0);
    expect(sittingShare({ within: { standardDeviation: 0, degreesOfFreedom: 0 }, across, referenceSittings: 10 })).toBe(0);
    expect(sittingShare({ within: { standardDeviation: 0.12, degreesOfFreedom: 6 }, across, referenceSittings: 10 })).toBe(0);
    // Spreads below 1 % (SITTING_SHARE_FLOOR) have no moments to share.
    expect(sittingShare({ within: { standardDeviation: 0.0002, degreesOfFreedom: 6 }, across: { standardDeviation: 0.001, degreesOfFreedom: 9 }, referenceSittings: 10 }, 0.005)).toBe(0);
    // Two sittings cannot show how far sittings wander: a founding sitting's spread is the spread inside it.
    expect(sittingShare({ within: { standardDeviation: 0.01, degreesOfFreedom: 6 }, across: { standardDeviation: 0.1, degreesOfFreedom: 1 }, referenceSittings: 2 })).toBe(0);
  });
});

describe('effectiveRuns', () => {
  it("counts one sitting's runs as fewer independent ones (Kish's design effect)", () => {
    expect(effectiveRuns(3, 0)).toBe(3);
    expect(effectiveRuns(3, 0.5)).toBeCloseTo(1.5, 10);
    expect(effectiveRuns(3, 1)).toBe(1);
  });
});

describe('sittingSpreadOf', () => {
  const distance = (value: number) => Math.log(value / 0.001);

  it("reads a sitting's spread from its rounds and every founding run, not from a first run the screen picked", () => {
    const reference = [...sitting('founding', [0.001, 0.0011], true), ...sitting('a', [0.002, 0.001, 0.001]), ...sitting('b', [0.0012])];
    const spread = sittingSpreadOf(reference, [], (run) => distance(run.value));
    // The founding pair alone spreads (log 1.1 / √2 ≈ 0.0674); sitting a's rounds agree; b has one run.
    expect(spread?.within.degreesOfFreedom).toBe(2);
    expect(spread?.within.standardDeviation).toBeCloseTo(Math.log(1.1) / Math.sqrt(2) / Math.sqrt(2), 4);
    expect(spread?.referenceSittings).toBe(3);
    // Across sittings: one run of each, the founding's first, a's first round, b's only run (log 1.2).
    expect(spread?.across.degreesOfFreedom).toBe(2);
    expect(spread?.across.standardDeviation).toBeCloseTo(Math.log(1.2) / Math.sqrt(3), 4);
  });

  it('is undefined when no run names its sitting', () => {
    expect(sittingSpreadOf(unnamed(sitting('a', [0.001, 0.0011])), [], (run) => distance(run.value))).toBeUndefined();
  });
});

describe('asSlowChance over runs worth a fraction', () => {
  it('agrees with 1 / C(n + k, k) at whole runs and falls between them', () => {
    // The Γ form just off a whole count against the product form's C(1 + 3, 3) / C(10 + 3, 3) = 4 / 286.
    expect(asSlowChance(10, 1, 3 + 1e-9)).toBeCloseTo(4 / 286, 8);
    expect(asSlowChance(10, 1, 3)).toBeCloseTo(4 / 286, 12);
    const between = asSlowChance(10, 1, 1.5);
    expect(between).toBeLessThan(asSlowChance(10, 1, 1));
    expect(between).toBeGreaterThan(asSlowChance(10, 1, 2));
  });
});

describe('judging the runs of one sitting', () => {
  it("does not count three runs of one sitting as three independent runs when the history's spread comes from moments", () => {
    // Three runs of one sitting, 1.27x slower and within 1 % of each other: a moment of the
    // machine the rounds did not escape, or a slowdown. One run of the 30 unchanged ones moved as
    // far (1.34x); ranked as the one independent run they are worth, that comes about 6 % of the time.
    const moments = momentHistory();
    const current = sitting('current', [0.00127, 0.001265, 0.001275]);
    const { verdict, comparison } = judge(moments, current);
    expect(comparison?.sittingShare).toBeGreaterThan(0.9);
    expect(comparison?.effectiveRuns).toBeLessThan(1.1);
    expect(verdict).toMatchObject({ status: 'inconclusive', withheldBy: 'evidence' });
    expect(verdict.reason).toMatch(/1 of 30 runs of unchanged code were as slow .* 3 runs of one sitting \(worth 1\.0/);
    // Counted as three independent runs, the same figures prove it.
    expect(judge(unnamed(moments), unnamed(current)).verdict.status).toBe('warning');
  });

  it('does not take a share from the floor: steady code against a young baseline is judged as before', () => {
    // A founding sitting and two single runs since, all within ±0.1 %; four runs at 1.6x.
    const steady = [...sitting('founding', [0.001, 0.0010008, 0.0009994], true), ...sitting('a', [0.0010004]), ...sitting('b', [0.0009998])];
    const current = sitting('current', [0.0016, 0.0016012, 0.0015995, 0.0016006]);
    const judged = judgeRuns({ metricType: 'duration', reference: steady, current, thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 3 });
    expect(judged.comparison?.sittingShare).toBe(0);
    expect(judged.verdict.status).toBe('critical');
  });

  it('takes no share from spreads below 1 %: a steady loop slowed 3x against a young baseline is flagged', () => {
    // The end-to-end suite's spin loop: a founding sitting and two runs since, ±0.7 % across
    // them, then four runs of one sitting at 3x within ±0.3 %. Read from those spreads the share
    // would be about 0.75, the four runs worth 1.2, and the slowdown held back as young history.
    const young = [...sitting('founding', [0.0212, 0.02125, 0.02118], true), ...sitting('a', [0.02138]), ...sitting('b', [0.02102])];
    const current = sitting('current', [0.06428, 0.0646, 0.06458, 0.06453]);
    const judged = judgeRuns({ metricType: 'duration', reference: young, current, thresholds: DEFAULT_THRESHOLDS.duration, confidence: 0.95, rounds: 3 });
    expect(judged.comparison?.sittingShare).toBe(0);
    expect(judged.verdict.status).toBe('critical');
    // Unfloored, the same spreads read a share that takes the rounds' worth away.
    const spreads = sittingSpreadOf(young, current, (run) => Math.log(run.value / 0.0212));
    const unfloored = 1 - ((spreads?.within.standardDeviation ?? 0) / (spreads?.across.standardDeviation ?? 1)) ** 2;
    expect(unfloored).toBeGreaterThan(0.5);
  });

  it('still flags a slowdown past what moments do', () => {
    expect(judge(momentHistory(), sitting('current', [0.0019, 0.00191, 0.00189])).verdict.status).toBe('critical');
  });

  it("counts the rounds as independent where a sitting's runs spread as much as runs of different sittings", () => {
    const independent = independentHistory(7);
    const current = sitting('current', [0.0014, 0.00128, 0.00134]);
    const named = judge(independent, current);
    // The share is read at the least the runs allow; by chance these read a little above 0.
    expect(named.comparison?.sittingShare).toBeLessThan(0.2);
    expect(named.verdict.status).toBe('warning');
    expect(named.comparison?.effectiveRuns).toBeGreaterThan(2);
  });

  it('raises the detectable factor by what the sitting shares', () => {
    const input = { spread: { standardDeviation: 0.1, degreesOfFreedom: 26 }, referenceRuns: 27, currentRuns: 3, level: 0.95 };
    const independent = detectableFactor(input) ?? 0;
    const shared = detectableFactor({ ...input, sittingShare: 0.5, referenceSittings: 20 }) ?? 0;
    expect(Math.log(shared)).toBeGreaterThan(Math.log(independent) * 1.1);
  });
});

describe('judgeProcesses and sittings', () => {
  /** A process of `run`'s figures: wall time and CPU time per call alike. */
  function figures(point: ConditionedRun): ProcessFigures {
    return { measuredAt: point.at, duration: point.value, memory: 0.001, cpu: 100, machineProbeNs: null, memoryProbeNs: null, preemptedShare: 0, cpuTimePerCall: point.value };
  }

  it("reads each stored result as a sitting and the current processes as one, and says when rounds add little", () => {
    const processes: StoredProcess[] = momentHistory().map((point) => ({ ...figures(point), resultId: point.sitting ?? '', index: point.round ?? 0, isFounding: point.isFounding }));
    const baseline = { epoch: { createdAt: '2026-11-01T00:00:00Z', commit: null, reason: 'first measurement', environmentKey: 'k' }, processes };
    const current = [0.00127, 0.001265, 0.001275].map((value, round) => figures(run(value, 'current', round)));
    const judged = judgeProcesses(current, baseline, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 });
    expect(judged.evidence?.sittingShare).toBeGreaterThan(0.9);
    expect(judged.verdicts.find((verdict) => verdict.metricType === 'duration')).toMatchObject({ status: 'inconclusive', withheldBy: 'evidence' });
    expect(judged.notes.find((note) => note.code === 'detectable-effect')?.message).toMatch(/runs measured back to back move together here \(they share 9\d % of that variance\)/);
  });
});
