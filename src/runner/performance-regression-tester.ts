import path from 'node:path';
import { assertKnownOptions, describeValue, expectFunction, expectName, nonEmptyEnv } from '../_options';
import type { ThresholdOverrides } from '../detector';
import { ConfigError, describeError, MeasurementError } from '../errors';
import { isPerfguardStore, openStore, type PerfguardStore, resolveStorePath } from '../store';
import { countInstructions, DEFAULT_INSTRUCTIONS_WARMUP, type Measurement, measureFunction, startSingleRun } from '../tracker';
import { measurementOfCount } from './instructions-step';
import type { PerformanceReport } from '../types';
import { type CallerPlace, describeCaller } from './_caller';
import {
  type BenchmarkOptions,
  resolveBenchmarkOptions,
  type ResolvedBenchmarkOptions,
  SINGLE_RUN_OPTION_NAMES,
  type SingleRunOptions,
} from './benchmark-options';
import { CurrentRun, type EnvironmentMismatchMode } from './current-run';
import type { RoundRunner } from './fresh-process-rounds';
import { MeasureBlock } from './measure-block';
import { PerformanceRegressionDetector } from './performance-regression-detector';
import { type PipelineRequest, runPipeline } from './pipeline';
import { pipelineRequest, roundsFromEnv, runOnce, type SettingsSource, timeRounds } from './pipeline-request';
import { measureAsRound } from './round-child';
import { readRoundRole } from './round-protocol';
import { currentRunId } from './run-context';

/** Options of {@link PerformanceRegressionTester}. */
export interface TesterOptions {
  /**
   * The store: an opened one (a SqliteStore or a PostgresStore, which stays open: its opener
   * closes it), a file path, or a `postgres://` URL. @default PERFGUARD_DB, else baselines/perfguard.db under rootDir
   */
  store?: PerfguardStore | string;
  /** Project root: relative store paths and reported places resolve against it. @default process.cwd() */
  rootDir?: string;
  /** A detector to judge with (its thresholds, confidence and environment rule). */
  detector?: PerformanceRegressionDetector;
  /** Thresholds for this tester's own detector. */
  thresholds?: ThresholdOverrides;
  /** Confidence for this tester's own detector. @default 0.95 */
  confidence?: number;
  /** @default 'compare' */
  environmentMismatch?: EnvironmentMismatchMode;
  /** Measuring and judging defaults for every benchmark and measurement of this tester. */
  defaults?: BenchmarkOptions;
  /** Environment variables to read (UPDATE_PERFORMANCE_BASELINE, PERFGUARD_*). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Folder for CPU profiles (`profile` option). @default PERFGUARD_PROFILE_DIR, else perfguard-reports/profiles under rootDir */
  profileDir?: string;
  /** @internal Starts fresh-process rounds; tests plant their own, or null for none. */
  roundRunner?: RoundRunner | null;
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
  'roundRunner',
] as const;

/**
 * Measures functions, judges them against their baselines and records everything in the
 * store. `benchmark` from the package is a tester with default settings.
 * @example
 * const tester = new PerformanceRegressionTester({ defaults: { iterations: 50 } });
 * const report = await tester.benchmark(() => sort(data), 'sort_1k');
 */
export class PerformanceRegressionTester {
  /** The detector verdicts come from: its thresholds, confidence and environment rule. */
  readonly detector: PerformanceRegressionDetector;
  readonly rootDir: string;
  private readonly defaults: BenchmarkOptions;
  private readonly env: NodeJS.ProcessEnv;
  private readonly profileDir: string;
  private readonly storeOption: PerfguardStore | string | undefined;
  private readonly roundRunner: RoundRunner | null | undefined;
  private store: Promise<PerfguardStore> | undefined;
  private run: Promise<CurrentRun> | undefined;

