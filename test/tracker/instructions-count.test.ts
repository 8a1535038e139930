import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isConfigError, isInstructionsModeError, isMeasurementError } from '../../src/errors';
import type { CallgrindAddon } from '../../src/tracker/instructions/callgrind-addon';
import { CALLGRIND_DIR_ENV, resolveDumpLocation, type DumpLocation } from '../../src/tracker/instructions/callgrind-dumps';
import { countInstructions, MAX_AUTO_CALLS, TARGET_ROUND_INSTRUCTIONS } from '../../src/tracker/instructions/count-instructions';

/**
 * A stand-in for callgrind: the measured functions report their own "instructions" through
 * `work(n)`, and every dump adds LOOP_COST, as the real loop's own instructions would.
 * Dumps are written in callgrind's format where the real launcher would put them.
 */
class FakeCallgrind implements CallgrindAddon {
  static readonly LOOP_COST = 700;
  counter = 0;
  isInstrumented = false;
  dumps = 0;
  readonly requests: string[] = [];
  constructor(readonly location: DumpLocation, readonly isUnderValgrind = true, readonly writesDumps = true) {}
  work(instructions: number): void {
    if (this.isInstrumented) this.counter += instructions;
  }
  isRunningOnValgrind(): boolean {
    return this.isUnderValgrind;
  }
  zeroStats(): void {
    this.counter = 0;
  }
  startInstrumentation(): void {
    this.requests.push('start');
    this.isInstrumented = true;
  }
  stopInstrumentation(): void {
    this.requests.push('stop');
    this.isInstrumented = false;
  }
  toggleCollect(): void {}
  dumpStatsAt(name: string): void {
    this.dumps += 1;
    if (!this.writesDumps) return;
    const total = this.isInstrumented ? this.counter + FakeCallgrind.LOOP_COST : 0;
    const file = path.join(this.location.dir, `callgrind.${process.pid}.out.${this.dumps}`);
    fs.writeFileSync(file, `# callgrind format\ndesc: Trigger: Client Request: ${name}\nevents: Ir\nsummary: 0\n\ntotals: ${total}\n`);
  }
}

