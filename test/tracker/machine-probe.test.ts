import { probeMachine } from '../../src/tracker/_machine-probe';

describe('probeMachine', () => {
  it('times the integer loop and the memory loop, in microseconds, not zero or seconds', () => {
    const now = (): bigint => process.hrtime.bigint();
    const probe = probeMachine(now);
    expect(probe.computeNs).toBeGreaterThan(1_000);
    expect(probe.computeNs).toBeLessThan(50_000_000);
    expect(probe.memoryNs).toBeGreaterThan(1_000);
    expect(probe.memoryNs).toBeLessThan(50_000_000);
  });

  it('reads zero under a clock that does not move, so no factor comes from it', () => {
    expect(probeMachine(() => 0n)).toEqual({ computeNs: 0, memoryNs: 0 });
  });
});
