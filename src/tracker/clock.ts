import { FakeTimersError } from '../errors';

/** A monotonic nanosecond clock. Tests inject their own so time passes without sleeping. */
export interface Clock {
  /** Current time in nanoseconds, from an arbitrary origin. */
  now(): bigint;
}

/** The real clock, `process.hrtime.bigint()`, read at call time, so fake timers installed later are noticed. */
export function createHrtimeClock(): Clock {
  return { now: () => process.hrtime.bigint() };
}

function looksFaked(fn: unknown): boolean {
  if (typeof fn !== 'function') return true;
  const marks = fn as unknown as { clock?: unknown; _isMockFunction?: unknown };
  return marks.clock !== undefined || marks._isMockFunction === true;
}

/** Real time the probe waits for, in seconds. */
const PROBE_SECONDS = 0.0002;

/**
 * Refuses to measure with a clock that does not advance. Jest's modern fake timers
 * (@sinonjs/fake-timers) replace `process.hrtime` and `performance.now` with a clock that
 * only moves on `jest.advanceTimersByTime`: every benchmark would read zero.
 * `process.uptime()` is not among the faked functions, so wait 0.2 ms by it and check that
 * the clock moved too. (Not `process.cpuUsage()`: it counts every thread, so GC and
 * compiler threads can log more CPU time than wall time passes.)
 */
export function assertRealTimers(clock: Clock = createHrtimeClock()): void {
  const fix =
    'Call jest.useRealTimers() before measuring (or exclude hrtime and performance with jest.useFakeTimers({ doNotFake: ["hrtime", "performance"] })).';
  // eslint-disable-next-line @typescript-eslint/unbound-method -- inspected, never called
  if (looksFaked(process.hrtime) || looksFaked(process.hrtime.bigint)) {
    throw new FakeTimersError(`perfguard cannot measure: process.hrtime is replaced by fake timers. ${fix}`);
  }
  const start = clock.now();
  const uptimeStart = process.uptime();
  while (process.uptime() - uptimeStart < PROBE_SECONDS) {
    // Busy-wait: timers may be faked, so nothing asynchronous can be trusted here.
  }
  const elapsedNs = Number(clock.now() - start);
  if (elapsedNs < (PROBE_SECONDS * 1e9) / 2) {
    throw new FakeTimersError(
      `perfguard cannot measure: the clock moved ${elapsedNs} ns while ${PROBE_SECONDS * 1e6} µs passed, so time is frozen (fake timers?). ${fix}`,
    );
  }
}

/**
 * Smallest non-zero step between two consecutive clock readings: the clock's effective
 * resolution, which includes the cost of reading it. A clock that does not move on its own
 * (a test's planted clock) is taken as exact: 1 ns.
 */
export function measureTimerResolutionNs(clock: Clock, readings = 200): number {
  let smallest = Infinity;
  for (let i = 0; i < readings; i++) {
    const a = clock.now();
    let b = clock.now();
    for (let spins = 0; b === a && spins < 10_000; spins++) b = clock.now();
    if (b === a) return 1;
    smallest = Math.min(smallest, Number(b - a));
  }
  return smallest;
}
