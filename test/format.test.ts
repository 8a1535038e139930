import { formatDuration, formatInstructions, formatMemory, formatMetric } from '../src/_format';

describe('figures in readable units', () => {
  it('picks the unit after rounding, so a value just below a boundary reads as the next unit', () => {
    expect(formatDuration(0.9999996)).toBe('1.00 s');
    expect(formatDuration(999.9996e-9)).toBe('1.00 µs');
    expect(formatInstructions(Math.exp(Math.log(1_000_000)))).toBe('1.00 M instr');
    expect(formatInstructions(999_999.9)).toBe('1.00 M instr');
    expect(formatMemory(1024 / 1024 / 1024)).toBe('1.00 KB');
    expect(formatMemory(1023.9 / 1024 / 1024)).toBe('1.00 KB');
    expect(formatMemory(1024)).toBe('1.00 GB');
  });

  it('keeps three significant digits where rounding reaches the next power of ten', () => {
    expect(formatDuration(0.09996)).toBe('100 ms');
    expect(formatDuration(9.996e-3)).toBe('10.0 ms');
    expect(formatMemory(1000 / 1024 / 1024)).toBe('1000 B');
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
