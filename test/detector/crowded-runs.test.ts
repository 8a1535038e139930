import { crowdedRuns, DEFAULT_THRESHOLDS, judgeProcesses, needsRounds, type ReferenceRuns, withCrowdedRunsCorrected } from '../../src/detector';
import type { ConditionedRun } from '../../src/detector/run-point';
import type { ProcessFigures, StoredProcess } from '../../src/types';

/** One process of the packed-project test's spin loop: wall and CPU time per call in ms, preempted share, memory loop in ns. */
function process(wallMs: number, cpuMs: number, preemptedShare: number | null, minute: number, memoryProbeNs = 20_000): ProcessFigures {
  return {
    measuredAt: `2026-11-29T21:${String(minute).padStart(2, '0')}:00Z`,
    duration: wallMs / 1000,
    memory: 0.00285,
    cpu: (cpuMs / wallMs) * 100,
    machineProbeNs: 42_500,
    memoryProbeNs,
    preemptedShare,
    cpuTimePerCall: cpuMs / 1000,
  };
}

function stored(figures: ProcessFigures, isFounding: boolean, index: number): StoredProcess {
  return { ...figures, resultId: isFounding ? 'founding' : `accepted-${index}`, index: isFounding ? index : 0, isFounding };
}

function reference(processes: StoredProcess[]): ReferenceRuns {
  return { epoch: { createdAt: '2026-11-29T21:00:00Z', commit: null, reason: 'first measurement', environmentKey: 'k' }, processes };
}

function run(wallMs: number, cpuMs: number | null, preemptedShare: number | null): ConditionedRun {
  return {
    value: wallMs / 1000,
    at: '2026-11-29T21:00:00Z',
    isFounding: false,
    conditions: { machineProbeNs: null, memoryProbeNs: null, preemptedShare, cpuTimePerCall: cpuMs === null ? null : cpuMs / 1000 },
  };
}

// Recorded by the packed-project test (test/e2e/jest-integration.test.ts) beside a neighbour that
// took both cores for 5 s in every 14: the founding's three processes and the unchanged rerun.
const FOUNDING_AND_RERUN = reference([
  stored(process(13.98, 6.94, 0.95, 1, 18_928), true, 0),
  stored(process(6.87, 7.28, 0, 2, 19_689), true, 1),
  stored(process(6.88, 6.95, 0.02, 3, 42_463), true, 2),
  stored(process(10.98, 6.98, 0.72, 4, 22_323), false, 0),
]);
// The same loop with a planted 3x slowdown: five processes (the first and four fresh-process rounds).
const PLANTED_3X = [
  process(21.35, 21.45, 0.29, 10, 30_455),
  process(22.13, 21.97, 0.21, 11, 41_351),
  process(20.96, 21.12, 0, 12, 19_318),
  process(26.89, 21.82, 0.6, 13, 52_227),
  process(21.31, 21.44, 0.07, 14, 19_359),
];

