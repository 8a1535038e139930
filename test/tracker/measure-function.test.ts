import { ConfigError, FakeTimersError, MeasurementError } from '../../src/errors';
import { measureFunction } from '../../src/tracker/measure-function';
import { createFakeClock } from '../helpers/fake-clock';

describe('measureFunction with a planted clock', () => {
  it('batches a 100 ns function and reports the time of one call', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(100), 'tiny', { clock, iterations: 20 });
    expect(m.callsPerSample).toBe(1000);
    expect(m.samples.durationNs).toHaveLength(20);
    for (const ns of m.samples.durationNs) expect(ns).toBeCloseTo(100, 6);
  });

  it('sizes batches to about 100 µs per sample by default', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(250), 'quarter-micro', { clock, iterations: 5 });
    expect(m.callsPerSample * 250).toBeGreaterThanOrEqual(90_000);
    expect(m.callsPerSample * 250).toBeLessThanOrEqual(110_000);
  });

  it('batches a 50 µs function so samples fill the time budget', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(50_000), 'slowish', { clock, iterations: 10 });
    expect(m.callsPerSample).toBe(2);
    expect(m.samples.durationNs).toEqual(Array(10).fill(50_000));
  });

  it('times functions of 100 µs or more one call per sample', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(2_000_000), 'slow', { clock, iterations: 3 });
    expect(m.callsPerSample).toBe(1);
  });

  it('never batches beyond 10 µs samples when maxSamples asks for short samples', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(50_000), 'per-call', { clock, iterations: 3, maxSamples: 1_000_000 });
    expect(m.callsPerSample).toBe(1);
    const tiny = await measureFunction(() => clock.advance(100), 'tiny', { clock, iterations: 3, maxSamples: 1_000_000 });
    expect(tiny.callsPerSample).toBe(100);
  });

  it('samples for the time budget when no iterations are given', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(1_000_000), 'one-ms', { clock, time: 50 });
    expect(m.samples.durationNs.length).toBeGreaterThanOrEqual(49);
    expect(m.samples.durationNs.length).toBeLessThanOrEqual(51);
  });

  it('takes at least minSamples even when the budget is spent', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(100_000_000), 'slow', { clock, time: 50, warmup: 1 });
    expect(m.samples.durationNs).toHaveLength(10);
  });

  it('stops at maxSamples', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(2_000_000), 'capped', { clock, time: 10_000, maxSamples: 30 });
    expect(m.samples.durationNs).toHaveLength(30);
  });

  it('warms up for the given number of calls before sampling', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const m = await measureFunction(
      () => {
        calls++;
        clock.advance(50_000);
      },
      'counted',
      { clock, warmup: 5, iterations: 3 },
    );
    expect(m.warmupCalls).toBe(5);
    // 5 warm-up calls, 1 calibration call, 3 samples of 2 calls.
    expect(m.callsPerSample).toBe(2);
    expect(calls).toBe(5 + 1 + 3 * 2);
  });

  it('warms up for warmupTime when no warm-up count is given', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(1_000_000), 'timed-warmup', { clock, warmupTime: 20, iterations: 1 });
    expect(m.warmupCalls).toBeGreaterThanOrEqual(20);
    expect(m.warmupCalls).toBeLessThanOrEqual(21);
  });

  it('awaits async functions and times the whole promise', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(
      async () => {
        await Promise.resolve();
        clock.advance(30_000);
      },
      'async',
      { clock, iterations: 4 },
    );
    expect(m.isAsync).toBe(true);
    expect(m.samples.durationNs).toEqual(Array(4).fill(30_000));
  });

  it('treats a function returning a plain value as synchronous', async () => {
    const clock = createFakeClock();
    const m = await measureFunction(() => clock.advance(30_000), 'sync', { clock, iterations: 2 });
    expect(m.isAsync).toBe(false);
  });

  it('gives each sample fresh input from setup, untimed, and tears it down', async () => {
    const clock = createFakeClock();
    const inputs: number[][] = [];
    const tornDown: number[][] = [];
    const m = await measureFunction(
      (input: number[]) => {
        inputs.push(input);
        clock.advance(40);
      },
      'with-setup',
      {
        clock,
        iterations: 4,
        warmup: 0,
        setup: () => {
          clock.advance(1_000_000);
          return [inputs.length];
        },
        teardown: (input) => {
          clock.advance(1_000_000);
          tornDown.push(input);
        },
      },
    );
    expect(m.callsPerSample).toBe(1);
    expect(m.samples.durationNs).toEqual([40, 40, 40, 40]);
    expect(new Set(inputs).size).toBe(inputs.length);
    expect(tornDown).toEqual(inputs);
  });
});

