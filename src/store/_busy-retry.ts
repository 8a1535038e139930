/**
 * Retrying the steps of opening a store that SQLite refuses with `SQLITE_BUSY` at once.
 *
 * SQLite's busy timeout does not cover every lock: switching a new file to WAL needs an
 * exclusive lock, and when another process is doing the same SQLite answers BUSY without
 * calling the busy handler (measured: 1 in about 30 rounds of 8 processes opening a fresh
 * store). Every step of opening (reading the schema version, the journal-mode switch, the
 * migration in one immediate transaction, the integrity check) can simply be run again, so
 * the store retries it with a growing, jittered pause until the busy timeout is spent.
 *
 * A creation lock file was the other choice and was rejected: a writer killed with `kill -9`
 * would leave it behind, and telling a stale lock from a live one needs process ids, which
 * do not cross containers or network disks. SQLite's own locks vanish with their process.
 */

/** How {@link retryWhileBusy} waits; tests inject a clock that does not sleep. */
export interface BusyRetryOptions {
  /** Give up once this much time has passed since the first attempt. */
  budgetMs: number;
  /** @default performance.now */
  nowMs?: () => number;
  /** Blocks the thread for `ms` (the store's API is synchronous). @default Atomics.wait */
  sleepMs?: (ms: number) => void;
  /** @default Math.random */
  random?: () => number;
}

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 100;
const napCell = new Int32Array(new SharedArrayBuffer(4));

function sleepSync(ms: number): void {
  Atomics.wait(napCell, 0, 0, ms);
}

/** The SQLite (or Node) error code of a thrown value, `''` when it has none. */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : '';
}

/** True for `SQLITE_BUSY` and its extended codes (`SQLITE_BUSY_RECOVERY`, `_SNAPSHOT`, …). */
export function isBusyError(error: unknown): boolean {
  return errorCode(error).startsWith('SQLITE_BUSY');
}

/**
 * Runs `work`, running it again after a pause while it fails with `SQLITE_BUSY` and the
 * budget lasts; other errors, and the last BUSY once the whole budget is spent, are thrown as
 * they are. Pauses double from 2 ms up to 100 ms, each scaled by 0.5 to 1.5 at random so that
 * processes which collided once do not collide again in step; the last is cut to what is left.
 */
export function retryWhileBusy<T>(work: () => T, options: BusyRetryOptions): T {
  const nowMs = options.nowMs ?? (() => performance.now());
  const sleepMs = options.sleepMs ?? sleepSync;
  const random = options.random ?? Math.random;
  const startedMs = nowMs();
  for (let pauseMs = FIRST_PAUSE_MS; ; pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS)) {
    try {
      return work();
    } catch (error) {
      const elapsedMs = nowMs() - startedMs;
      if (!isBusyError(error) || elapsedMs >= options.budgetMs) throw error;
      sleepMs(Math.min(pauseMs * (0.5 + random()), options.budgetMs - elapsedMs));
    }
  }
}
