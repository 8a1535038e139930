import type { Clock } from '../../src/tracker/clock';

/** A clock that only moves when a test says so: functions under test "take" planted time. */
export interface FakeClock extends Clock {
  advance(ns: number): void;
}

export function createFakeClock(): FakeClock {
  let time = 1_000_000n;
  return {
    now: () => time,
    advance: (ns: number) => {
      time += BigInt(Math.round(ns));
    },
  };
}
