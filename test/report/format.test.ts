import { formatDuration, formatInstructions, formatMetric } from '../../src/_format';

describe('figures in readable units', () => {
  it('picks the unit after rounding, so a value just below a boundary reads as the next unit', () => {
    expect(formatDuration(0.9999996)).toBe('1.00 s');
    expect(formatDuration(999.9996e-9)).toBe('1.00 µs');
    expect(formatInstructions(Math.exp(Math.log(1_000_000)))).toBe('1.00 M instr');
    expect(formatInstructions(999_999.9)).toBe('1.00 M instr');
  });

  it('keeps values inside a unit in that unit', () => {
    expect(formatDuration(812e-9)).toBe('812 ns');
    expect(formatDuration(3.4e-6)).toBe('3.40 µs');
    expect(formatDuration(0.0125)).toBe('12.5 ms');
    expect(formatInstructions(812)).toBe('812 instr');
    expect(formatInstructions(1_190_000)).toBe('1.19 M instr');
    expect(formatDuration(-0.0125)).toBe('-12.5 ms');
  });

  it('shows each metric in its own unit', () => {
    expect(formatMetric('instructions', 3400)).toBe('3.40 k instr');
    expect(formatMetric('duration', 3.4e-6)).toBe('3.40 µs');
    expect(formatMetric('memory', 12.5)).toBe('12.5 MB');
  });
});
