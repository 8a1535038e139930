import { probit } from 'simple-statistics';
import { type ConditionedRun, DEFAULT_THRESHOLDS, judgeProcesses, judgeRuns, UNKNOWN_CONDITIONS } from '../../src/detector';
import { checkDetectableFactor, REPLAY_MAX_FACTOR, REPLAY_MIN_SITTINGS, REPLAY_STEP, type ReplayedRule } from '../../src/detector/detectable-replay';
import type { ProcessFigures, StoredProcess } from '../../src/types';

// Planted runs: each value stands for one process's median per-call duration, each run named by
// its sitting (a measuring process and its fresh-process rounds).
let clock = Date.parse('2026-11-01T00:00:00Z');
function run(value: number, sitting: string, round = 0, isFounding = false): ConditionedRun {
  clock += 60_000;
  return { value, at: new Date(clock).toISOString(), isFounding, sitting, round, conditions: { ...UNKNOWN_CONDITIONS, cpuTimePerCall: value } };
}

/** Each of `actual` within 1e-12 of `expected`, in order. */
function expectValues(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => expect(actual?.[i]).toBeCloseTo(value, 12));
}

/** `count` one-run sittings after a three-run founding one, the n-th at `valueAt(n)`. */
function history(count: number, valueAt: (n: number) => number): ConditionedRun[] {
  const founding = [0, 1, 2].map((round) => run(valueAt(round), 'founding', round, true));
  return [...founding, ...Array.from({ length: count }, (_, i) => run(valueAt(i + 3), `s${i}`))];
}

/** Runs around 1 ms at the normal quantiles of a log standard deviation `sd`, in a scrambled order. */
function steady(sd: number): (n: number) => number {
  return (n) => 0.001 * Math.exp(sd * probit((((n * 7) % 23) + 0.5) / 23));
}

/**
 * Code that settles at two speeds in different processes: seven runs in ten at 0.77 ms, the
 * rest at 1 ms, each within ±1 %. A slowdown of up to 1.3x of the fast speed lands on the slow
 * one, which no run-level rule can tell from unchanged code; most sittings then hold one run or
 * none of the slow speed slowed past its range.
 */
function twoSpeeds(n: number): number {
  return (n % 10 === 1 || n % 10 === 4 || n % 10 === 8 ? 0.001 : 0.00077) * Math.exp(0.01 * probit((((n * 7) % 23) + 0.5) / 23));
}

/** As {@link twoSpeeds} with the speeds' shares the other way round: three runs in ten at 0.77 ms. */
function twoSpeedsMostlySlow(n: number): number {
  return (n % 10 === 1 || n % 10 === 4 || n % 10 === 8 ? 0.00077 : 0.001) * Math.exp(0.01 * probit((((n * 7) % 23) + 0.5) / 23));
}

function judge(reference: ConditionedRun[], isDetectableChecked: boolean) {
  return judgeRuns({
    metricType: 'duration',
    reference,
    current: [run(0.001, 'current')],
    thresholds: DEFAULT_THRESHOLDS.duration,
    confidence: 0.95,
    rounds: 2,
    isDetectableChecked,
  });
}

describe('checkDetectableFactor on planted histories', () => {
  it("lets the model's figure stand where the rule keeps its promise", () => {
    const reference = history(24, steady(0.003));
    const model = judge(reference, false).detectableFactor;
    expect(model).not.toBeNull();
    expect(model).toBeLessThan(1.05);
    expect(judge(reference, true).detectableFactor).toBe(model);
  });

  it('raises it for code with two speeds, whose fast one slowed reads as the slow one', () => {
    const reference = history(27, twoSpeeds);
    const judged = judge(reference, true);
    expect(judged.reference?.groups).toHaveLength(2);
    // The model sees the spread inside each speed (±1 %) and promises small slowdowns.
    const model = judge(reference, false).detectableFactor ?? Infinity;
    expect(model).toBeLessThan(1.1);
    // Checked from 1.2 × 1.1 = 1.32: the fast speed slowed reads 1.32 × 0.77 = 1.02 ms, on the
    // slow speed, and sittings whose runs are mostly of it are held back as bimodal. At 1.452x
    // it reads 1.12 ms, past the slow speed's ±1 % but by less than the warning threshold, and
    // sittings of fast-speed runs pass. At 1.597x, 1.23 ms, every held-out sitting is flagged.
    expect(judged.detectableFactor).toBeCloseTo(1.2 * 1.1 ** 3, 10);
  });

  it("lets the model's figure stand for code with two speeds whose slowed sittings mostly clear the slow one", () => {
    // Slowed 1.32x, the fast speed lands on the slow one (1.02 ms) and the slow speed past it
    // (1.32 ms); seven runs in ten of the slow speed make most sittings of three mostly slowed,
    // judged on their slowed runs.
    const reference = history(27, twoSpeedsMostlySlow);
    expect(judge(reference, true).reference?.groups).toHaveLength(2);
    expect(judge(reference, true).detectableFactor).toBe(judge(reference, false).detectableFactor);
  });

  it('checks from ten whole sittings on', () => {
    // The founding sitting and REPLAY_MIN_SITTINGS − 2 more: one short.
    const short = history(REPLAY_MIN_SITTINGS - 2, twoSpeeds);
    expect(judge(short, true).detectableFactor).toBe(judge(short, false).detectableFactor);
    const enough = history(REPLAY_MIN_SITTINGS - 1, twoSpeeds);
    expect(judge(enough, true).detectableFactor).toBeGreaterThan(judge(enough, false).detectableFactor ?? Infinity);
  });
});

interface Judged {
  reference: readonly ConditionedRun[];
  current: readonly ConditionedRun[];
}

