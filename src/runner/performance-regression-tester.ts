import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { assertKnownOptions, describeValue, expectFunction, expectName } from '../_options';
import { MACHINE_SLOWDOWN_GUARD, type ThresholdOverrides } from '../detector';
import { ConfigError, describeError, DuplicateNameError, MeasurementError } from '../errors';
import { resolveStorePath, type SqliteStore } from '../store';
import { DEFAULT_WARMUP_TIME_MS, type Measurement, measureFunction, recordCpuProfile, startSingleRun } from '../tracker';
import type { BaselineEpoch, PerformanceReport, ReportNote, StoredBaseline, StoredSamples } from '../types';
import { type CallerPlace, describeCaller } from './_caller';
import { type BenchmarkOptions, resolveBenchmarkOptions, type ResolvedBenchmarkOptions } from './benchmark-options';
import { buildReport, toStoredSamples } from './build-report';
import { MeasureBlock } from './measure-block';
import {
  describeBaseline,
  type DetectorOptions,
  machineFactorOf,
  type MachineProbes,
  memoryFactorOf,
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
  /** Folder for CPU profiles (`profile` option). @default PERFGUARD_PROFILE_DIR, else perfguard-reports/profiles under rootDir */
  profileDir?: string;
}

const TESTER_OPTION_NAMES = [
  'store',
  'rootDir',
  'detector',
  'thresholds',
  'confidence',
  'environmentMismatch',
  'defaults',
  'env',
  'profileDir',
] as const;

/** Most earlier single runs a `measure` is judged against. */
const SINGLE_RUN_POOL = 50;
/** Recent accepted runs whose spread a slowdown must exceed. */
const RECENT_RUNS = 10;
/** The confirming re-measurement warms up this many times longer, so transient state settles. */
const CONFIRMATION_WARMUP_FACTOR = 10;
/** From this memory-loop factor on, a report says the caches were busier than for the baseline. */
const BUSY_MEMORY_NOTE = 1.5;

interface Attempt {
  name: string;
  options: ResolvedBenchmarkOptions;
  caller: CallerPlace;
  runId: string;
  isUpdate: boolean;
  /** The function, for profiling; undefined for the block form of `measure`. */
  fn: ((input: unknown) => unknown) | undefined;
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
  private readonly profileDir: string;

  constructor(options: TesterOptions = {}) {
    const record = assertKnownOptions(options, TESTER_OPTION_NAMES, 'PerformanceRegressionTester');
    this.rootDir = options.rootDir ?? process.cwd();
    this.env = options.env ?? process.env;
    this.defaults = options.defaults ?? {};
    this.profileDir = path.resolve(
      this.rootDir,
      options.profileDir ?? nonEmpty(this.env['PERFGUARD_PROFILE_DIR']) ?? path.join('perfguard-reports', 'profiles'),
    );
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
   * measured once more, after a ten times longer warm-up, and the second verdict stands.
   * Rejects, recording nothing, if `fn` throws.
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
    const measured = fn as (input: unknown) => unknown;
    const attempt: Attempt = { name, options: resolved as ResolvedBenchmarkOptions, caller, runId, isUpdate, fn: measured };
    const measureOptions = resolved.measureOptions as BenchmarkOptions;
    const first = await this.record(await measureFunction(measured, name, measureOptions), attempt, 1, []);
    if (first.status !== 'regression' || !resolved.retry || isUpdate) return first;
    const flagged = first.regressions.map((r) => `${r.metricType} ${r.regressionFactor.toFixed(2)}x ${r.severity}`).join(', ');
    return this.record(await measureFunction(measured, name, confirmationOptions(measureOptions)), attempt, 2, [
      { code: 'remeasured', message: `the first measurement was flagged (${flagged}); this second measurement decides` },
    ]);
  }

  /**
   * Measures one run of a piece of code, judges it and records it.
   * - `measure(name, fn)`: runs `fn` once (awaiting it) and resolves to the report; if `fn`
   *   throws, rejects and records nothing.
   * - `measure(name)`: returns a block handle for `using` / `await using`; the run ends, and
   *   is recorded, when the block exits (or at `end()`).
   *
   * A single run is judged against the single runs recorded since its baseline (up to 50),
   * so it can prove a slowdown only once some history exists; until then it is at most
   * `inconclusive`. Use `benchmark` for repeatable, gating figures.
   * @example
   * { await using m = tester.measure('database_query'); await db.query('...'); }
   */
  measure(name: string): MeasureBlock;
  measure(name: string, fn: () => unknown): Promise<PerformanceReport>;
  measure(name: string, fn?: () => unknown): MeasureBlock | Promise<PerformanceReport> {
    const caller = describeCaller(new Error().stack, this.rootDir);
    return this.measureAt(name, fn, caller);
  }