  constructor(options: TesterOptions = {}) {
    const record = assertKnownOptions(options, TESTER_OPTION_NAMES, 'PerformanceRegressionTester');
    this.rootDir = options.rootDir ?? process.cwd();
    this.env = options.env ?? process.env;
    this.defaults = options.defaults ?? {};
    this.storeOption = options.store;
    this.roundRunner = options.roundRunner;
    this.profileDir = path.resolve(
      this.rootDir,
      options.profileDir ?? nonEmptyEnv(this.env['PERFGUARD_PROFILE_DIR']) ?? path.join('perfguard-reports', 'profiles'),
    );
    resolveBenchmarkOptions(this.defaults, {}, 'PerformanceRegressionTester defaults');
    if (record['store'] !== undefined && typeof record['store'] !== 'string' && !isPerfguardStore(record['store'])) {
      throw new ConfigError(`\`store\` must be a store path, a postgres:// URL, or an opened SqliteStore or PostgresStore, received ${describeValue(record['store'])}.`);
    }
    if (record['detector'] !== undefined && !(record['detector'] instanceof PerformanceRegressionDetector)) {
      throw new ConfigError(`\`detector\` must be a PerformanceRegressionDetector, received ${describeValue(record['detector'])}.`);
    }
    this.detector =
      options.detector ??
      new PerformanceRegressionDetector({
        ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
        ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
        ...(options.environmentMismatch === undefined ? {} : { environmentMismatch: options.environmentMismatch }),
        // The tester's own store, so detector.getBaseline reads what benchmark writes.
        store: isPerfguardStore(this.storeOption) ? this.storeOption : resolveStorePath({ path: this.storeOption, rootDir: this.rootDir, env: this.env }),
      });
    roundsFromEnv(this.env);
  }

  /**
   * Measures `fn`, judges it against its baseline (or founds a new baseline under
   * `UPDATE_PERFORMANCE_BASELINE=true`) and records the result. A first run that looks
   * slower is measured again in fresh processes (`rounds`) and the verdict rests on all of
   * them. Rejects, recording nothing, if `fn` throws.
   */
  async benchmark<TInput = undefined>(fn: (input: TInput) => unknown, name: string, options?: BenchmarkOptions<TInput>): Promise<PerformanceReport> {
    const stack = new Error().stack;
    return this.benchmarkAt(fn, name, options, describeCaller(stack, this.rootDir));
  }

  /** @internal `benchmark` with the caller already known (performanceTest captures it early). */
  async benchmarkAt<TInput>(fn: (input: TInput) => unknown, name: string, options: BenchmarkOptions<TInput> | undefined, caller: CallerPlace): Promise<PerformanceReport> {
    expectFunction(fn, 'fn', 'Pass the function to measure, such as () => work().');
    expectName(name, 'name', "Pass a name that identifies this benchmark, such as 'json_parse'.");
    const resolved = resolveBenchmarkOptions(options, this.defaults as BenchmarkOptions<TInput>) as ResolvedBenchmarkOptions;
    const measured = fn as (input: unknown) => unknown;
    const role = readRoundRole(this.env);
    if (role !== undefined) {
      return measureAsRound(role, name, () => measureFunction(measured, name, resolved.measureOptions), () => runOnce(measured, name, resolved));
    }
    const request = pipelineRequest(name, caller, resolved, this.settingsSource());
    if (request.mode === 'instructions') return this.countAt(measured, name, resolved, request);
    const run = await this.startRun(name, caller);
    const measurement = await measureFunction(measured, name, resolved.measureOptions);
    const { setup, teardown } = resolved.measure;
    request.profile = { fn: measured, setup, teardown: teardown as ((input: unknown) => unknown) | undefined, directory: this.profileDir };
    timeRounds(request, measurement);
    return runPipeline(measurement, request, run);
  }

  /**
   * Instructions mode: counts `fn` under Valgrind (warm-up, then counted rounds of a fixed
   * number of calls), judges the count against the instruction baseline and records it.
   */
  private async countAt(fn: (input: unknown) => unknown, name: string, resolved: ResolvedBenchmarkOptions, request: PipelineRequest, calls?: number): Promise<PerformanceReport> {
    const run = await this.startRun(name, request.caller);
    const startedAt = new Date().toISOString();
    const { setup, teardown, warmupCalls } = resolved.measure;
    const count = await countInstructions(fn, name, {
      ...(setup === undefined ? {} : { setup }),
      ...(teardown === undefined ? {} : { teardown: teardown }),
      // At least the default warm-up, whatever a time-mode `warmup` says (0 is valid there): with
      // fewer calls, one-time costs (inline caches, baseline compilation) land in the counted
      // rounds, and a count of 1.3x the work read 1.35x.
      warmup: Math.max(DEFAULT_INSTRUCTIONS_WARMUP, warmupCalls ?? 0),
      ...(calls === undefined ? {} : { calls }),
    });
    request.instructions = count;
    return runPipeline(measurementOfCount(count, startedAt), request, run);
  }

