import v8 from 'node:v8';
import vm from 'node:vm';
import type { CallgrindAddon } from './callgrind-addon';

type Measured = (input: unknown) => unknown;

/**
 * Runs the function once per entry of `inputs`. Given a dump name, counts exactly the loop:
 * zeroes the counters right before its first call and dumps them under that name right after
 * its last. Instrumentation must already be on for anything to be counted.
 */
export type CountingRunner = (inputs: unknown[], dumpName: string | undefined) => void | Promise<void>;

// Return values land here so the engine cannot prove them unused and drop the work.
const sink: { value: unknown } = { value: undefined };

/**
 * A fresh loop per function, compiled with `new Function`: each gets its own `fn(input)` call
 * site, so the measured function and the empty one used for the overhead never share (and
 * never change) each other's call feedback. The zeroing and the dump sit inside the loop's
 * function so that as little as possible of perfguard is counted; what is (the loop itself,
 * leaving one request and entering the other) is the same for the empty function, whose
 * count is subtracted.
 */
export function createCountingRunner(fn: Measured, addon: CallgrindAddon, isAsync: boolean): CountingRunner {
  const body = `
    return ${isAsync ? 'async ' : ''}function countCalls(inputs, dumpName) {
      const calls = inputs.length;
      if (dumpName !== undefined) addon.zeroStats();
      for (let i = 0; i < calls; i++) sink.value = ${isAsync ? 'await ' : ''}fn(inputs[i]);
      if (dumpName !== undefined) addon.dumpStatsAt(dumpName);
      sink.value = undefined;
    };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the comment above
  const factory = new Function('fn', 'addon', 'sink', body) as (f: Measured, a: CallgrindAddon, s: typeof sink) => CountingRunner;
  return factory(fn, addon, sink);
}

type Gc = (options?: { type: 'minor' | 'major' }) => void;

/** The two collections a count needs. */
export interface Collector {
  /**
   * A full collection, once before counting, with instrumentation off (0.4 s in a Jest
   * process under Valgrind; 2.5 s with it on). It empties the caches V8 clears at every full
   * collection (megamorphic property lookups, number-to-string, regular-expression results),
   * so each count starts from the same state whatever ran before, and finishes any marking
   * a long history left half done.
   */
  major: () => void;
  /**
   * A collection of the young generation, before every counted round: without it the
   * nursery fills to a different level at each start and a scavenge lands inside one round
   * but not the next (rounds of an allocating workload then differ by 0.5 %). 30 ms under
   * callgrind in a Jest process.
   */
  minor: () => void;
}

/**
 * Uses `global.gc` when Node runs with --expose-gc, else turns the flag on, takes `gc` from a
 * fresh context (which works inside Jest's sandbox too) and turns it off again: left on, every
 * context created later (each later test file in a Jest worker) would get a `gc` of its own.
 */
export function findGc(): Collector {
  const global = (globalThis as { gc?: unknown }).gc;
  let gc: Gc;
  if (typeof global === 'function') gc = global as Gc;
  else {
    v8.setFlagsFromString('--expose-gc');
    try {
      gc = vm.runInNewContext('gc') as Gc;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  return { major: () => gc({ type: 'major' }), minor: () => gc({ type: 'minor' }) };
}

/** True for a promise or any object with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
