import { randomBytes } from 'node:crypto';
import { median } from 'simple-statistics';
import { assertKnownOptions, expectFunction, expectName, expectPositiveInteger } from '../../_options';
import { describeError, InstructionsModeError, isPerfguardError, MeasurementError } from '../../errors';
import { type CallgrindAddon, loadCallgrindAddon } from './callgrind-addon';
import { CALLGRIND_DIR_ENV, collectDumps, type DumpLocation, resolveDumpLocation } from './callgrind-dumps';
import { type Collector, createCountingRunner, type CountingRunner, findGc, isThenable } from './_counting-loop';

/** How a function's instructions are counted. Every field is optional. */
export interface CountInstructionsOptions<TInput = unknown> {
  /**
   * Calls before counting, uncounted: they compile the function and fill its caches. The
   * first also tells whether the function is async. Under {@link INSTRUCTIONS_NODE_FLAGS}
   * the count is steady from the second call. @default 5
   */
  warmup?: number;
  /**
   * Calls in each counted round. When left out, chosen from a first counted call so that a
   * round executes about {@link TARGET_ROUND_INSTRUCTIONS} instructions (a power of two from
   * 1 to {@link MAX_AUTO_CALLS}): counts are exact, so a long function needs one call, and a
   * short one enough calls that a stray few hundred instructions do not show.
   */
  calls?: number;
  /** Counted rounds; more than one shows whether the count is deterministic. @default 3 */
  rounds?: number;
  /**
   * Runs before every call, uncounted; its result is passed to the function. The inputs of
   * a round are all made before the round starts.
   */
  setup?: () => TInput | Promise<TInput>;
  /** Runs after every round for each of its inputs, uncounted. */
  teardown?: (input: TInput) => unknown;
  /** Client requests to use; tests inject a fake. @default the built addon ({@link loadCallgrindAddon}) */
  addon?: CallgrindAddon;
  /** Where callgrind writes this process's dumps. @default from `PERFGUARD_CALLGRIND_DIR` ({@link resolveDumpLocation}) */
  dumps?: DumpLocation;
}

/** @default 5 */
export const DEFAULT_INSTRUCTIONS_WARMUP = 5;
/** Instructions a round aims at when `calls` is left out: about 0.1 s under callgrind here. */
export const TARGET_ROUND_INSTRUCTIONS = 10_000_000;
/** Most calls per round when `calls` is left out. */
export const MAX_AUTO_CALLS = 1_024;
/** @default 3 */
export const DEFAULT_INSTRUCTIONS_ROUNDS = 3;

/** Names accepted by {@link countInstructions}. */
export const COUNT_INSTRUCTIONS_OPTION_NAMES = ['warmup', 'calls', 'rounds', 'setup', 'teardown', 'addon', 'dumps'] as const;

/** What callgrind counted for one function. */
export interface InstructionCount {
  name: string;
  isAsync: boolean;
  warmupCalls: number;
  callsPerRound: number;
  /**
   * Instructions per call in each round, perfguard's own loop subtracted. Exact for
   * deterministic code; a tiny function can read a few instructions below zero.
   */
  instructionsPerCall: number[];
  /** Median of {@link instructionsPerCall}. */
  medianInstructionsPerCall: number;
  /** What the loop costs per call, read from an empty function of the same kind (sync or async); already subtracted. */
  overheadInstructionsPerCall: number;
  /** (max − min) / median of the rounds: 0 for deterministic code; above 0.001, something varies (time, randomness, I/O, GC). */
  roundSpread: number;
  elapsedMs: number;
}

interface ResolvedOptions {
  warmup: number;
  calls: number | undefined;
  rounds: number;
  setup: (() => unknown) | undefined;
  teardown: ((input: unknown) => unknown) | undefined;
  addon: CallgrindAddon | undefined;
  dumps: DumpLocation | undefined;
}

