import {
  assertKnownOptions,
  expectFunction,
  expectNonNegativeInteger,
  expectPositiveInteger,
  expectPositiveNumber,
} from '../_options';
import { ConfigError } from '../errors';
import type { Clock } from './clock';

/** How a function is measured. Every field is optional. */
export interface MeasureOptions<TInput = unknown> {
  /** Fixed number of samples. When left out, sampling runs for `time`. */
  iterations?: number;
  /** Sampling time budget in milliseconds, when `iterations` is not given. @default 1000 */
  time?: number;
  /** Fewest samples the time budget may end on. @default 10 */
  minSamples?: number;
  /**
   * Most samples the time budget may take; a sample lasts at least `time / maxSamples`
   * (100 µs by default), so calls shorter than that are batched. @default 10000
   */
  maxSamples?: number;
  /** Number of warm-up calls. When left out, warm-up runs for `warmupTime`. */
  warmup?: number;
  /** Warm-up time in milliseconds, when `warmup` is not given. @default 100 */
  warmupTime?: number;
  /**
   * Runs before every sample, untimed; its result is passed to the measured function.
   * With `setup`, every sample is one call (no batching), since each needs fresh input.
   */
  setup?: () => TInput | Promise<TInput>;
  /** Runs after every sample, untimed, with the sample's input. */
  teardown?: (input: TInput) => unknown;
  /** Clock to read; tests inject one. @default process.hrtime.bigint */
  clock?: Clock;
}

/** Measuring options after validation, with defaults filled in. */
export interface ResolvedMeasureOptions<TInput = unknown> {
  iterations: number | undefined;
  timeMs: number;
  minSamples: number;
  maxSamples: number;
  warmupCalls: number | undefined;
  warmupTimeMs: number;
  setup: (() => TInput | Promise<TInput>) | undefined;
  teardown: ((input: TInput) => unknown) | undefined;
  clock: Clock | undefined;
}

/** @default 1000 */
export const DEFAULT_TIME_MS = 1000;
/** @default 10 */
export const DEFAULT_MIN_SAMPLES = 10;
/** @default 10000 */
export const DEFAULT_MAX_SAMPLES = 10_000;
/** @default 100 */
export const DEFAULT_WARMUP_TIME_MS = 100;

/** Names accepted by {@link resolveMeasureOptions}. */
export const MEASURE_OPTION_NAMES = [
  'iterations',
  'time',
  'minSamples',
  'maxSamples',
  'warmup',
  'warmupTime',
  'setup',
  'teardown',
  'clock',
] as const;

function optional<T>(value: unknown, check: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/** Validates measuring options where they enter and fills in the defaults. */
export function resolveMeasureOptions<TInput>(
  options: MeasureOptions<TInput> | undefined,
  where = 'measure',
  known: readonly string[] = MEASURE_OPTION_NAMES,
): ResolvedMeasureOptions<TInput> {
  const record = assertKnownOptions(options, known, where);
  const iterations = optional(record['iterations'], (v) =>
    expectPositiveInteger(v, 'iterations', 'Pass a whole number of samples such as 20, or leave it out to sample for `time` ms.'),
  );
  const timeMs = optional(record['time'], (v) =>
    expectPositiveNumber(v, 'time', 'Pass a sampling budget in milliseconds such as 1000.'),
  );
  const minSamples = optional(record['minSamples'], (v) =>
    expectPositiveInteger(v, 'minSamples', 'Pass the fewest samples to take, such as 10.'),
  );
  const maxSamples = optional(record['maxSamples'], (v) =>
    expectPositiveInteger(v, 'maxSamples', 'Pass the most samples to take, such as 10000.'),
  );
  const warmupCalls = optional(record['warmup'], (v) =>
    expectNonNegativeInteger(v, 'warmup', 'Pass a number of warm-up calls such as 10, 0 to skip warm-up, or leave it out to warm up for `warmupTime` ms.'),
  );
  const warmupTimeMs = optional(record['warmupTime'], (v) =>
    expectPositiveNumber(v, 'warmupTime', 'Pass a warm-up time in milliseconds such as 100.'),
  );
  const resolved: ResolvedMeasureOptions<TInput> = {
    iterations,
    timeMs: timeMs ?? DEFAULT_TIME_MS,
    minSamples: minSamples ?? DEFAULT_MIN_SAMPLES,
    maxSamples: maxSamples ?? DEFAULT_MAX_SAMPLES,
    warmupCalls,
    warmupTimeMs: warmupTimeMs ?? DEFAULT_WARMUP_TIME_MS,
    setup: optional(record['setup'], (v) => expectFunction(v, 'setup', 'Pass a function that returns fresh input for each sample.')),
    teardown: optional(record['teardown'], (v) => expectFunction(v, 'teardown', 'Pass a function that cleans up after each sample.')),
    clock: optional(record['clock'], expectClock),
  };
  if (resolved.minSamples > resolved.maxSamples) {
    throw new ConfigError(
      `\`minSamples\` (${resolved.minSamples}) must not exceed \`maxSamples\` (${resolved.maxSamples}). Raise \`maxSamples\` or lower \`minSamples\`.`,
    );
  }
  return resolved;
}

function expectClock(value: unknown): Clock {
  if (typeof value !== 'object' || value === null || typeof (value as Clock).now !== 'function') {
    throw new ConfigError('`clock` must be an object with a now() method returning nanoseconds as a bigint.');
  }
  return value as Clock;
}
