import { assertKnownOptions, expectOneOf } from '../_options';
import { resolveThresholds, type ThresholdOverrides } from '../detector';
import { ConfigError } from '../errors';
import { MEASURE_OPTION_NAMES, type MeasureOptions, resolveMeasureOptions, type ResolvedMeasureOptions } from '../tracker';
import { type EnvironmentMismatchMode, expectConfidence } from './performance-regression-detector';

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
   * Measure a flagged benchmark once more and keep the second verdict, so a passing hiccup
   * of the machine does not fail the test. Both measurements stay in history. @default true
   */
  retry?: boolean;
  /** With no baseline yet, store this measurement as the first one. @default true */
  saveFirstBaseline?: boolean;
  /**
   * Write a V8 CPU profile of the measured function (openable in Chrome DevTools): `true`
   * always, `'on-regression'` only when a regression is reported. @default false
   */
  profile?: boolean | 'on-regression';
}

/** Options after validation. */
export interface ResolvedBenchmarkOptions<TInput = unknown> {
  measure: ResolvedMeasureOptions<TInput>;
  measureOptions: MeasureOptions<TInput>;
  metadata: Record<string, unknown>;
  thresholds: ThresholdOverrides | undefined;
  confidence: number | undefined;
  environmentMismatch: EnvironmentMismatchMode | undefined;
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
  'retry',
  'saveFirstBaseline',
  'profile',
] as const;

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
    retry: record['retry'] === undefined ? true : expectBoolean(record['retry'], 'retry'),
    saveFirstBaseline: record['saveFirstBaseline'] === undefined ? true : expectBoolean(record['saveFirstBaseline'], 'saveFirstBaseline'),
    profile: record['profile'] === undefined ? false : expectOneOf(record['profile'], [true, false, 'on-regression'] as const, 'profile'),
  };
}
