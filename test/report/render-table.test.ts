import { renderAnnotations } from '../../src/report/github';
import { formatRegressionMessage } from '../../src/report/regression-message';
import { renderTable, tableRow } from '../../src/report/render-table';
import { summarizeRun } from '../../src/report/run-summary';
import { formatDuration, formatMemory } from '../../src/_format';
import { plantedCountedReport, plantedReport } from '../helpers/reports';

describe('formatDuration and formatMemory', () => {
  it.each([
    [8.12e-7, '812 ns'],
    [3.4e-6, '3.40 µs'],
    [0.0125, '12.5 ms'],
    [1.2, '1.20 s'],
  ])('shows %p seconds as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    [512 / 1024 / 1024, '512 B'],
    [3.2 / 1024, '3.20 KB'],
    [12.5, '12.5 MB'],
  ])('shows %p MB as %p', (mb, text) => {
    expect(formatMemory(mb)).toBe(text);
  });
});

describe('renderTable', () => {
  it('marks an instruction count that moved 1 % or more beside its passing verdict', () => {
    expect(tableRow(plantedCountedReport('counted', 0.97)).at(-1)).toBe('pass (-3.0 % instructions)');
    expect(tableRow(plantedReport('timed', { status: 'pass', regressionFactor: 1.05 })).at(-1)).toBe('pass');
  });

  it('prints test, current figure, baseline, factor with interval, detectable effect and verdict, then counts and notes', () => {
    const summary = summarizeRun(null, [plantedReport('slow_one', { status: 'critical' })], ['perf files ran in parallel']);
    const table = renderTable(summary);
    expect(table).toMatch(/test\s+current\s+baseline\s+factor \[interval\]\s+detectable\s+verdict/);
    expect(table).toMatch(/slow_one\s+994 µs ± 19\.0 µs\s+1\.00 ms ± 20\.0 µs \(12 runs\)\s+1\.60x \[1\.55, 1\.66\]\s+1\.08x\s+critical/);
    expect(table).toContain('1 critical, 0 warning');
    expect(table).toContain('note: perf files ran in parallel');
  });
});

describe('formatRegressionMessage', () => {
  it('names the metric, baseline and current figures, the factor with its interval, the confidence and the fix', () => {
    const message = formatRegressionMessage(plantedReport('slow_one', { status: 'critical' }));
    expect(message).toContain("Performance regression in 'slow_one':");
    expect(message).toContain('duration critical: 1.00 ms → 1.60 ms, 1.60x [1.55, 1.66] slower, confidence 99.99 %');
    expect(message).toContain('baseline from 2026-11-01T00:00:00.000Z at commit abcdef123456');
    expect(message).toContain('UPDATE_PERFORMANCE_BASELINE=true');
  });
});

describe('renderAnnotations', () => {
  it('adds an error for critical and a warning for warning regressions on the test file', () => {
    const summary = summarizeRun(null, [
      plantedReport('slow_one', { status: 'critical' }),
      plantedReport('slowish', { status: 'warning', regressionFactor: 1.3 }),
      plantedReport('fine', { status: 'pass' }),
    ]);
    const lines = renderAnnotations(summary, '/repo');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=test\/a\.test\.ts,title=perfguard%3A slow_one critical::duration critical: /);
    expect(lines[1]).toMatch(/^::warning file=test\/a\.test\.ts,title=perfguard%3A slowish warning::/);
  });
});

describe('a single-run figure', () => {
  it('shows no spread, since one sample has none', () => {
    const report = plantedReport('once', { status: 'pass', regressionFactor: 1 });
    const single = { ...report, iterations: 1, duration: { ...report.duration, mad: 0 } };
    expect(tableRow(single)[1]).toBe('994 µs');
  });
});
