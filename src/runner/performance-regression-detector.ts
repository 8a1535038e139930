import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { assertKnownOptions, describeValue, expectConfidence, expectName, expectOneOf } from '../_options';
import { REFERENCE_WINDOW, resolveThresholds, type ThresholdOverrides, type Thresholds, validateThresholds } from '../detector';
import { ConfigError } from '../errors';
import { DEFAULT_CONFIDENCE_LEVEL } from '../stats';
import { isPerfguardStore, isPostgresUrl, maskPassword, openStore, type PerfguardStore, resolveStorePath, SqliteStore } from '../store';
import { captureEnvironment } from '../tracker';
import type { MeasuringMode, ProcessFigures, StoredBaseline, StoredProcess } from '../types';
import type { EnvironmentMismatchMode } from './current-run';
import { judgeProcesses, type ProcessJudgement, type ReferenceRuns } from '../detector';
import { DEFAULT_ROUNDS } from './benchmark-options';

export type { EnvironmentMismatchMode } from './current-run';

/** Options of {@link PerformanceRegressionDetector}. */
export interface DetectorOptions {
  /** Per-metric overrides of the default thresholds. */
  thresholds?: ThresholdOverrides;
  /** Evidence a slowdown needs, as a probability. @default 0.95 */
  confidence?: number;
  /**
   * With a baseline from another environment: `compare` judges anyway and says so in the
   * report; `skip` treats the test as having no baseline. @default 'compare'
   */
  environmentMismatch?: EnvironmentMismatchMode;
  /**
   * The store the baselines are read from: an opened one (a SqliteStore or a PostgresStore,
   * which stays open: its opener closes it), or its path or `postgres://` URL. A PostgreSQL
   * store is read with `loadBaseline`. @default PERFGUARD_DB, else baselines/perfguard.db
   */
  store?: PerfguardStore | string;
}

/** Per-judgement adjustments of a detector's settings. */
export interface JudgeOverrides {
  thresholds?: ThresholdOverrides | undefined;
  confidence?: number | undefined;
  /** Runs a flagged verdict rests on (for the detectable factor). @default 3 */
  rounds?: number | undefined;
  /** Environment key of the current processes. @default the reference's */
  environmentKey?: string | undefined;
}

/** The names {@link DetectorOptions} accepts. */
export const DETECTOR_OPTION_NAMES = ['thresholds', 'confidence', 'environmentMismatch', 'store'] as const;

/**
 * A test's current baseline in report units (seconds, MB, percent), drawn from the runs of
 * unchanged code since it was founded (the founding runs and the accepted runs since).
 */
export interface Baseline {
  testName: string;
  /** Mean of the runs' median per-call durations. */
  meanDuration: number;
  /** Standard deviation of the runs' median durations: how far runs wander between processes. */
  stdDuration: number;
  /** Median of the runs' median durations: the reference a verdict compares with. */
  medianDuration: number;
  /** Samples the founding measurement took. */
  iterations: number;
  meanMemory: number;
  medianMemory: number;
  /** Mean CPU over the runs that could measure it, in percent; null when none could. */
  meanCpu: number | null;
  /** Runs (processes) the figures come from. */
  runs: number;
  createdAt: string;
  commit: string | null;
  reason: string | null;
  environment: StoredBaseline['result']['report']['environment'];
  /** The stored epoch and founding result this was read from. */
  stored: StoredBaseline;
}

function baselineFigures(testName: string, stored: StoredBaseline, processes: StoredProcess[]): Baseline {
  const durations = processes.map((process) => process.duration);
  const memories = processes.map((process) => process.memory);
  const cpus = processes.flatMap((process) => (process.cpu === null ? [] : [process.cpu]));
  const { report } = stored.result;
  return {
    testName,
    meanDuration: durations.length > 0 ? mean(durations) : report.duration.mean,
    stdDuration: durations.length > 1 ? sampleStandardDeviation(durations) : 0,
    medianDuration: durations.length > 0 ? median(durations) : report.duration.median,
    iterations: report.iterations,
    meanMemory: memories.length > 0 ? mean(memories) : report.memory.mean,
    medianMemory: memories.length > 0 ? median(memories) : report.memory.median,
    meanCpu: cpus.length > 0 ? mean(cpus) : null,
    runs: processes.length,
    createdAt: stored.epoch.createdAt,
    commit: stored.epoch.commit,
    reason: stored.epoch.reason,
    environment: report.environment,
    stored,
  };
}

/**
 * Decides, per metric, whether runs of the current code are slower than runs of unchanged
 * code: magnitude (the factor reaches the threshold) and run-level evidence together (see
 * README, "How perfguard decides"). `judge` is pure; `getBaseline` reads the store.
 * @example
 * const detector = new PerformanceRegressionDetector();
 * detector.thresholds.duration.warning = 1.1;
 * console.log(detector.getBaseline('test_name')?.meanDuration);
 */
export class PerformanceRegressionDetector {
  /** Per-metric thresholds; may be changed at runtime and are checked before each judgement. */
  thresholds: Thresholds;
  /** Evidence level, 0.5 to 1. @default 0.95 */
  confidence: number;
  /** @default 'compare' */
  environmentMismatch: EnvironmentMismatchMode;
  private store: PerfguardStore | undefined;
  private readonly storePath: string | undefined;
  private readonly ownsStore: boolean;
  private opening: Promise<PerfguardStore> | undefined;

