/** Rounds of the reference loop per reading: about 20 µs on a current x64 core. */
const PROBE_ROUNDS = 20_000;
/** Readings per probe; their median is the probe's figure. */
const READINGS = 7;

let sink = 0;

/**
 * A fixed piece of integer work (xorshift32) whose every step depends on the one before,
 * so the engine cannot fold or vectorise it away. It touches no globals, so a test
 * framework's global proxy cannot slow it down; only the machine can.
 */
function referenceWork(rounds: number): number {
  let state = 0x9e3779b9 | 0;
  for (let i = 0; i < rounds; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
  }
  return state;
}

let isWarm = false;

/**
 * Times the reference loop: the machine's own speed right now, in ns per reading. A
 * baseline and a measurement each carry one; when the machine ran much slower than it did
 * for the baseline, the detector knows a slowdown may be the machine's, not the code's.
 */
export function probeMachineNs(now: () => bigint): number {
  if (!isWarm) {
    for (let i = 0; i < 50; i++) sink ^= referenceWork(PROBE_ROUNDS);
    isWarm = true;
  }
  const readings: number[] = [];
  for (let r = 0; r < READINGS; r++) {
    const start = now();
    sink ^= referenceWork(PROBE_ROUNDS);
    readings.push(Number(now() - start));
  }
  readings.sort((a, b) => a - b);
  return readings[READINGS >> 1] ?? 0;
}

/** Keeps the loop's result observable. */
export function probeSink(): number {
  return sink;
}
