import { randomUUID } from 'node:crypto';
import { assertKnownOptions, describeValue, expectFunction, expectName } from '../_options';
import type { ThresholdOverrides } from '../detector';
import { ConfigError, DuplicateNameError } from '../errors';
import { resolveStorePath, type SqliteStore } from '../store';
import { measureFunction } from '../tracker';
import type { BaselineEpoch, PerformanceReport, ReportNote, StoredBaseline } from '../types';
import { type CallerPlace, describeCaller } from './_caller';
import { type BenchmarkOptions, resolveBenchmarkOptions, type ResolvedBenchmarkOptions } from './benchmark-options';
import { buildReport, toStoredSamples } from './build-report';
import {
  describeBaseline,
  type DetectorOptions,
  type EnvironmentMismatchMode,
  PerformanceRegressionDetector,
} from './performance-regression-detector';
import { baselineAuthor, createRunRecord, currentRunId } from './run-context';
import { readUpdateBaselineFlag } from './update-baseline-flag';

/** Options of {@link PerformanceRegressionTester}. */
export interface TesterOptions {
  /** The store, or its path. @default PERFGUARD_DB, else baselines/perfguard.db under rootDir */
  store?: SqliteStore | string;
  /** Project root: relative store paths and reported places resolve against it. @default process.cwd() */
  rootDir?: string;
  /** A detector to judge with (its thresholds, confidence and store). */
  detector?: PerformanceRegressionDetector;
  /** Thresholds for this tester's own detector. */
  thresholds?: ThresholdOverrides;
  /** Confidence for this tester's own detector. @default 0.95 */
  confidence?: number;
  /** @default 'compare' */
  environmentMismatch?: EnvironmentMismatchMode;
  /** Measuring and judging defaults for every benchmark of this tester. */
  defaults?: BenchmarkOptions;
  /** Environment variables to read (UPDATE_PERFORMANCE_BASELINE, PERFGUARD_*). @default process.env */
  env?: NodeJS.ProcessEnv;
}

const TESTER_OPTION_NAMES = ['store', 'rootDir', 'detector', 'thresholds', 'confidence', 'environmentMismatch', 'defaults', 'env'] as const;

interface Attempt {
  name: string;
  options: ResolvedBenchmarkOptions;
  caller: CallerPlace;
  runId: string;
  isUpdate: boolean;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/**
 * Measures functions, judges them against their baselines and records everything in the
 * store. `benchmark` from the package is a tester with default settings.
 * @example
 * const tester = new PerformanceRegressionTester({ defaults: { iterations: 50 } });
 * const report = await tester.benchmark(() => sort(data), 'sort_1k');
 */
export class PerformanceRegressionTester {
  /** The detector verdicts come from. */
  readonly detector: PerformanceRegressionDetector;
  readonly rootDir: string;
  private readonly defaults: BenchmarkOptions;
  private readonly env: NodeJS.ProcessEnv;
  private readonly knownRuns = new Set<string>();

  constructor(options: TesterOptions = {}) {
    const record = assertKnownOptions(options, TESTER_OPTION_NAMES, 'PerformanceRegressionTester');
    this.rootDir = options.rootDir ?? process.cwd();
    this.env = options.env ?? process.env;
    this.defaults = options.defaults ?? {};
    resolveBenchmarkOptions(this.defaults, {}, 'PerformanceRegressionTester defaults');
    if (record['detector'] !== undefined && !(record['detector'] instanceof PerformanceRegressionDetector)) {
      throw new ConfigError(`\`detector\` must be a PerformanceRegressionDetector, received ${describeValue(record['detector'])}.`);
    }
    this.detector = options.detector ?? new PerformanceRegressionDetector(this.detectorOptions(options));
  }

  private detectorOptions(options: TesterOptions): DetectorOptions {
    const detectorOptions: DetectorOptions = {};
    if (options.thresholds !== undefined) detectorOptions.thresholds = options.thresholds;
    if (options.confidence !== undefined) detectorOptions.confidence = options.confidence;
    if (options.environmentMismatch !== undefined) detectorOptions.environmentMismatch = options.environmentMismatch;
    detectorOptions.store =
      typeof options.store === 'string' || options.store === undefined
        ? resolveStorePath({ path: options.store, rootDir: this.rootDir, env: this.env })
        : options.store;
    return detectorOptions;
  }

  /**
   * Measures `fn`, judges it against its baseline (or stores a new baseline under
   * `UPDATE_PERFORMANCE_BASELINE=true`) and records the result. A flagged benchmark is
   * measured once more and the second verdict stands. Rejects, recording nothing, if `fn`
   * throws.
   */
  async benchmark<TInput = undefined>(
    fn: (input: TInput) => unknown,
    name: string,
    options?: BenchmarkOptions<TInput>,
  ): Promise<PerformanceReport> {
    const stack = new Error().stack;
    return this.benchmarkAt(fn, name, options, describeCaller(stack, this.rootDir));
  }