  /**
   * Measures one run of a piece of code, judges it and records it. Takes the judging options
   * of `benchmark` (metadata, thresholds, confidence, rounds…), on top of the tester's defaults.
   * - `measure(name, fn)`: runs `fn` once (awaiting it) and resolves to the report; if `fn`
   *   throws, rejects and records nothing.
   * - `measure(name)`: returns a block handle for `await using`; the run ends, and is
   *   recorded, when the block exits (or at `end()`).
   *
   * One run is one sample, so a single run is judged as a run: against the single runs of
   * unchanged code since its baseline, and confirmed in fresh processes when it looks slower.
   * @example
   * { await using m = tester.measure('database_query'); await db.query('...'); }
   */
  measure(name: string, options?: SingleRunOptions): MeasureBlock;
  measure(name: string, fn: () => unknown, options?: SingleRunOptions): Promise<PerformanceReport>;
  measure(name: string, fnOrOptions?: (() => unknown) | SingleRunOptions, options?: SingleRunOptions): MeasureBlock | Promise<PerformanceReport> {
    const caller = describeCaller(new Error().stack, this.rootDir);
    return this.measureAt(name, fnOrOptions, options, caller);
  }

  /** @internal `measure` with the caller already known. */
  measureAt(
    name: string,
    fnOrOptions: (() => unknown) | SingleRunOptions | undefined,
    maybeOptions: SingleRunOptions | undefined,
    caller: CallerPlace,
  ): MeasureBlock | Promise<PerformanceReport> {
    expectName(name, 'name', "Pass a name that identifies this measurement, such as 'database_query'.");
    const fn = typeof fnOrOptions === 'function' ? fnOrOptions : undefined;
    const options = typeof fnOrOptions === 'function' ? maybeOptions : fnOrOptions;
    if (fnOrOptions !== undefined && fn === undefined && (typeof fnOrOptions !== 'object' || fnOrOptions === null)) {
      expectFunction(fnOrOptions, 'fn', 'Pass the code to measure as a function, or use the block form: await using m = tester.measure(name).');
    }
    assertKnownOptions(options, SINGLE_RUN_OPTION_NAMES, `measure('${name}')`);
    const resolved: ResolvedBenchmarkOptions = resolveBenchmarkOptions(options, this.defaults, 'measure');
    const role = readRoundRole(this.env);
    const request = role === undefined ? pipelineRequest(name, caller, resolved, this.settingsSource()) : undefined;
    if (request?.mode === 'instructions') {
      // Exact counts: one call counted in each round.
      if (fn === undefined) throw new ConfigError(`measure('${name}'): the block form cannot be counted in instructions mode; pass the code as a function: measure('${name}', () => work()).`);
      return this.countAt(fn, name, resolved, request, 1);
    }
    const single = startSingleRun(name, resolved.measure.clock);
    const finish = async (): Promise<PerformanceReport> => {
      const measurement = single.stop();
      if (role !== undefined || request === undefined) {
        const stopped = (): Promise<Measurement> => Promise.resolve(measurement);
        return measureAsRound(role ?? { target: name, output: '' }, name, stopped, stopped);
      }
      const run = await this.startRun(name, caller);
      timeRounds(request, measurement);
      return runPipeline(measurement, request, run);
    };
    if (fn === undefined) return new MeasureBlock(name, finish);
    return (async () => {
      try {
        await fn();
      } catch (error) {
        throw new MeasurementError(`measure '${name}': the measured code threw, so nothing was recorded: ${describeError(error)}`, { cause: error });
      }
      return finish();
    })();
  }

  private settingsSource(): SettingsSource {
    return { env: this.env, detector: this.detector, roundRunner: this.roundRunner };
  }

  private async startRun(name: string, caller: CallerPlace): Promise<CurrentRun> {
    // The promise is kept, not the run, so benchmarks started together share one store.
    this.run ??= this.openStore().then((store) => new CurrentRun(store, currentRunId(this.env), this.rootDir, this.env));
    const run = await this.run;
    await run.start();
    await run.assertNameFree(name, caller);
    return run;
  }

  /** The store: the one passed in, else the one at `store` / PERFGUARD_DB / the default path, opened once. */
  private openStore(): Promise<PerfguardStore> {
    this.store ??=
      isPerfguardStore(this.storeOption)
        ? Promise.resolve(this.storeOption)
        : openStore(resolveStorePath({ path: this.storeOption, rootDir: this.rootDir, env: this.env }));
    return this.store;
  }

  /** Closes the store if this tester opened it, and its detector's. */
  async close(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    this.run = undefined;
    if (store !== undefined && !isPerfguardStore(this.storeOption)) await (await store.catch(() => undefined))?.close();
    await this.detector.close();
  }
}
