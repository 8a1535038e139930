import { assertKnownOptions, describeValue, expectName, expectOneOf } from '../_options';
import {
  judgeMetric,
  measureContention,
  type MetricVerdict,
  noBaselineVerdict,
  resolveThresholds,
  type ThresholdOverrides,
  type Thresholds,
  validateThresholds,
} from '../detector';
import { ConfigError } from '../errors';
import { DEFAULT_CONFIDENCE_LEVEL } from '../stats';
import { resolveStorePath, SqliteStore } from '../store';
import { captureEnvironment } from '../tracker';
import type { BaselineInfo, PerformanceReport, StoredBaseline, StoredSamples } from '../types';
import { toMetricSamples } from './build-report';

/** What to do when the baseline was measured on another environment key. */
export type EnvironmentMismatchMode = 'compare' | 'skip';

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
  /** The store, or its path. @default PERFGUARD_DB, else baselines/perfguard.db */
  store?: SqliteStore | string;
}

/** Per-judgement adjustments of a detector's settings. */
export interface JudgeOverrides {
  thresholds?: ThresholdOverrides | undefined;
  confidence?: number | undefined;
  /** Current over baseline machine speed (reference-loop times), applied to duration. */
  machineFactor?: number | undefined;
  /** Median durations (seconds) of recent accepted runs since the baseline, applied to duration. */
  recentRunCentres?: number[] | undefined;
}

/** The names {@link DetectorOptions} accepts. */
export const DETECTOR_OPTION_NAMES = ['thresholds', 'confidence', 'environmentMismatch', 'store'] as const;

/** A test's current baseline, in report units (seconds, MB, percent). */
export interface Baseline {
  testName: string;
  meanDuration: number;
  stdDuration: number;
  medianDuration: number;
  iterations: number;
  meanMemory: number;
  medianMemory: number;
  meanCpu: number;
  createdAt: string;
  commit: string | null;
  reason: string | null;
  environment: StoredBaseline['result']['report']['environment'];
  /** The stored baseline this was read from. */
  stored: StoredBaseline;
}

/** Validates a confidence level where it enters. */
export function expectConfidence(value: unknown, name = 'confidence'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0.5 || value >= 1) {
    throw new ConfigError(`\`${name}\` must be a probability from 0.5 up to (not including) 1, such as 0.95, received ${describeValue(value)}.`);
  }
  return value;
}

/** The reference-loop times a report carries. */
export type MachineProbes = Pick<PerformanceReport, 'machineProbeNs' | 'memoryProbeNs'>;

function probeFactor(currentNs: number | undefined, baselineNs: number | undefined): number | undefined {
  if (currentNs === undefined || baselineNs === undefined || currentNs <= 0 || baselineNs <= 0) return undefined;
  return currentNs / baselineNs;
}

/** How much slower the core ran than for the baseline (integer reference loop), when both timed it. */
export function machineFactorOf(current: MachineProbes | undefined, baseline: MachineProbes | undefined): number | undefined {
  return probeFactor(current?.machineProbeNs, baseline?.machineProbeNs);
}

/**
 * How much slower the caches and memory ran than for the baseline (memory reference loop),
 * when both timed it. Not a verdict factor: CPU-bound code does not slow with it.
 */
export function memoryFactorOf(current: MachineProbes | undefined, baseline: MachineProbes | undefined): number | undefined {
  return probeFactor(current?.memoryProbeNs, baseline?.memoryProbeNs);
}

/** Summary of the stored baseline for a report. */
export function describeBaseline(stored: StoredBaseline, currentEnvironmentKey: string): BaselineInfo {
  return {
    createdAt: stored.epoch.createdAt,
    commit: stored.epoch.commit,
    reason: stored.epoch.reason,
    environmentKey: stored.epoch.environmentKey,
    isSameEnvironment: stored.epoch.environmentKey === currentEnvironmentKey,
    medianDuration: stored.result.report.duration.median,
    madDuration: stored.result.report.duration.mad,
  };
}