describe('checkDetectableFactor mechanics', () => {
  const reference = Array.from({ length: 20 }, (_, i) => run(0.001, `s${i}`));

  /** A rule that confirms everything and flags a first run of `flagFrom` or more. */
  function ruleFrom(flagFrom: number, seen: Judged[] = []): ReplayedRule {
    return {
      confirms: () => true,
      flags: (ref, current) => {
        seen.push({ reference: ref, current });
        return (current[0]?.value ?? 0) >= flagFrom;
      },
    };
  }

  const check = (rule: ReplayedRule, promised: number | null, refs: ConditionedRun[] = reference) =>
    checkDetectableFactor({ reference: refs, rounds: 2, rule, promised, warning: 1.2, power: 0.9 });

  it('checks a promise below the warning threshold where a flag clears it with room', () => {
    // 1.2 × 1.1 = 1.32: a rule that flags from 1.32 ms keeps the promise of 1.05x; one that
    // flags from 1.33 ms does not, and the answer is the next step, 1.452x.
    expect(check(ruleFrom(0.00132 - 1e-12), 1.05)).toBe(1.05);
    expect(check(ruleFrom(0.00133), 1.05)).toBeCloseTo(1.32 * REPLAY_STEP, 10);
  });

  it('answers the smallest step from the start that the rule flags, and at most the largest it tries', () => {
    const start = 1.2 * REPLAY_STEP;
    // Flagged from 1.5 ms: the first step at or above 1.5x.
    const steps = Math.ceil(Math.log(1.5 / start) / Math.log(REPLAY_STEP));
    expect(check(ruleFrom(0.0015), 1.05)).toBeCloseTo(start * REPLAY_STEP ** steps, 10);
    expect(check(ruleFrom(Infinity), 1.05)).toBe(REPLAY_MAX_FACTOR);
    // A promise past the largest step, not kept, reads as itself: that or more.
    expect(check(ruleFrom(Infinity), 12)).toBe(12);
    expect(check(ruleFrom(0), null)).toBeNull();
  });

  it('judges each held-out sitting, slowed, with the next sittings as its rounds, against the rest', () => {
    const seen: Judged[] = [];
    check(ruleFrom(0, seen), 1.4);
    expect(seen).toHaveLength(20);
    const first = seen[0];
    expectValues(first?.current.map((r) => r.value), [0.0014, 0.0014, 0.0014]);
    expectValues(first?.current.map((r) => r.conditions.cpuTimePerCall ?? NaN), [0.0014, 0.0014, 0.0014]);
    expect(first?.current.every((r) => r.sitting === 'replay' && !r.isFounding)).toBe(true);
    // The held-out sitting and its two stand-ins are out of the reference.
    expect(first?.reference).toHaveLength(17);
    expect(first?.reference.some((r) => ['s0', 's1', 's2'].includes(r.sitting ?? ''))).toBe(false);
    // At the end of the history, the stand-ins are the sittings before it.
    expect(seen[19]?.reference.some((r) => ['s19', 's18', 's17'].includes(r.sitting ?? ''))).toBe(false);
  });

  it("judges a first run the screen does not confirm alone, against every other sitting", () => {
    const seen: Judged[] = [];
    const confirmsNone: ReplayedRule = { confirms: () => false, flags: (ref, current) => (seen.push({ reference: ref, current }), true) };
    check(confirmsNone, 1.4);
    expect(seen.every((judged) => judged.current.length === 1 && judged.reference.length === 19)).toBe(true);
  });

  it("uses a sitting's own rounds first, and holds out no sitting the window cut", () => {
    const seen: Judged[] = [];
    const withRounds = [run(0.002, 'cut', 1), ...reference.slice(0, 19), run(0.001, 's19', 0), run(0.002, 's19', 1), run(0.003, 's19', 2)];
    check(ruleFrom(0, seen), 1.4, withRounds);
    // 20 whole sittings; the cut one, whose first run is a round, only in the references.
    expect(seen).toHaveLength(20);
    expectValues(seen.at(-1)?.current.map((r) => r.value), [0.0014, 0.0028, 0.0042]);
    expect(seen[0]?.reference.some((r) => r.sitting === 'cut')).toBe(true);
  });
});

describe('judgeProcesses and the replayed detectable factor', () => {
  function figures(point: ConditionedRun): ProcessFigures {
    return { measuredAt: point.at, duration: point.value, memory: 0.001, cpu: 100, machineProbeNs: null, memoryProbeNs: null, preemptedShare: 0, cpuTimePerCall: point.value };
  }

  it("shows the replayed figure for wall time and says what it means", () => {
    const processes: StoredProcess[] = history(27, twoSpeeds).map((point) => ({ ...figures(point), resultId: point.sitting ?? '', index: point.round ?? 0, isFounding: point.isFounding }));
    const baseline = { epoch: { createdAt: '2026-11-01T00:00:00Z', commit: null, reason: 'first measurement', environmentKey: 'k' }, processes };
    const judged = judgeProcesses([figures(run(0.001, 'current'))], baseline, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 });
    // As judgeRuns' check on the same history (the test above).
    expect(judged.evidence?.detectableFactor).toBeCloseTo(1.2 * 1.1 ** 3, 10);
    expect(judged.notes.find((note) => note.code === 'detectable-effect')?.message).toContain('only slowdowns of 1.60x or more can be proven');
    // Asked not to check, it shows the model's figure.
    const unchecked = judgeProcesses([figures(run(0.001, 'current'))], baseline, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3, isDetectableChecked: false });
    expect(unchecked.evidence?.detectableFactor).toBeLessThan(1.1);
  });
});