  constructor(options: DetectorOptions = {}) {
    const record = assertKnownOptions(options, DETECTOR_OPTION_NAMES, 'PerformanceRegressionDetector');
    this.thresholds = resolveThresholds(record['thresholds'] as ThresholdOverrides | undefined);
    this.confidence = record['confidence'] === undefined ? DEFAULT_CONFIDENCE_LEVEL : expectConfidence(record['confidence']);
    this.environmentMismatch =
      record['environmentMismatch'] === undefined
        ? 'compare'
        : expectOneOf(record['environmentMismatch'], ['compare', 'skip'] as const, 'environmentMismatch');
    const store = record['store'];
    this.ownsStore = !isPerfguardStore(store);
    if (isPerfguardStore(store)) this.store = store;
    else if (typeof store === 'string') this.storePath = store;
    else if (store !== undefined) {
      throw new ConfigError(`\`store\` must be a store path, a postgres:// URL, or an opened SqliteStore or PostgresStore, received ${describeValue(store)}.`);
    }
  }

  /** The SQLite store, for the synchronous `getBaseline`; a PostgreSQL store can only be read asynchronously. */
  private openSqliteStore(): SqliteStore {
    const location = this.store?.location ?? resolveStorePath({ path: this.storePath });
    if (this.store?.kind === 'postgres' || (this.store === undefined && isPostgresUrl(location))) {
      throw new ConfigError(
        `getBaseline reads the store synchronously, which only a SQLite store allows, and the store ${maskPassword(location)} is PostgreSQL. Use \`await detector.loadBaseline(name)\` instead.`,
      );
    }
    this.store ??= SqliteStore.open(location);
    return this.store as SqliteStore;
  }

  /** The store through the asynchronous interface, opened once however many calls wait for it. */
  private openAnyStore(): Promise<PerfguardStore> {
    if (this.store !== undefined) return Promise.resolve(this.store);
    this.opening ??= openStore(resolveStorePath({ path: this.storePath })).then(async (opened) => {
      this.opening = undefined;
      if (this.store === undefined) return (this.store = opened);
      await opened.close(); // getBaseline opened it synchronously meanwhile
      return this.store;
    });
    return this.opening;
  }

  /**
   * A test's current baseline (for this machine's environment when one exists, in `mode`),
   * or undefined when it has none or, with `environmentMismatch: 'skip'`, only another
   * environment's.
   */
  getBaseline(testName: string, environmentKey: string = captureEnvironment().key, mode: MeasuringMode = 'time'): Baseline | undefined {
    expectName(testName, 'testName', 'Pass the name the benchmark was stored under.');
    const { reads } = this.openSqliteStore();
    const stored = reads.currentBaseline(testName, environmentKey, mode);
    if (stored === undefined) return undefined;
    if (stored.epoch.environmentKey !== environmentKey && this.environmentMismatch === 'skip') return undefined;
    return baselineFigures(testName, stored, reads.referenceProcesses(stored.epoch, REFERENCE_WINDOW));
  }

  /** Like {@link getBaseline}, through the asynchronous store interface that every backend implements. */
  async loadBaseline(testName: string, environmentKey: string = captureEnvironment().key, mode: MeasuringMode = 'time'): Promise<Baseline | undefined> {
    expectName(testName, 'testName', 'Pass the name the benchmark was stored under.');
    const store = await this.openAnyStore();
    const stored = await store.currentBaseline(testName, environmentKey, mode);
    if (stored === undefined) return undefined;
    if (stored.epoch.environmentKey !== environmentKey && this.environmentMismatch === 'skip') return undefined;
    return baselineFigures(testName, stored, await store.referenceProcesses(stored.epoch, REFERENCE_WINDOW));
  }

  /**
   * Verdicts for every metric of the `current` processes against `reference` (the processes of
   * unchanged code a baseline rests on), or no-baseline verdicts without one. `overrides` adjust
   * this detector's thresholds and confidence for one judgement. Pure. Checking the detectable
   * factor replays the rule on the reference's sittings, 15–115 ms a call with 10 or more here.
   */
  judge(current: ProcessFigures[], reference: ReferenceRuns | undefined, overrides: JudgeOverrides = {}): ProcessJudgement {
    validateThresholds(this.thresholds);
    const thresholds = resolveThresholds(overrides.thresholds, 'thresholds', this.thresholds);
    const confidence = expectConfidence(overrides.confidence ?? this.confidence, 'detector.confidence');
    const environmentKey = overrides.environmentKey ?? reference?.epoch.environmentKey ?? '';
    return judgeProcesses(current, reference, environmentKey, { thresholds, confidence, rounds: overrides.rounds ?? DEFAULT_ROUNDS });
  }

  /** Closes the store if this detector opened it. */
  async close(): Promise<void> {
    if (this.opening !== undefined) await this.opening.catch(() => undefined);
    const store = this.store;
    if (!this.ownsStore || store === undefined) return;
    this.store = undefined;
    await store.close();
  }
}
