import { expectOneOf, nonEmptyEnv } from '../_options';
import { resolveThresholds } from '../detector';
import type { MeasuringMode } from '../types';
import { type Measurement, startSingleRun } from '../tracker';
import type { CallerPlace } from './_caller';
import { DEFAULT_ROUNDS, expectRounds, type ResolvedBenchmarkOptions } from './benchmark-options';
import { chooseRoundRunner, type RoundRunner } from './fresh-process-rounds';
import type { PerformanceRegressionDetector } from './performance-regression-detector';
import type { PipelineRequest } from './pipeline';
import { readUpdateBaselineFlag } from './update-baseline-flag';

/** A round may take this many times the first measurement, and at least a minute. */
const ROUND_TIMEOUT_FACTOR = 10;
const MIN_ROUND_TIMEOUT_MS = 60_000;
/** What starting a fresh Jest process (or script) is expected to take before its first round has shown it. */
const EXPECTED_PROCESS_START_MS = 3_000;

/** Where a benchmark's settings come from besides its own options: a tester's environment, detector and rounds. */
export interface SettingsSource {
  env: NodeJS.ProcessEnv;
  detector: PerformanceRegressionDetector;
  /** Planted by tests; null for none; undefined to choose (Jest child or script again). */
  roundRunner: RoundRunner | null | undefined;
}

/** PERFGUARD_ROUNDS (`perfguard test --rounds`), validated; undefined when unset. */
export function roundsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = nonEmptyEnv(env['PERFGUARD_ROUNDS']);
  if (raw === null) return undefined;
  return expectRounds(Number(raw), 'PERFGUARD_ROUNDS');
}

/** PERFGUARD_MODE (`perfguard test --instructions` sets it), validated; undefined when unset. */
export function modeFromEnv(env: NodeJS.ProcessEnv): MeasuringMode | undefined {
  const raw = nonEmptyEnv(env['PERFGUARD_MODE']);
  return raw === null ? undefined : expectOneOf(raw, ['time', 'instructions'] as const, 'PERFGUARD_MODE');
}

/** The mode: the benchmark's option, else PERFGUARD_MODE, else time. */
export function modeFor(resolved: ResolvedBenchmarkOptions, env: NodeJS.ProcessEnv): MeasuringMode {
  return resolved.mode ?? modeFromEnv(env) ?? 'time';
}

/**
 * Rounds: the benchmark's option, else PERFGUARD_ROUNDS, else 3; 1 with `retry: false`, and
 * in instructions mode, where counts are exact and another process adds nothing.
 */
function roundsFor(resolved: ResolvedBenchmarkOptions, env: NodeJS.ProcessEnv): number {
  if (!resolved.retry || modeFor(resolved, env) === 'instructions') return 1;
  return resolved.rounds ?? roundsFromEnv(env) ?? DEFAULT_ROUNDS;
}

/**
 * Everything the pipeline needs for one benchmark, resolved before anything is measured (so
 * a bad UPDATE_PERFORMANCE_BASELINE or PERFGUARD_ROUNDS is refused first).
 */
export function pipelineRequest(name: string, caller: CallerPlace, resolved: ResolvedBenchmarkOptions, source: SettingsSource): PipelineRequest {
  const { env, detector, roundRunner } = source;
  const isUpdate = readUpdateBaselineFlag(env);
  return {
    name,
    caller,
    options: resolved,
    settings: {
      thresholds: resolveThresholds(resolved.thresholds, 'thresholds', detector.thresholds),
      confidence: resolved.confidence ?? detector.confidence,
      rounds: roundsFor(resolved, env),
      mode: modeFor(resolved, env),
    },
    mode: modeFor(resolved, env),
    updateReason: isUpdate ? (nonEmptyEnv(env['PERFGUARD_BASELINE_REASON']) ?? 'UPDATE_PERFORMANCE_BASELINE') : undefined,
    environmentMismatch: resolved.environmentMismatch ?? detector.environmentMismatch,
    rounds: roundRunner === undefined ? chooseRoundRunner(env, caller.testFile) : (roundRunner ?? undefined),
    profile: undefined,
    roundTimeoutMs: MIN_ROUND_TIMEOUT_MS,
    expectedRoundMs: EXPECTED_PROCESS_START_MS,
  };
}

/** A round measures as long as the first measurement did, after a process start. */
export function timeRounds(request: PipelineRequest, measurement: Measurement): void {
  request.roundTimeoutMs = Math.max(MIN_ROUND_TIMEOUT_MS, measurement.elapsedMs * ROUND_TIMEOUT_FACTOR);
  request.expectedRoundMs = measurement.elapsedMs + EXPECTED_PROCESS_START_MS;
}

/** One call with fresh input, timed as a single run: how a round meets benchmarks other than its own. */
export async function runOnce(fn: (input: unknown) => unknown, name: string, resolved: ResolvedBenchmarkOptions): Promise<Measurement> {
  const { setup, teardown, clock } = resolved.measure;
  const input = setup === undefined ? undefined : await setup();
  const single = startSingleRun(name, clock);
  await fn(input);
  const measurement = single.stop();
  if (teardown !== undefined) await teardown(input);
  return measurement;
}