  /** @internal `benchmark` with the caller already known (performanceTest captures it early). */
  async benchmarkAt<TInput>(
    fn: (input: TInput) => unknown,
    name: string,
    options: BenchmarkOptions<TInput> | undefined,
    caller: CallerPlace,
  ): Promise<PerformanceReport> {
    expectFunction(fn, 'fn', 'Pass the function to measure, such as () => work().');
    expectName(name, 'name', "Pass a name that identifies this benchmark, such as 'json_parse'.");
    const resolved = resolveBenchmarkOptions(options, this.defaults as BenchmarkOptions<TInput>);
    const isUpdate = readUpdateBaselineFlag(this.env);
    const runId = this.ensureRun();
    this.assertNameFree(runId, name, caller);
    const attempt: Attempt = { name, options: resolved as ResolvedBenchmarkOptions, caller, runId, isUpdate };
    const first = await this.measureOnce(fn as (input: unknown) => unknown, attempt, 1, []);
    if (first.status !== 'regression' || !resolved.retry || isUpdate) return first;
    const flagged = first.regressions.map((r) => `${r.metricType} ${r.regressionFactor.toFixed(2)}x ${r.severity}`).join(', ');
    return this.measureOnce(fn as (input: unknown) => unknown, attempt, 2, [
      { code: 'remeasured', message: `the first measurement was flagged (${flagged}); this second measurement decides` },
    ]);
  }

  private ensureRun(): string {
    const runId = currentRunId(this.env);
    if (!this.knownRuns.has(runId)) {
      this.detector.getStore().ensureRun(createRunRecord(runId, this.rootDir, this.env));
      this.knownRuns.add(runId);
    }
    return runId;
  }

  private assertNameFree(runId: string, name: string, caller: CallerPlace): void {
    const other = this.detector.getStore().placesOfTestInRun(runId, name).find((place) => place !== caller.place);
    if (other !== undefined) {
      throw new DuplicateNameError(
        `benchmark name '${name}' is used twice in this run: at ${other} and at ${caller.place}. Give each benchmark its own name.`,
      );
    }
  }

  private async measureOnce(
    fn: (input: unknown) => unknown,
    attempt: Attempt,
    attemptNumber: number,
    extraNotes: ReportNote[],
  ): Promise<PerformanceReport> {
    const { options } = attempt;
    const measurement = await measureFunction(fn, attempt.name, options.measureOptions);
    const samples = toStoredSamples(measurement);
    const environmentKey = measurement.environment.key;
    const judged = this.judge(attempt, samples, environmentKey);
    const report = buildReport(measurement, {
      verdicts: judged.verdicts,
      ...(attempt.isUpdate ? { status: 'baseline-updated' as const } : {}),
      baseline: judged.baseline === undefined ? null : describeBaseline(judged.baseline, environmentKey),
      notes: [...judged.notes, ...extraNotes],
      metadata: options.metadata,
      attempt: attemptNumber,
      place: attempt.caller.place,
      testFile: attempt.caller.testFile,
      runId: attempt.runId,
      confidence: options.confidence ?? this.detector.confidence,
    });
    const resultId = randomUUID();
    const epoch = judged.epochReason === undefined ? undefined : this.newEpoch(attempt, environmentKey, resultId, judged.epochReason);
    this.detector.getStore().insertResult(
      {
        id: resultId,
        runId: attempt.runId,
        testName: attempt.name,
        attempt: attemptNumber,
        createdAt: new Date().toISOString(),
        status: report.status,
        environmentKey,
        report,
        samples,
      },
      epoch,
    );
    return report;
  }

  private judge(attempt: Attempt, samples: ReturnType<typeof toStoredSamples>, environmentKey: string) {
    const { options } = attempt;
    const overrides = { thresholds: options.thresholds, confidence: options.confidence };
    const notes: ReportNote[] = [];
    if (attempt.isUpdate) {
      const reason = nonEmpty(this.env['PERFGUARD_BASELINE_REASON']) ?? 'UPDATE_PERFORMANCE_BASELINE';
      return { verdicts: this.detector.judge(samples, undefined, overrides), baseline: undefined, notes, epochReason: reason };
    }
    const baseline: StoredBaseline | undefined = this.detector.findBaseline(
      attempt.name,
      environmentKey,
      options.environmentMismatch ?? this.detector.environmentMismatch,
    );
    if (baseline === undefined) {
      const establish = options.saveFirstBaseline;
      if (establish) notes.push({ code: 'baseline-established', message: 'no baseline yet: this measurement is stored as the first one' });
      return { verdicts: this.detector.judge(samples, undefined, overrides), baseline, notes, epochReason: establish ? 'first measurement' : undefined };
    }
    if (baseline.epoch.environmentKey !== environmentKey) {
      notes.push({
        code: 'environment-mismatch',
        message: `the baseline was measured on another environment (${baseline.epoch.environmentKey}; this one is ${environmentKey}): figures may differ for that reason alone`,
      });
    }
    return { verdicts: this.detector.judge(samples, baseline.result.samples, overrides), baseline, notes, epochReason: undefined };
  }

  private newEpoch(attempt: Attempt, environmentKey: string, resultId: string, reason: string): BaselineEpoch {
    const run = this.detector.getStore().getRun(attempt.runId);
    return {
      id: randomUUID(),
      testName: attempt.name,
      environmentKey,
      createdAt: new Date().toISOString(),
      commit: run?.commit ?? null,
      reason,
      createdBy: baselineAuthor(this.env),
      resultId,
      isDeleted: false,
    };
  }

  /** Closes the store if this tester's detector opened it. */
  close(): void {
    this.detector.close();
  }
}