  /** @internal `measure` with the caller already known. */
  measureAt(name: string, fn: (() => unknown) | undefined, caller: CallerPlace): MeasureBlock | Promise<PerformanceReport> {
    expectName(name, 'name', "Pass a name that identifies this measurement, such as 'database_query'.");
    if (fn !== undefined) expectFunction(fn, 'fn', 'Pass the code to measure as a function, or use the block form: await using m = tester.measure(name).');
    const attempt: Attempt = {
      name,
      options: resolveBenchmarkOptions({}, {}, 'measure'),
      caller,
      runId: this.ensureRun(),
      isUpdate: readUpdateBaselineFlag(this.env),
      fn: undefined,
    };
    this.assertNameFree(attempt.runId, name, caller);
    const run = startSingleRun(name, this.defaults.clock);
    const finish = (): PerformanceReport => this.recordSync(run.stop(), attempt);
    if (fn === undefined) return new MeasureBlock(name, finish);
    return (async () => {
      try {
        await fn();
      } catch (error) {
        throw new MeasurementError(
          `measure '${name}': the measured code threw, so nothing was recorded: ${describeError(error)}`,
          { cause: error },
        );
      }
      return finish();
    })();
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

  /** Judges a measurement, writes its CPU profile if asked, and stores it. */
  private async record(measurement: Measurement, attempt: Attempt, attemptNumber: number, extraNotes: ReportNote[]): Promise<PerformanceReport> {
    const prepared = this.prepare(measurement, attempt, attemptNumber, extraNotes);
    const { profile } = attempt.options;
    if (attempt.fn !== undefined && (profile === true || (profile === 'on-regression' && prepared.report.status === 'regression'))) {
      const file = path.join(this.profileDir, `${safeFileName(attempt.name)}-${Date.now()}.cpuprofile`);
      const fn = attempt.fn;
      prepared.report.profilePath = await recordCpuProfile(() => fn(undefined), file);
      prepared.report.notes.push({ code: 'profile-written', message: `CPU profile written to ${file} (open it in Chrome DevTools)` });
    }
    return this.store(prepared);
  }

  private recordSync(measurement: Measurement, attempt: Attempt): PerformanceReport {
    return this.store(this.prepare(measurement, attempt, 1, []));
  }

  private prepare(measurement: Measurement, attempt: Attempt, attemptNumber: number, extraNotes: ReportNote[]) {
    const samples = toStoredSamples(measurement);
    const environmentKey = measurement.environment.key;
    const judged = this.judge(attempt, samples, environmentKey, measurement);
    const report = buildReport(measurement, {
      verdicts: judged.verdicts,
      ...(attempt.isUpdate ? { status: 'baseline-updated' as const } : {}),
      baseline: judged.baseline === undefined ? null : describeBaseline(judged.baseline, environmentKey),
      notes: [...judged.notes, ...extraNotes],
      metadata: attempt.options.metadata,
      attempt: attemptNumber,
      place: attempt.caller.place,
      testFile: attempt.caller.testFile,
      runId: attempt.runId,
      confidence: attempt.options.confidence ?? this.detector.confidence,
    });
    return { report, samples, environmentKey, attempt, epochReason: judged.epochReason };
  }

  private store(prepared: ReturnType<PerformanceRegressionTester['prepare']>): PerformanceReport {
    const { report, samples, environmentKey, attempt, epochReason } = prepared;
    const resultId = randomUUID();
    const epoch = epochReason === undefined ? undefined : this.newEpoch(attempt, environmentKey, resultId, epochReason);
    this.detector.getStore().insertResult(
      {
        id: resultId,
        runId: attempt.runId,
        testName: attempt.name,
        attempt: report.attempt,
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

  /** For a single run: the baseline's sample plus the accepted single runs since it. */
  private pooledSamples(attempt: Attempt, baseline: StoredBaseline, environmentKey: string): StoredSamples {
    const pool = this.detector
      .getStore()
      .acceptedResultsSince(attempt.name, environmentKey, baseline.result.createdAt, SINGLE_RUN_POOL)
      .filter((result) => result.id !== baseline.result.id);
    const all = [baseline.result, ...pool];
    return {
      durationNs: all.flatMap((result) => result.samples.durationNs),
      heapDeltaBytes: all.flatMap((result) => result.samples.heapDeltaBytes),
      cpuPercent: all.flatMap((result) => result.samples.cpuPercent),
    };
  }

  private judge(attempt: Attempt, samples: StoredSamples, environmentKey: string, probes: MachineProbes) {
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
    const machineFactor = machineFactorOf(probes, baseline.result.report);
    if (machineFactor !== undefined && machineFactor >= MACHINE_SLOWDOWN_GUARD) {
      notes.push({
        code: 'machine-slower',
        message: `the machine ran ${machineFactor.toFixed(2)}x slower than when the baseline was measured (perfguard's integer reference loop): a slowdown it explains is not called a regression`,
      });
    }
    const memoryFactor = memoryFactorOf(probes, baseline.result.report);
    if (memoryFactor !== undefined && memoryFactor >= BUSY_MEMORY_NOTE) {
      notes.push({
        code: 'memory-busy',
        message: `perfguard's memory reference loop ran ${memoryFactor.toFixed(2)}x slower than for the baseline: other processes were thrashing the shared caches, which slows code that allocates or walks large data (not CPU-bound code, so the verdict does not allow for it); rerun to be sure`,
      });
    }
    const isSingleRun = attempt.fn === undefined && samples.durationNs.length === 1;
    const against = isSingleRun ? this.pooledSamples(attempt, baseline, environmentKey) : baseline.result.samples;
    const recentRunCentres = isSingleRun ? undefined : this.recentRunCentres(attempt, baseline, environmentKey);
    return { verdicts: this.detector.judge(samples, against, { ...overrides, machineFactor, recentRunCentres }), baseline, notes, epochReason: undefined };
  }

  /** Median durations of the accepted runs since the baseline (other runs than this one). */
  private recentRunCentres(attempt: Attempt, baseline: StoredBaseline, environmentKey: string): number[] {
    return this.detector
      .getStore()
      .acceptedResultsSince(attempt.name, environmentKey, baseline.result.createdAt, RECENT_RUNS)
      .filter((result) => result.runId !== attempt.runId)
      .map((result) => result.report.duration.median);
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

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'benchmark';
}

/** The confirming measurement: the same, with a much longer warm-up unless a warm-up count was fixed. */
function confirmationOptions(options: BenchmarkOptions): BenchmarkOptions {
  if (options.warmup !== undefined) return options;
  return { ...options, warmupTime: (options.warmupTime ?? DEFAULT_WARMUP_TIME_MS) * CONFIRMATION_WARMUP_FACTOR };
}