describe('crowded runs', () => {
  it('marks runs whose wall time stretched past their usual multiple of CPU time while they were preempted', () => {
    // Usual wall/CPU ratio 1.0 (the calm runs); 13.98 / 6.94 = 2.0 and 10.98 / 6.98 = 1.57 while preempted.
    expect(crowdedRuns([run(13.98, 6.94, 0.95), run(6.87, 7.28, 0), run(6.88, 6.95, 0.02), run(10.98, 6.98, 0.72)])).toEqual([true, false, false, true]);
  });

  it('keeps runs that were preempted but not stretched, stretched but not preempted, or have no CPU time', () => {
    // 7.5 / 7.0 = 1.07 is below the 1.15 stretch; 0.15 is below the 0.2 preempted share; no CPU time, no ratio.
    expect(crowdedRuns([run(7, 7, 0), run(7.5, 7, 0.9), run(12, 7, 0.15), run(12, null, 0.9), run(12, 7, null)])).toEqual([false, false, false, false, false]);
  });

  it("judges code that waits by its own usual ratio, not by CPU time alone", () => {
    // An awaited timer: wall time is 10x CPU time in every calm run; 11x while preempted is within 1.15 of it, 13x is not.
    expect(crowdedRuns([run(10, 1, 0), run(10.2, 1, 0.05), run(11, 1, 0.5), run(13, 1, 0.5)])).toEqual([false, false, false, true]);
  });

  it('compares runs with each other when every run was preempted', () => {
    // No calm run: the usual ratio is the median of all (15 / 7), and only 21 / 7 stretches 1.4x past it.
    expect(crowdedRuns([run(14, 7, 0.9), run(15, 7, 0.9), run(21, 7, 0.9)])).toEqual([false, false, true]);
    expect(crowdedRuns([run(14, 7, 0.9), run(14, 7, 0.9)])).toEqual([false, false]);
  });

  it('takes a crowded run at its CPU time per call times the usual ratio, and leaves the others as measured', () => {
    // Usual ratio: median of 10 / 5 and 10.4 / 5 = 2.04 (code that waits half its time); 16 / 5 = 3.2 while preempted.
    const corrected = withCrowdedRunsCorrected([run(10, 5, 0), run(10.4, 5, 0.1), run(16, 5, 0.6)]);
    expect(corrected.map((r) => r.value * 1000)).toEqual([10, 10.4, expect.closeTo(10.2, 6)]);
    expect(corrected.map((r) => r.isCrowded === true)).toEqual([false, false, true]);
    expect(corrected[2]?.conditions.preemptedShare).toBe(0.6);
  });

  it('confirms a planted 3x slowdown that crowded reference runs had passed off as another speed of the code', () => {
    const judged = judgeProcesses(PLANTED_3X, FOUNDING_AND_RERUN, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 });
    const duration = judged.verdicts.find((verdict) => verdict.metricType === 'duration');
    expect(duration?.status).toBe('critical');
    // The crowded runs count at 6.71 and 6.75 ms (their CPU times 6.94 and 6.98 ms times the usual ratio
    // 0.967, the mean of 6.87 / 7.28 and 6.88 / 6.95): the reference's centre is then 6.81 ms, the current
    // runs' (geometric mean, as measured) 22.43 ms: 3.29x, and all five are slower than all four reference runs.
    expect(duration?.regressionFactor).toBeCloseTo(3.29, 2);
    expect(judged.evidence?.referenceRuns).toBe(4);
    expect(judged.evidence?.groups).toHaveLength(1);
    expect(judged.notes.find((note) => note.code === 'crowded-runs')?.message).toMatch(/^2 of 4 reference runs were crowded/);
  });

  it('holds back unchanged code crowded by a neighbour that stays as contention, not as a slowdown', () => {
    // Three calm runs at 6.9 ms, then five taken beside the neighbour at 9.0 ms (CPU time 6.9 ms, preempted
    // in 70 % of samples); now three more beside it at 9.5 ms, 1.38x the calm speed. Read against every
    // reference run, their preemption (70 %) is no more than the reference's (median 70 %), and the
    // contention rule would not excuse them; against the calm runs' (3 %), it does.
    const beside = reference([
      stored(process(6.9, 6.9, 0.02, 1), true, 0),
      stored(process(6.92, 6.9, 0.05, 2), true, 1),
      stored(process(6.91, 6.9, 0.03, 3), true, 2),
      ...[4, 5, 6, 7, 8].map((minute, i) => stored(process(9.0, 6.9, 0.7, minute), false, i)),
    ]);
    const now = [process(9.5, 6.9, 0.7, 10), process(9.4, 6.92, 0.72, 11), process(9.6, 6.88, 0.68, 12)];
    const duration = judgeProcesses(now, beside, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 }).verdicts.find((verdict) => verdict.metricType === 'duration');
    expect(duration?.status).toBe('inconclusive');
    expect(duration?.status === 'inconclusive' && duration.withheldBy).toBe('contention');
  });

  it('does not pass code that now waits because its run was preempted too', () => {
    // Ten calm runs at 10 ms wall and 8 ms CPU time; now 20 ms wall with the same CPU time (the code
    // waits 10 ms more), preempted in 30 % of samples. Current runs are never taken at their CPU time.
    const calm = reference(Array.from({ length: 10 }, (_, i) => stored(process(10 + (i % 3) * 0.1, 8, 0.02, i), i < 3, i)));
    const duration = judgeProcesses([process(20, 8, 0.3, 30)], calm, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 1 }).verdicts.find((verdict) => verdict.metricType === 'duration');
    expect(duration?.status).not.toBe('pass');
    expect(duration?.regressionFactor).toBeCloseTo(1.99, 1);
  });

  it('confirms in fresh processes a first run that is slow only against the calm runs', () => {
    // 10 ms of CPU time and wall time: 1.45x the calm 6.9 ms, but inside a reference that still held 14 and 11 ms.
    expect(needsRounds(process(10, 10, 0, 10), FOUNDING_AND_RERUN, { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 })).toBe(true);
  });

  it('says nothing when no run was crowded', () => {
    const calm = reference([stored(process(6.87, 7.28, 0, 2), true, 0), stored(process(6.88, 6.95, 0.02, 3), true, 1), stored(process(6.9, 6.9, 0.3, 4), true, 2)]);
    const judged = judgeProcesses([process(6.9, 6.9, 0, 10)], calm, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 });
    expect(judged.notes.map((note) => note.code)).not.toContain('crowded-runs');
    expect(judged.evidence?.referenceRuns).toBe(3);
  });
});