function optional<T>(value: unknown, check: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

function resolveOptions(options: unknown): ResolvedOptions {
  const record = assertKnownOptions(options, COUNT_INSTRUCTIONS_OPTION_NAMES, 'countInstructions');
  const count = (key: string, fix: string): number | undefined => optional(record[key], (v) => expectPositiveInteger(v, key, fix));
  return {
    warmup: count('warmup', 'Pass a number of warm-up calls such as 5 (at least 1: the first tells whether the function is async).') ?? DEFAULT_INSTRUCTIONS_WARMUP,
    calls: count('calls', 'Pass a number of calls per round such as 10, or leave it out to let the first counted call decide.'),
    rounds: count('rounds', 'Pass a number of rounds such as 3.') ?? DEFAULT_INSTRUCTIONS_ROUNDS,
    setup: optional(record['setup'], (v) => expectFunction<() => unknown>(v, 'setup', 'Pass a function that returns fresh input for each call.')),
    teardown: optional(record['teardown'], (v) => expectFunction<(input: unknown) => unknown>(v, 'teardown', 'Pass a function that cleans up after each call.')),
    addon: record['addon'] as CallgrindAddon | undefined,
    dumps: record['dumps'] as DumpLocation | undefined,
  };
}

/** A dump name no other benchmark, process or earlier run can have; one line, no control characters. */
function dumpPrefix(name: string): string {
  const printable = name.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').slice(0, 200);
  return `perfguard ${printable} ${process.pid}-${randomBytes(6).toString('hex')}`;
}

async function makeInputs(options: ResolvedOptions, calls: number): Promise<unknown[]> {
  const inputs = new Array<unknown>(calls).fill(undefined);
  if (options.setup === undefined) return inputs;
  for (let i = 0; i < calls; i++) inputs[i] = await options.setup();
  return inputs;
}

async function tearDown(options: ResolvedOptions, inputs: unknown[]): Promise<void> {
  if (options.teardown === undefined) return;
  for (const input of inputs) await options.teardown(input);
}

/** One call, uncounted: tells whether the function is async. */
async function probeCall(fn: (input: unknown) => unknown, options: ResolvedOptions): Promise<boolean> {
  const [input] = await makeInputs(options, 1);
  const result = fn(input);
  const isAsync = isThenable(result);
  if (isAsync) await result;
  await tearDown(options, [input]);
  return isAsync;
}

/** What every counted round of one benchmark shares. */
interface Session {
  name: string;
  addon: CallgrindAddon;
  gc: Collector;
  location: DumpLocation;
  /** Starts every dump name of this benchmark. */
  prefix: string;
  /** Rounds counted so far; numbers the dumps. */
  dumps: number;
}

/**
 * A dump name as a flat string of fixed length. The addon reads the name inside the counted
 * region, so a name built by concatenation would be flattened there, and names of different
 * lengths would cost different amounts to copy (a few hundred instructions in all).
 */
function nextDumpName(session: Session): string {
  session.dumps += 1;
  return Buffer.from(`${session.prefix} ${String(session.dumps).padStart(4, '0')}`).toString();
}

/** Runs `calls` uncounted calls through `runner`. */
async function runUncounted(runner: CountingRunner, options: ResolvedOptions, calls: number): Promise<void> {
  const inputs = await makeInputs(options, calls);
  await runner(inputs, undefined);
  await tearDown(options, inputs);
}

/**
 * One counted round: inputs made, young generation collected (so no scavenge falls in one
 * round and not the next), `calls` calls counted, the dump read back.
 * @returns instructions executed by the whole round, loop included
 */
async function countRound(session: Session, runner: CountingRunner, options: ResolvedOptions, calls: number): Promise<number> {
  const dumpName = nextDumpName(session);
  const inputs = await makeInputs(options, calls);
  session.gc.minor();
  await runner(inputs, dumpName);
  await tearDown(options, inputs);
  const total = collectDumps(session.location, new Set([dumpName])).get(dumpName);
  if (total === undefined) throw missingDumpError(session.name, session.location);
  return total;
}

/**
 * Calls per round when `calls` is left out, from one call's count: a power of two, so that
 * the small differences of a first call (its caches, its history) rarely change the choice,
 * and with it the share of a round's fixed costs each call carries.
 */
function autoCalls(instructionsPerCall: number): number {
  const ideal = TARGET_ROUND_INSTRUCTIONS / Math.max(instructionsPerCall, 1);
  return Math.min(MAX_AUTO_CALLS, Math.max(1, 2 ** Math.round(Math.log2(ideal))));
}

function missingDumpError(name: string, location: DumpLocation): InstructionsModeError {
  const launcherHint = process.env[CALLGRIND_DIR_ENV] === undefined
    ? ` ${CALLGRIND_DIR_ENV} is not set, so the dumps were looked for in Valgrind's default place. Launch with valgrindCommand() (or \`perfguard test --instructions\`), which sets it.`
    : '';
  return new InstructionsModeError(
    `countInstructions('${name}'): callgrind wrote no dump for this benchmark in ${location.dir}. Is the Valgrind tool callgrind (\`valgrind --tool=callgrind\`)?${launcherHint}`,
  );
}

async function requireValgrind(name: string, options: ResolvedOptions): Promise<CallgrindAddon> {
  const addon = options.addon ?? (await loadCallgrindAddon()).addon;
  if (addon.isRunningOnValgrind()) return addon;
  throw new InstructionsModeError(
    `countInstructions('${name}') counts instructions under Valgrind, and this process is not running under it. Launch it with \`perfguard test --instructions\` (or valgrindCommand()), or measure in the time mode.`,
  );
}

/**
 * Counts the instructions one call of `fn` executes, under Valgrind's callgrind. Warms up
 * uncounted, runs a full collection, turns instrumentation on, sizes the rounds from one
 * counted call, reads the loop's own cost from an empty function, then per round: collects
 * the young generation, zeroes the counters, runs `calls` calls, and dumps the counts under a
 * unique name, which it reads back from the dump files (see {@link CALLGRIND_DIR_ENV}) and
 * deletes. Async functions are awaited one after another (the await costs about 1,000
 * instructions per call, subtracted with the loop); whatever else the process runs meanwhile
 * (timers, I/O callbacks, other promises) is counted too, and shows in `roundSpread`.
 *
 * @throws InstructionsModeError when not running under Valgrind, or no dump can be found
 * @throws MeasurementError when `fn`, `setup` or `teardown` throws
 * @example
 * const count = await countInstructions(() => JSON.parse(text), 'parse_orders', { calls: 20 });
 * console.log(count.medianInstructionsPerCall);
 */
export async function countInstructions<TInput = undefined>(
  fn: (input: TInput) => unknown,
  name: string,
  options?: CountInstructionsOptions<TInput>,
): Promise<InstructionCount> {
  const measured = expectFunction<(input: unknown) => unknown>(fn, 'fn', 'Pass the function to count, such as () => work().');
  expectName(name, 'name', "Pass the benchmark's name, such as 'parse_orders'.");
  const resolved = resolveOptions(options);
  const addon = await requireValgrind(name, resolved);
  try {
    return await countAll(measured, name, resolved, addon);
  } catch (error) {
    if (isPerfguardError(error)) throw error;
    throw new MeasurementError(`countInstructions('${name}'): the function, its setup or its teardown threw: ${describeError(error)}. Nothing was counted.`, { cause: error });
  }
}

async function countAll(fn: (input: unknown) => unknown, name: string, options: ResolvedOptions, addon: CallgrindAddon): Promise<InstructionCount> {
  const startedAt = performance.now();
  const isAsync = await probeCall(fn, options);
  const runner = createCountingRunner(fn, addon, isAsync);
  const empty = createCountingRunner(isAsync ? () => Promise.resolve() : () => undefined, addon, isAsync);
  const bare = { ...options, setup: undefined, teardown: undefined };
  if (options.warmup > 1) await runUncounted(runner, options, options.warmup - 1);
  await runUncounted(empty, bare, options.warmup);
  const location = options.dumps ?? resolveDumpLocation(process.env, process.pid, process.cwd());
  const session: Session = { name, addon, gc: findGc(), location, prefix: dumpPrefix(name), dumps: 0 };
  session.gc.major();
  // Instrumentation stays on from here to the end: turning it on or off flushes Valgrind's
  // code cache, and all that runs next is translated again (about 0.3 s each time here).
  // Only what lies between a zeroing and its dump is counted.
  addon.startInstrumentation();
  try {
    // The first counted call of each loop also pays for first-time inline-cache misses on its
    // counted path (about 1,400 instructions): it only sizes the rounds.
    const firstCall = await countRound(session, runner, options, 1);
    const firstEmpty = await countRound(session, empty, bare, 1);
    const calls = options.calls ?? autoCalls(firstCall - firstEmpty);
    const overhead = await countRound(session, empty, bare, calls);
    const perCall: number[] = [];
    for (let r = 1; r <= options.rounds; r++) perCall.push(((await countRound(session, runner, options, calls)) - overhead) / calls);
    return summarize({ name, isAsync, warmupCalls: options.warmup, callsPerRound: calls }, perCall, overhead / calls, startedAt);
  } finally {
    addon.stopInstrumentation();
  }
}

function summarize(
  head: Pick<InstructionCount, 'name' | 'isAsync' | 'warmupCalls' | 'callsPerRound'>,
  perCall: number[],
  overheadPerCall: number,
  startedAt: number,
): InstructionCount {
  const middle = median(perCall);
  return {
    ...head,
    instructionsPerCall: perCall,
    medianInstructionsPerCall: middle,
    overheadInstructionsPerCall: overheadPerCall,
    roundSpread: middle === 0 ? 0 : (Math.max(...perCall) - Math.min(...perCall)) / Math.abs(middle),
    elapsedMs: performance.now() - startedAt,
  };
}
