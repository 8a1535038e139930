import { DEFAULT_THRESHOLDS, judgeProcesses, type ReferenceRuns } from '../../src/detector';
import type { ProcessFigures, StoredProcess } from '../../src/types';

type Reading = [wallMs: number, cpuMs: number, machineProbeNs: number, memoryProbeNs: number, preemptedShare: number];

/** One process: wall and CPU time per call in ms, perfguard's core and cache loops in ns, preempted share. */
function figures([wallMs, cpuMs, machineProbeNs, memoryProbeNs, preemptedShare]: Reading, minute: number): ProcessFigures {
  return {
    measuredAt: `2026-11-30T02:${String(minute).padStart(2, '0')}:00Z`,
    duration: wallMs / 1000,
    memory: 0.002,
    cpu: (cpuMs / wallMs) * 100,
    machineProbeNs,
    memoryProbeNs,
    preemptedShare,
    cpuTimePerCall: cpuMs / 1000,
  };
}

function reference(processes: StoredProcess[]): ReferenceRuns {
  return { epoch: { createdAt: '2026-11-30T02:00:00Z', commit: null, reason: 'first measurement', environmentKey: 'k' }, processes };
}

describe('CPU time per call beside wall time of the same runs', () => {
  // The example suite's json_round_trip_1k_orders (study at ab08d93): per result (sitting), its
  // processes' wall time and CPU time per call in ms, core loop and cache loop in ns, preempted share.
  const SITTINGS: Reading[][] = [
    [[4.033, 4.357, 43234, 31837, 0.022], [5.403, 5.5, 43124, 24566, 0.016], [4.183, 4.381, 42273, 21082, 0.039]],
    [[4.821, 4.841, 43114, 29273, 0.024]],
    [[3.589, 4.005, 42944, 25718, 0.024], [4.078, 4.381, 43404, 25558, 0.026], [3.38, 3.878, 43254, 22704, 0.031], [4.829, 5.253, 43415, 26148, 0.053], [3.683, 4.277, 42132, 20851, 0.017]],
    [[3.234, 3.54, 42113, 18878, 0.032], [3.125, 3.36, 42122, 18978, 0.027], [3.646, 3.768, 42112, 18707, 0.026]],
    [[5.063, 4.825, 43114, 26500, 0.024], [4.507, 4.709, 43454, 36334, 0.028], [5.227, 5.316, 43645, 40249, 0.043]],
  ];
  const NOW: Reading[] = [[5.725, 5.496, 43394, 29274, 0.049], [5.784, 5.761, 43715, 48632, 0.035], [5.396, 5.433, 43695, 25307, 0.011]];

  const history = reference(
    SITTINGS.flatMap((sitting, s) => sitting.map((entry, index) => ({ ...figures(entry, s * 5 + index), resultId: `result-${s}`, index, isFounding: s === 0 }))),
  );

  it('holds back a CPU-time alarm on runs whose wall time was held back as another speed of the code', () => {
    const judged = judgeProcesses(NOW.map((entry, i) => figures(entry, 40 + i)), history, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 });
    const wall = judged.verdicts.find((verdict) => verdict.metricType === 'duration');
    const cpu = judged.verdicts.find((verdict) => verdict.metricType === 'cpu');
    expect(wall).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal' });
    expect(cpu).toMatchObject({ status: 'inconclusive', withheldBy: 'bimodal', regressionFactor: expect.closeTo(1.27, 2) as unknown });
    expect(cpu?.reason).toMatch(/wall time of the same runs \(1\.38x\) was held back/);
  });

  it('holds back a CPU-time alarm on runs whose wall time unchanged runs had read as slow', () => {
    // The example suite's regex_validate_2k_emails (study at d7d2508): wall and CPU time per call
    // in µs of a founding sitting and two unchanged runs, then four processes of unchanged code.
    const µs = ([wall, cpu]: [number, number]): Reading => [wall / 1000, cpu / 1000, 42100, 19000, 0.002];
    const unchanged: [number, number][][] = [[[116.9, 152.0], [115.8, 138.9], [116.2, 166.0]], [[116.3, 150.0]], [[196.6, 188.5]]];
    const young = reference(unchanged.flatMap((sitting, s) => sitting.map((entry, index) => ({ ...figures(µs(entry), s * 5 + index), resultId: `result-${s}`, index, isFounding: s === 0 }))));
    const now: [number, number][] = [[222.1, 231.7], [215.4, 217.7], [184.5, 195.2], [218.4, 209.8]];
    const judged = judgeProcesses(now.map((entry, i) => figures(µs(entry), 40 + i)), young, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 });
    const wall = judged.verdicts.find((verdict) => verdict.metricType === 'duration');
    const cpu = judged.verdicts.find((verdict) => verdict.metricType === 'cpu');
    // One unchanged run (196.6 µs) was as slow as the fastest of the four: C(5, 4) / C(9, 4) = 4 %.
    expect(wall).toMatchObject({ status: 'inconclusive', withheldBy: 'evidence' });
    // Its CPU time (188.5 µs) was below all four (195.2 µs on): 1 / C(9, 4) = 0.8 %, alone a warning.
    expect(cpu).toMatchObject({ status: 'inconclusive', withheldBy: 'evidence' });
    expect(cpu?.reason).toMatch(/was held back as within what runs of unchanged code do/);
  });

  it('keeps a CPU-time alarm that grew past its threshold beyond the wall time (work moved to other threads)', () => {
    const busier = NOW.map(([wall, cpu, ...rest], i) => figures([wall, cpu * 1.6, ...rest], 40 + i));
    const cpu = judgeProcesses(busier, history, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 3 }).verdicts.find((verdict) => verdict.metricType === 'cpu');
    expect(cpu?.status).toBe('critical');
  });
});
