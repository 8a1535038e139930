/** Why a measurement may not be trustworthy, each with a message a person can act on. */
export type StabilityNoteCode =
  | 'high-variation'
  | 'near-timer-resolution'
  | 'few-samples'
  | 'high-load'
  | 'no-gc'
  | 'slow-globals';

/** One stability note. */
export interface StabilityNote {
  code: StabilityNoteCode;
  message: string;
}

/** What {@link assessStability} looks at. */
export interface StabilityInput {
  /** Coefficient of variation of the per-call durations, or null when undefined. */
  cv: number | null;
  sampleCount: number;
  /** Median time one sample (a call or a batch of calls) took. */
  medianSampleNs: number;
  timerResolutionNs: number;
  /** Highest 1-minute load average seen during the run, divided by the core count. */
  loadPerCore: number;
  isGcAvailable: boolean;
  /** Global lookup time over local lookup time (about 1 outside Jest's sandbox). */
  globalLookupPenalty: number;
}

/** CV at or above this is flagged. @default 0.1 */
export const HIGH_CV = 0.1;
/** Fewer samples than this is flagged. @default 10 */
export const FEW_SAMPLES = 10;
/** A sample shorter than this many timer ticks is flagged. @default 100 */
export const TIMER_TICKS_PER_SAMPLE = 100;
/** A global lookup this many times slower than a local one is flagged. @default 3 */
export const SLOW_GLOBALS_PENALTY = 3;
/** A load per core at or above this is flagged. @default 1 */
export const HIGH_LOAD_PER_CORE = 1;

/** Stability notes for a measurement; empty when nothing calls for attention. */
export function assessStability(input: StabilityInput): StabilityNote[] {
  const notes: StabilityNote[] = [];
  if (input.cv !== null && input.cv >= HIGH_CV) {
    notes.push({
      code: 'high-variation',
      message: `samples vary a lot (CV ${(input.cv * 100).toFixed(1)} % ≥ ${HIGH_CV * 100} %): close other programs, run perf tests serially, or raise \`time\`/\`iterations\``,
    });
  }
  if (input.medianSampleNs < TIMER_TICKS_PER_SAMPLE * input.timerResolutionNs) {
    notes.push({
      code: 'near-timer-resolution',
      message: `one sample takes ${input.medianSampleNs.toFixed(0)} ns, near the timer's ${input.timerResolutionNs.toFixed(0)} ns resolution: drop \`setup\` so calls can be batched, or measure more work per call`,
    });
  }
  if (input.sampleCount < FEW_SAMPLES) {
    notes.push({
      code: 'few-samples',
      message: `only ${input.sampleCount} samples (fewer than ${FEW_SAMPLES}): the statistics are weak; raise \`iterations\` or \`time\``,
    });
  }
  if (input.loadPerCore >= HIGH_LOAD_PER_CORE) {
    notes.push({
      code: 'high-load',
      message: `the machine was busy (load ${input.loadPerCore.toFixed(2)} per core): other processes competed with the measurement`,
    });
  }
  if (!input.isGcAvailable) {
    notes.push({
      code: 'no-gc',
      message: 'garbage collection could not be forced: run node with --expose-gc for steadier memory figures',
    });
  }
  if (input.globalLookupPenalty >= SLOW_GLOBALS_PENALTY) {
    notes.push({
      code: 'slow-globals',
      message: `global lookups cost ${input.globalLookupPenalty.toFixed(0)}x a local one here (Jest's test sandbox): code that reads globals such as Math in hot loops runs slower, and at speeds that vary between runs; alias them in locals (const { sqrt } = Math)`,
    });
  }
  return notes;
}
