import { retryWhileBusy } from '../../src/store/_busy-retry';

function busy(code = 'SQLITE_BUSY'): Error {
  return Object.assign(new Error('database is locked'), { code });
}

/** A clock that moves only when the retry sleeps, and remembers every pause. */
function fakeClock(): { nowMs: () => number; sleepMs: (ms: number) => void; pausesMs: number[] } {
  let nowMs = 0;
  const pausesMs: number[] = [];
  return {
    nowMs: () => nowMs,
    sleepMs: (ms) => {
      pausesMs.push(ms);
      nowMs += ms;
    },
    pausesMs,
  };
}

/** Work that throws `failures` one per attempt, then `forever` on every later attempt (or returns 'done'). */
function flakyWork(failures: Error[], forever?: Error): { work: () => string; attempts: () => number } {
  let attempts = 0;
  return {
    work: () => {
      const failure = failures[attempts++] ?? forever;
      if (failure !== undefined) throw failure;
      return 'done';
    },
    attempts: () => attempts,
  };
}

describe('retryWhileBusy', () => {
  it('runs the work again after SQLITE_BUSY and its extended codes until it succeeds', () => {
    const clock = fakeClock();
    const { work } = flakyWork([busy(), busy('SQLITE_BUSY_RECOVERY'), busy('SQLITE_BUSY_SNAPSHOT')]);
    expect(retryWhileBusy(work, { budgetMs: 60_000, ...clock, random: () => 0.5 })).toBe('done');
    // Pauses double from 2 ms; a random factor of 0.5 leaves them as they are (0.5 + 0.5 = 1).
    expect(clock.pausesMs).toEqual([2, 4, 8]);
  });

  it('caps each pause at 100 ms and scales it by 0.5 to 1.5 at random', () => {
    const high = fakeClock();
    retryWhileBusy(flakyWork(Array.from({ length: 9 }, () => busy())).work, { budgetMs: 60_000, ...high, random: () => 0.999 });
    expect(high.pausesMs.slice(-2)).toEqual([expect.closeTo(149.9, 1), expect.closeTo(149.9, 1)]);
    const low = fakeClock();
    retryWhileBusy(flakyWork([busy(), busy()]).work, { budgetMs: 60_000, ...low, random: () => 0 });
    expect(low.pausesMs).toEqual([1, 2]);
  });

  it('throws the last SQLITE_BUSY once the whole budget is spent, the last pause cut to what was left', () => {
    const clock = fakeClock();
    const last = busy();
    const { work, attempts } = flakyWork([], last);
    expect(() => retryWhileBusy(work, { budgetMs: 1000, ...clock, random: () => 0.5 })).toThrow(last);
    // 2 + 4 + … + 64 = 126 ms, then 100 ms pauses up to 926 ms, then the 74 ms left.
    expect(clock.pausesMs.reduce((sum, ms) => sum + ms, 0)).toBe(1000);
    expect(clock.pausesMs.slice(-2)).toEqual([100, 74]);
    expect(attempts()).toBe(clock.pausesMs.length + 1);
  });

  it('throws any other error at once, without retrying', () => {
    const clock = fakeClock();
    const corrupt = Object.assign(new Error('malformed'), { code: 'SQLITE_CORRUPT' });
    const { work, attempts } = flakyWork([], corrupt);
    expect(() => retryWhileBusy(work, { budgetMs: 60_000, ...clock })).toThrow(corrupt);
    expect(attempts()).toBe(1);
    expect(clock.pausesMs).toEqual([]);
  });
});
