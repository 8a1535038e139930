import { DEFAULT_THRESHOLDS, judgeProcesses, type ReferenceRuns } from '../../src/detector';
import { instructionFigures, instructionNotes, measurementOfCount, roundSpreadOf } from '../../src/runner/instructions-step';
import type { InstructionCount } from '../../src/tracker';
import type { PerformanceReport, ProcessFigures, StoredProcess } from '../../src/types';

// Planted counts: what callgrind reads for deterministic code is the same to the instruction.
function count(perCall: number, rounds = [0, 0, 0]): InstructionCount {
  return {
    name: 'parse',
    isAsync: false,
    warmupCalls: 5,
    callsPerRound: 8,
    instructionsPerCall: rounds.map((offset) => perCall + offset),
    medianInstructionsPerCall: perCall,
    overheadInstructionsPerCall: 420,
    roundSpread: rounds.length === 0 ? 0 : (Math.max(...rounds) - Math.min(...rounds)) / perCall,
    elapsedMs: 1200,
  };
}

function process(instructions: number, at: string): ProcessFigures {
  return { measuredAt: at, duration: 0.01, memory: 0, cpu: null, machineProbeNs: null, memoryProbeNs: null, preemptedShare: 0, cpuTimePerCall: null, instructions };
}

function reference(instructions: number): ReferenceRuns {
  const stored: StoredProcess = { ...process(instructions, '2026-11-01T00:00:00Z'), resultId: 'r', index: 0, isFounding: true };
  return { epoch: { createdAt: '2026-11-01T00:00:00Z', commit: null, reason: 'first measurement', environmentKey: 'k' }, processes: [stored] };
}

function judgeCount(now: InstructionCount, before: number, warning = 1.01, critical = 1.5) {
  const thresholds = { ...DEFAULT_THRESHOLDS, duration: { warning, critical, minimumDelta: 0 } };
  return judgeProcesses([process(now.medianInstructionsPerCall, '2026-11-02T00:00:00Z')], reference(before), 'k', {
    thresholds,
    confidence: 0.95,
    rounds: 1,
    mode: 'instructions',
    withinRunSpread: roundSpreadOf(now),
  });
}

describe('instruction counts judged against one founding run', () => {
  it('catches a 1.02x change with thresholds at 1.01x, from the spread of the counted rounds', () => {
    const judged = judgeCount(count(1_020_000, [0, 3, -2]), 1_000_000);
    expect(judged.verdicts.map((verdict) => [verdict.metricType, verdict.status])).toEqual([['instructions', 'warning']]);
    expect(judged.verdicts[0]?.regressionFactor).toBeCloseTo(1.02, 6);
  });

  it('passes the same count, and judges no duration, memory or CPU', () => {
    const judged = judgeCount(count(1_000_000, [0, 1, -1]), 1_000_000);
    expect(judged.verdicts).toEqual([expect.objectContaining({ metricType: 'instructions', status: 'pass' })]);
    expect(judged.notes.map((note) => note.code)).not.toContain('little-history');
  });

  it("ignores the duration's absolute floor, which is in seconds, not instructions", () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, duration: { warning: 1.01, critical: 1.5, minimumDelta: 100_000 } }; // seconds: would hide any count delta
    const judged = judgeProcesses([process(1_020_000, '2026-11-02T00:00:00Z')], reference(1_000_000), 'k', { thresholds, confidence: 0.95, rounds: 1, mode: 'instructions', withinRunSpread: roundSpreadOf(count(1_020_000, [0, 3, -2])) });
    expect(judged.verdicts[0]?.status).toBe('warning');
  });

  it('keeps the user thresholds for pass and fail', () => {
    expect(judgeCount(count(1_030_000), 1_000_000, 1.2, 1.5).verdicts[0]?.status).toBe('pass');
    expect(judgeCount(count(1_600_000), 1_000_000, 1.2, 1.5).verdicts[0]?.status).toBe('critical');
  });
});

describe('notes on instruction counts', () => {
  it('states speeds in instructions, never in seconds, and does not tell a counting user to count instructions', () => {
    // A count that is not deterministic: two settled counts across 12 stored processes.
    const stored = Array.from({ length: 12 }, (_, i): StoredProcess => ({
      ...process(i % 3 === 0 ? 1_000_000 : 1_400_000 + i * 50, `2026-11-01T00:${String(10 + i)}:00Z`),
      resultId: `r${i}`,
      index: 0,
      isFounding: i === 0,
    }));
    const baseline: ReferenceRuns = { ...reference(1), processes: stored };
    const judged = judgeProcesses([process(1_400_300, '2026-11-02T00:00:00Z')], baseline, 'k', { thresholds: DEFAULT_THRESHOLDS, confidence: 0.95, rounds: 1, mode: 'instructions', withinRunSpread: roundSpreadOf(count(1_400_300)) });
    const messages = judged.notes.map((note) => note.message).join('\n');
    expect(messages).toMatch(/settles at 2 speeds in different processes: 1(\.00)? M instr \(4 of 12 runs\), 1\.4\d* M instr \(8 of 12 runs\)/);
    expect(messages).not.toMatch(/\d (ns|µs|ms|s)\b/);
    expect(messages).not.toMatch(/count instructions/);
    expect(judged.verdicts[0]?.reason ?? '').not.toMatch(/\d (ns|µs|ms)\b/);
  });
});

describe('instructionNotes', () => {
  function report(factor: number, status: 'pass' | 'warning', roundSpread: number, confidence: number | null = 1): PerformanceReport {
    const figures = instructionFigures(count(1_000_000));
    return {
      instructions: { ...figures, roundSpread },
      verdicts: [{ metricType: 'instructions', status, baselineValue: 1, currentValue: factor, regressionFactor: factor, factorInterval: null, confidence, machineFactor: null, runs: { reference: 1, current: 1 }, reason: '' }],
    } as unknown as PerformanceReport;
  }

  it('shows every change of 1 % or more that the thresholds pass, so a creep is seen', () => {
    expect(instructionNotes(report(1.032, 'pass', 0), 0.95)).toEqual([
      { code: 'instructions-delta', message: 'instructions per call +3.2 % against the reference (1.032x): within the thresholds, but a real change of the code\'s work' },
    ]);
    expect(instructionNotes(report(1.004, 'pass', 0), 0.95)).toEqual([]);
    expect(instructionNotes(report(1.3, 'warning', 0), 0.95)).toEqual([]);
    expect(instructionNotes(report(0.97, 'pass', 0, 0), 0.95).map((note) => note.message)).toEqual([expect.stringMatching(/^instructions per call -3\.0 %/)]);
  });

  it('keeps quiet about a change that runs of unchanged code also show (history with between-run spread)', () => {
    expect(instructionNotes(report(1.028, 'pass', 0, 0.7), 0.95)).toEqual([]);
    expect(instructionNotes(report(1.028, 'pass', 0, null), 0.95).map((note) => note.code)).toEqual(['instructions-delta']);
  });

  it('says when the counted rounds disagree by more than 0.1 %', () => {
    expect(instructionNotes(report(1, 'pass', 0.006), 0.95).map((note) => note.code)).toEqual(['nondeterministic']);
    expect(instructionNotes(report(1, 'pass', 0.0005), 0.95)).toEqual([]);
  });
});

describe('measurementOfCount', () => {
  it('keeps the wall time per call under Valgrind for the record, and no CPU figure', () => {
    const measurement = measurementOfCount(count(1_000_000), '2026-11-02T00:00:00Z');
    expect(measurement.samples.durationNs).toEqual([1200 * 1e6 / 24]);
    expect(measurement.cpu.percent).toBeNull();
  });
});
