import { assertKnownOptions, expectConfidence, expectOneOf, expectPositiveInteger } from '../_options';
import { resolveThresholds, type ThresholdOverrides } from '../detector';
import { ConfigError } from '../errors';
import type { MeasuringMode } from '../types';
import { MEASURE_OPTION_NAMES, type MeasureOptions, resolveMeasureOptions, type ResolvedMeasureOptions } from '../tracker';
import type { EnvironmentMismatchMode } from './current-run';

/** Options of `benchmark` and `tester.benchmark`: measuring options plus judging options. */
export interface BenchmarkOptions<TInput = unknown> extends MeasureOptions<TInput> {
  /** Free-form facts stored with the result and shown in reports, such as `{ inputSize: 1000 }`. */
  metadata?: Record<string, unknown>;
  /** Per-metric threshold overrides for this benchmark. */
  thresholds?: ThresholdOverrides;
  /** Evidence level a slowdown needs. @default 0.95 */
  confidence?: number;
  /** @default 'compare' */
  environmentMismatch?: EnvironmentMismatchMode;
  /**
   * Runs (processes) a verdict rests on when more evidence is needed: a first run that looks
   * slower, or a new baseline, is measured again in `rounds − 1` fresh processes (the test
   * alone in a child Jest process; outside Jest, the script again), and the verdict or the
   * baseline uses them all. 1 measures once. @default PERFGUARD_ROUNDS, else 3
   */
  rounds?: number;
  /** `false` is `rounds: 1`: never measure again in fresh processes. @default true */
  retry?: boolean;
  /**
   * How to measure: `'time'` (wall clock, everywhere) or `'instructions'` (instructions per
   * call counted under Valgrind: exact, Linux only; see `perfguard test --instructions`).
   * Baselines are kept per mode. @default PERFGUARD_MODE, else 'time'
   */
  mode?: MeasuringMode;
  /** With no baseline yet, store this measurement as the first one. @default true */
  saveFirstBaseline?: boolean;
  /**
   * Write a V8 CPU profile of the measured function (openable in Chrome DevTools): `true`
   * always, `'on-regression'` only when a regression is reported. @default false
   */
  profile?: boolean | 'on-regression';
}

/** Options of `measure` (one run of a piece of code): the judging options of `benchmark`, and a clock for tests. */
export type SingleRunOptions = Pick<
  BenchmarkOptions,
  'metadata' | 'thresholds' | 'confidence' | 'environmentMismatch' | 'rounds' | 'retry' | 'saveFirstBaseline' | 'clock'
>;

/** Every option name `measure` accepts. */
export const SINGLE_RUN_OPTION_NAMES = ['metadata', 'thresholds', 'confidence', 'environmentMismatch', 'rounds', 'retry', 'saveFirstBaseline', 'clock'] as const;

/** Options after validation. */
export interface ResolvedBenchmarkOptions<TInput = unknown> {
  measure: ResolvedMeasureOptions<TInput>;
  measureOptions: MeasureOptions<TInput>;
  metadata: Record<string, unknown>;
  thresholds: ThresholdOverrides | undefined;
  confidence: number | undefined;
  environmentMismatch: EnvironmentMismatchMode | undefined;
  /** Runs a flagged verdict or a new baseline rests on; undefined to take PERFGUARD_ROUNDS, else the default. */
  rounds: number | undefined;
  /** How to measure; undefined to take PERFGUARD_MODE, else time. */
  mode: MeasuringMode | undefined;
  retry: boolean;
  saveFirstBaseline: boolean;
  profile: false | true | 'on-regression';
}

/** Every option name `benchmark` accepts. */
export const BENCHMARK_OPTION_NAMES = [
  ...MEASURE_OPTION_NAMES,
  'metadata',
  'thresholds',
  'confidence',
  'environmentMismatch',
  'rounds',
  'retry',
  'mode',
  'saveFirstBaseline',
  'profile',
] as const;

/** Runs a flagged verdict or a new baseline rests on when nothing else is said. @default 3 */
export const DEFAULT_ROUNDS = 3;

/** Runs a verdict may rest on: a whole number from 1 (measure once) up. */
export function expectRounds(value: unknown, name: string): number {
  return expectPositiveInteger(value, name, 'Pass how many runs (processes) a flagged verdict or a new baseline rests on, such as 3; 1 measures once.');
}

function expectBoolean(value: unknown, name: string): boolean {
  return expectOneOf(value, [true, false] as const, name);
}

function expectMetadata(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('`metadata` must be a plain object such as { inputSize: 1000 }.');
  }
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new ConfigError('`metadata` must be JSON-serialisable (no cycles, no BigInt), since it is stored with the result.', { cause: error });
  }
  return value as Record<string, unknown>;
}

/** Checks overrides against the defaults at entry; the detector re-checks them on its own thresholds. */
function checkThresholds(value: unknown): ThresholdOverrides | undefined {
  if (value === undefined) return undefined;
  resolveThresholds(value as ThresholdOverrides);
  return value as ThresholdOverrides;
}

function measuringPart<TInput>(record: Record<string, unknown>): MeasureOptions<TInput> {
  const part: Record<string, unknown> = {};
  for (const name of MEASURE_OPTION_NAMES) if (record[name] !== undefined) part[name] = record[name];
  return part;
}

/**
 * Validates benchmark options where they enter, on top of `defaults` (a tester's), so a
 * typo such as `iteratons` is refused before anything runs.
 */
export function resolveBenchmarkOptions<TInput>(
  options: BenchmarkOptions<TInput> | undefined,
  defaults: BenchmarkOptions<TInput> = {},
  where = 'benchmark',
): ResolvedBenchmarkOptions<TInput> {
  const own = assertKnownOptions(options, BENCHMARK_OPTION_NAMES, where);
  const record: Record<string, unknown> = { ...(defaults as Record<string, unknown>), ...own };
  const measureOptions = measuringPart<TInput>(record);
  return {
    measure: resolveMeasureOptions(measureOptions, where, MEASURE_OPTION_NAMES),
    measureOptions,
    metadata: record['metadata'] === undefined ? {} : expectMetadata(record['metadata']),
    thresholds: checkThresholds(record['thresholds']),
    confidence: record['confidence'] === undefined ? undefined : expectConfidence(record['confidence']),
    environmentMismatch:
      record['environmentMismatch'] === undefined
        ? undefined
        : expectOneOf(record['environmentMismatch'], ['compare', 'skip'] as const, 'environmentMismatch'),
    rounds: record['rounds'] === undefined ? undefined : expectRounds(record['rounds'], 'rounds'),
    retry: record['retry'] === undefined ? true : expectBoolean(record['retry'], 'retry'),
    mode: record['mode'] === undefined ? undefined : expectOneOf(record['mode'], ['time', 'instructions'] as const, 'mode'),
    saveFirstBaseline: record['saveFirstBaseline'] === undefined ? true : expectBoolean(record['saveFirstBaseline'], 'saveFirstBaseline'),
    profile: record['profile'] === undefined ? false : expectOneOf(record['profile'], [true, false, 'on-regression'] as const, 'profile'),
  };
}