/**
 * Decides, per metric, whether a measurement is slower than its baseline: magnitude
 * (the factor reaches the threshold) and evidence (a one-sided Mann–Whitney U test at
 * `confidence`) together. Reads baselines through the store; judging itself is pure.
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
  private store: SqliteStore | undefined;
  private readonly storePath: string | undefined;
  private readonly ownsStore: boolean;

  constructor(options: DetectorOptions = {}) {
    const record = assertKnownOptions(options, DETECTOR_OPTION_NAMES, 'PerformanceRegressionDetector');
    this.thresholds = resolveThresholds(record['thresholds'] as ThresholdOverrides | undefined);
    this.confidence = record['confidence'] === undefined ? DEFAULT_CONFIDENCE_LEVEL : expectConfidence(record['confidence']);
    this.environmentMismatch =
      record['environmentMismatch'] === undefined
        ? 'compare'
        : expectOneOf(record['environmentMismatch'], ['compare', 'skip'] as const, 'environmentMismatch');
    const store = record['store'];
    this.ownsStore = !(store instanceof SqliteStore);
    if (store instanceof SqliteStore) this.store = store;
    else if (typeof store === 'string') this.storePath = store;
    else if (store !== undefined) {
      throw new ConfigError(`\`store\` must be a store path or a SqliteStore, received ${describeValue(store)}.`);
    }
  }

  /** The store baselines are read from, opened on first use. */
  getStore(): SqliteStore {
    this.store ??= SqliteStore.open(resolveStorePath({ path: this.storePath }));
    return this.store;
  }

  /**
   * The stored baseline a measurement on `environmentKey` would be judged against, honouring
   * {@link environmentMismatch}; undefined when there is none.
   */
  findBaseline(
    testName: string,
    environmentKey: string,
    mode: EnvironmentMismatchMode = this.environmentMismatch,
  ): StoredBaseline | undefined {
    const stored = this.getStore().currentBaseline(testName, environmentKey);
    if (stored === undefined) return undefined;
    if (stored.epoch.environmentKey !== environmentKey && mode === 'skip') return undefined;
    return stored;
  }

  /**
   * A test's current baseline (for this machine's environment when one exists), or
   * undefined when it has none.
   */
  getBaseline(testName: string, environmentKey: string = captureEnvironment().key): Baseline | undefined {
    expectName(testName, 'testName', 'Pass the name the benchmark was stored under.');
    const stored = this.findBaseline(testName, environmentKey);
    if (stored === undefined) return undefined;
    const { report } = stored.result;
    return {
      testName,
      meanDuration: report.duration.mean,
      stdDuration: report.duration.std,
      medianDuration: report.duration.median,
      iterations: report.iterations,
      meanMemory: report.memory.mean,
      medianMemory: report.memory.median,
      meanCpu: report.cpu.mean,
      createdAt: stored.epoch.createdAt,
      commit: stored.epoch.commit,
      reason: stored.epoch.reason,
      environment: report.environment,
      stored,
    };
  }

  /**
   * Verdicts for every metric of `current` against `baseline` (or no-baseline verdicts).
   * `overrides` adjust this detector's thresholds and confidence for one judgement.
   */
  judge(current: StoredSamples, baseline: StoredSamples | undefined, overrides: JudgeOverrides = {}): MetricVerdict[] {
    validateThresholds(this.thresholds);
    const thresholds = resolveThresholds(overrides.thresholds, 'thresholds', this.thresholds);
    const confidence = expectConfidence(overrides.confidence ?? this.confidence, 'detector.confidence');
    const now = toMetricSamples(current);
    if (baseline === undefined) {
      return [noBaselineVerdict('duration', now.duration), noBaselineVerdict('memory', now.memory), noBaselineVerdict('cpu', now.cpu)];
    }
    const before = toMetricSamples(baseline);
    return (['duration', 'memory', 'cpu'] as const).map((metric) =>
      judgeMetric(metric, before[metric], now[metric], {
        thresholds: thresholds[metric],
        confidence,
        machineFactor: metric === 'duration' ? overrides.machineFactor : undefined,
        contention: metric === 'duration' ? measureContention(baseline, current) : undefined,
        recentRunCentres: metric === 'duration' ? overrides.recentRunCentres : undefined,
      }),
    );
  }

  /** Closes the store if this detector opened it. */
  close(): void {
    if (this.ownsStore) {
      this.store?.close();
      this.store = undefined;
    }
  }
}
