/** Rounds of the reference loop per reading: about 20 µs on a current x64 core. */
const PROBE_ROUNDS = 20_000;
/** Readings per probe; their median is the probe's figure. */
const READINGS = 7;
/** Entries of the memory probe's table: 16 MB, so consecutive loads land on different pages. */
const TABLE_ENTRIES = 1 << 22;
/**
 * Dependent loads per memory reading: 2,000 cache lines on about 2,000 pages, a working set
 * that lives in the shared caches and TLB. About 30 µs here when the neighbours are quiet.
 */
const MEMORY_LOADS = 2_000;

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

let table: Int32Array | undefined;

/**
 * A cycle of MEMORY_LOADS slots picked at random (fixed seed) across a 16 MB table: each
 * load depends on the one before, lands on another page, and the prefetcher cannot guess
 * the next. Only the pages it touches are ever committed (about 8 MB).
 */
function memoryTable(): Int32Array {
  if (table !== undefined) return table;
  const built = new Int32Array(TABLE_ENTRIES);
  const order = [0];
  const taken = new Set(order);
  let state = 0x2545f491 | 0;
  while (order.length < MEMORY_LOADS) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const slot = (state >>> 0) % TABLE_ENTRIES;
    if (taken.has(slot)) continue;
    taken.add(slot);
    order.push(slot);
  }
  order.forEach((slot, k) => {
    built[slot] = order[(k + 1) % order.length] ?? 0;
  });
  table = built;
  return built;
}

/** Follows the cycle once round from slot 0; returns where it stopped (slot 0 again). */
function chase(entries: Int32Array): number {
  let at = 0;
  for (let i = 0; i < MEMORY_LOADS; i++) at = entries[at] ?? 0;
  return at;
}

let isWarm = false;
let chaseAt = 0;

/** What the two reference loops took, in ns per reading. */
export interface MachineProbe {
  /** Integer work in registers: the core's own speed. */
  computeNs: number;
  /** Dependent loads across 16 MB: the speed of the caches and TLB, which neighbours share. */
  memoryNs: number;
}

function medianOf(readings: number[]): number {
  readings.sort((a, b) => a - b);
  return readings[readings.length >> 1] ?? 0;
}

/**
 * Times the reference loops: the machine's own speed right now. A baseline and a
 * measurement each carry both figures. When the integer loop ran much slower than for the
 * baseline, the detector knows a slowdown may be the machine's, not the code's. The memory
 * loop sees what the integer loop cannot: another process or virtual machine thrashing the
 * caches this core shares, which slows allocation-heavy code by half or more while the core
 * itself runs at full speed. It times a warm working set (what neighbours evict), not the
 * first touch of cold memory.
 */
export function probeMachine(now: () => bigint): MachineProbe {
  const entries = memoryTable();
  if (!isWarm) {
    for (let i = 0; i < 50; i++) sink ^= referenceWork(PROBE_ROUNDS);
    for (let i = 0; i < 20; i++) chaseAt = chase(entries);
    isWarm = true;
  }
  const compute: number[] = [];
  const memory: number[] = [];
  for (let r = 0; r < READINGS; r++) {
    const start = now();
    sink ^= referenceWork(PROBE_ROUNDS);
    const middle = now();
    chaseAt = chase(entries);
    compute.push(Number(middle - start));
    memory.push(Number(now() - middle));
  }
  return { computeNs: medianOf(compute), memoryNs: medianOf(memory) };
}

/** Keeps the loops' results observable. */
export function probeSink(): number {
  return sink ^ chaseAt;
}