let dir: string;
let location: DumpLocation;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-count-'));
  location = resolveDumpLocation({ [CALLGRIND_DIR_ENV]: dir }, process.pid, dir);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('countInstructions (with a stand-in for callgrind)', () => {
  it('reports the instructions per call with the loop overhead subtracted, and leaves no dump behind', async () => {
    const fake = new FakeCallgrind(location);
    const count = await countInstructions(() => fake.work(5_000), 'steady', { addon: fake, dumps: location, calls: 10 });
    expect(count.instructionsPerCall).toEqual([5_000, 5_000, 5_000]);
    expect(count.medianInstructionsPerCall).toBe(5_000);
    expect(count.overheadInstructionsPerCall).toBe(FakeCallgrind.LOOP_COST / 10);
    expect(count.roundSpread).toBe(0);
    expect(count.callsPerRound).toBe(10);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('turns instrumentation on once after warm-up and off at the end', async () => {
    const fake = new FakeCallgrind(location);
    await countInstructions(() => fake.work(1), 'toggles', { addon: fake, dumps: location });
    expect(fake.requests).toEqual(['start', 'stop']);
  });

  it(`sizes rounds to about ${TARGET_ROUND_INSTRUCTIONS.toLocaleString('en')} instructions when calls is left out`, async () => {
    const fake = new FakeCallgrind(location);
    // 10M / 4M = 2.5 calls, rounded to a power of two; 10M / 1.2M = 8.3 calls.
    const big = await countInstructions(() => fake.work(4_000_000), 'big', { addon: fake, dumps: location });
    expect(big.callsPerRound).toBe(2);
    const medium = await countInstructions(() => fake.work(1_200_000), 'medium', { addon: fake, dumps: location });
    expect(medium.callsPerRound).toBe(8);
    const huge = await countInstructions(() => fake.work(50_000_000), 'huge', { addon: fake, dumps: location });
    expect(huge.callsPerRound).toBe(1);
    const tiny = await countInstructions(() => fake.work(20), 'tiny', { addon: fake, dumps: location });
    expect(tiny.callsPerRound).toBe(MAX_AUTO_CALLS);
    expect(tiny.medianInstructionsPerCall).toBe(20);
  });

  it('shows a count that changes between rounds in roundSpread', async () => {
    const fake = new FakeCallgrind(location);
    let calls = 0;
    const count = await countInstructions(() => fake.work(calls++ < 8 ? 1_000 : 1_100), 'drifting', { addon: fake, dumps: location, calls: 5, warmup: 1 });
    expect(count.roundSpread).toBeGreaterThan(0.05);
  });

  it('awaits an async function and says it is async', async () => {
    const fake = new FakeCallgrind(location);
    const count = await countInstructions(async () => {
      await Promise.resolve();
      fake.work(300);
    }, 'async', { addon: fake, dumps: location, calls: 4 });
    expect(count.isAsync).toBe(true);
    expect(count.medianInstructionsPerCall).toBe(300);
  });

  it('passes each call a fresh input from setup, uncounted, and tears every input down', async () => {
    const fake = new FakeCallgrind(location);
    let made = 0;
    const seen = new Set<number>();
    const tornDown: number[] = [];
    const count = await countInstructions(
      (input: { id: number }) => {
        seen.add(input.id);
        fake.work(100);
      },
      'with setup',
      {
        addon: fake, dumps: location, calls: 4, rounds: 2, warmup: 3,
        setup: () => {
          fake.work(1_000_000);
          return { id: made++ };
        },
        teardown: (input) => tornDown.push(input.id),
      },
    );
    expect(count.medianInstructionsPerCall).toBe(100);
    expect(seen.size).toBe(made);
    expect(tornDown.sort((a, b) => a - b)).toEqual(Array.from({ length: made }, (_, i) => i));
  });

  it('refuses outside Valgrind and names the launcher', async () => {
    const fake = new FakeCallgrind(location, false);
    const error: unknown = await countInstructions(() => 1, 'outside', { addon: fake, dumps: location }).catch((e: unknown) => e);
    expect(isInstructionsModeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/not running under it.*perfguard test --instructions/);
    expect(fake.requests).toEqual([]);
  });

  it('says where it looked when callgrind wrote no dump, and stops instrumentation', async () => {
    const fake = new FakeCallgrind(location, true, false);
    const error: unknown = await countInstructions(() => 1, 'no dumps', { addon: fake, dumps: location }).catch((e: unknown) => e);
    expect(isInstructionsModeError(error)).toBe(true);
    expect((error as Error).message).toContain(`wrote no dump for this benchmark in ${dir}`);
    expect(fake.requests).toEqual(['start', 'stop']);
  });

  it('wraps an error of the function in a MeasurementError and stops instrumentation', async () => {
    const fake = new FakeCallgrind(location);
    let calls = 0;
    const error: unknown = await countInstructions(() => {
      if (++calls > 6) throw new Error('boom');
    }, 'throws', { addon: fake, dumps: location }).catch((e: unknown) => e);
    expect(isMeasurementError(error)).toBe(true);
    expect((error as Error).message).toContain("countInstructions('throws')");
    expect((error as Error & { cause: Error }).cause.message).toBe('boom');
    expect(fake.requests).toEqual(['start', 'stop']);
  });

  it.each([
    [{ calls: 0 }, /`calls` must be a positive integer, received 0/],
    [{ warmup: 0 }, /`warmup` must be a positive integer, received 0/],
    [{ rounds: 1.5 }, /`rounds` must be a positive integer, received 1.5/],
    [{ call: 3 }, /unknown option `call`. Did you mean `calls`\?/],
  ])('refuses the options %p where they enter', async (options, message) => {
    const error: unknown = await countInstructions(() => 1, 'bad', options as object).catch((e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