describe('measureFunction with the real clock', () => {
  it('records heap growth per call in bytes', async () => {
    const kept: number[][] = [];
    const m = await measureFunction(() => kept.push(new Array<number>(250_000).fill(1)), 'allocating', {
      iterations: 5,
      warmup: 1,
    });
    const sorted = [...m.samples.heapDeltaBytes].sort((a, b) => a - b);
    expect(sorted[2]).toBeGreaterThan(1_000_000);
  });

  it('records CPU use, load, timer resolution and the environment', async () => {
    const m = await measureFunction(() => JSON.stringify({ a: [1, 2, 3] }), 'json', { iterations: 5, warmup: 10 });
    expect(m.samples.cpuPercent).toHaveLength(5);
    expect(m.timerResolutionNs).toBeGreaterThan(0);
    expect(Number.isFinite(m.loadAverage.before)).toBe(true);
    expect(m.environment.key).toContain(`node${process.versions.node.split('.')[0]}`);
  });

  it('times the compute and the memory reference loops around sampling', async () => {
    const m = await measureFunction(() => 1, 'probed', { iterations: 5, warmup: 10 });
    // 20,000 xorshift rounds and 2,000 dependent loads: microseconds, never zero or seconds.
    expect(m.machineProbeNs).toBeGreaterThan(1_000);
    expect(m.machineProbeNs).toBeLessThan(50_000_000);
    expect(m.memoryProbeNs).toBeGreaterThan(1_000);
    expect(m.memoryProbeNs).toBeLessThan(50_000_000);
  });

  it('collects garbage before sampling when global.gc exists, and records that it could', async () => {
    const gc = jest.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    try {
      const m = await measureFunction(() => 1, 'gc', { iterations: 2, warmup: 1 });
      expect(m.isGcAvailable).toBe(true);
      expect(gc).toHaveBeenCalledTimes(1);
    } finally {
      delete (globalThis as { gc?: () => void }).gc;
    }
  });

  it('records that gc was not available without --expose-gc', async () => {
    const m = await measureFunction(() => 1, 'no-gc', { iterations: 2, warmup: 1 });
    expect(m.isGcAvailable).toBe(false);
  });

  it('refuses to measure under Jest fake timers', async () => {
    jest.useFakeTimers();
    try {
      await expect(measureFunction(() => 1, 'frozen', { iterations: 2 })).rejects.toThrow(FakeTimersError);
      await expect(measureFunction(() => 1, 'frozen', { iterations: 2 })).rejects.toThrow(/jest\.useRealTimers\(\)/);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('measureFunction refuses bad input where it enters', () => {
  const clock = createFakeClock();
  const work = (): void => clock.advance(20_000);

  it.each([
    [{ iterations: 0 }, /`iterations` must be a positive integer, received 0/],
    [{ iterations: 2.5 }, /`iterations` must be a positive integer, received 2\.5/],
    [{ iterations: NaN }, /`iterations` must be a positive integer, received NaN/],
    [{ iterations: '20' }, /`iterations` must be a positive integer, received '20'/],
    [{ warmup: -1 }, /`warmup` must be a whole number of zero or more, received -1/],
    [{ time: 0 }, /`time` must be a number above zero, received 0/],
    [{ iteratons: 5 }, /unknown option `iteratons`\. Did you mean `iterations`\?/],
    [{ minSamples: 50, maxSamples: 10 }, /`minSamples` \(50\) must not exceed `maxSamples` \(10\)/],
    [{ setup: 'fresh' }, /`setup` must be a function, received 'fresh'/],
  ])('refuses %p', async (options, message) => {
    await expect(measureFunction(work, 'bad', { clock, ...(options as object) })).rejects.toThrow(ConfigError);
    await expect(measureFunction(work, 'bad', { clock, ...(options as object) })).rejects.toThrow(message);
  });

  it('refuses a non-function', async () => {
    await expect(measureFunction(42 as unknown as () => void, 'bad')).rejects.toThrow(
      /`fn` must be a function, received 42/,
    );
  });

  it.each([[''], ['   '], [undefined], [7]])('refuses the name %p', async (name) => {
    await expect(measureFunction(work, name as unknown as string, { clock })).rejects.toThrow(/`name` must be a non-empty string/);
  });
});

describe('measureFunction when the function throws', () => {
  it('rejects with a MeasurementError carrying the original error as cause', async () => {
    const clock = createFakeClock();
    const original = new Error('boom');
    let calls = 0;
    const failing = (): void => {
      clock.advance(20_000);
      if (++calls === 7) throw original;
    };
    const outcome = measureFunction(failing, 'explodes', { clock, iterations: 20, warmup: 2 });
    await expect(outcome).rejects.toThrow(MeasurementError);
    await expect(measureFunction(() => { throw original; }, 'explodes', { clock })).rejects.toMatchObject({
      cause: original,
      message: expect.stringContaining("benchmark 'explodes'") as unknown,
    });
  });

  it('rejects when an async function rejects', async () => {
    const clock = createFakeClock();
    await expect(
      measureFunction(() => Promise.reject(new Error('nope')), 'rejects', { clock }),
    ).rejects.toThrow(/nope/);
  });

  it('rejects when setup throws', async () => {
    const clock = createFakeClock();
    await expect(
      measureFunction(() => clock.advance(10), 'bad-setup', { clock, setup: () => { throw new Error('no input'); } }),
    ).rejects.toThrow(/no input/);
  });
});
