import vm from 'node:vm';
import { findGc } from '../../../src/tracker/instructions/_counting-loop';

describe('findGc', () => {
  it('collects without --expose-gc, and leaves no gc in contexts created later', () => {
    const before = vm.runInNewContext('typeof gc') as string;
    const collector = findGc();
    expect(() => collector.major()).not.toThrow();
    expect(() => collector.minor()).not.toThrow();
    // Left on, the flag would hand every later test file in this Jest worker a global gc.
    expect(vm.runInNewContext('typeof gc')).toBe(before);
  });
});
