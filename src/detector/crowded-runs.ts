import { medianOf } from '../stats';
import { isKnownReading, PREEMPTED_SHARE_GUARD } from './decision-rules';
import type { ConditionedRun } from './run-point';

/**
 * A run's wall time per call this many times its code's usual multiple of CPU time per call,
 * while preempted, was stretched by other processes. @default 1.15
 */
export const CROWDED_STRETCH = 1.15;

/** Wall time per call over CPU time per call; null when either is unknown. */
function wallPerCpu(run: ConditionedRun): number | null {
  const cpu = run.conditions.cpuTimePerCall;
  return isKnownReading(cpu) && run.value > 0 ? run.value / cpu : null;
}

function isPreempted(run: ConditionedRun): boolean {
  const share = run.conditions.preemptedShare;
  return share !== null && share >= PREEMPTED_SHARE_GUARD;
}

/**
 * The code's usual wall time per CPU time: the median over the runs preempted less than
 * {@link PREEMPTED_SHARE_GUARD} that know both, or over every run that does when none of
 * those does; null when no run knows both.
 */
function usualWallPerCpu(runs: readonly ConditionedRun[]): number | null {
  const calm = runs.filter((run) => !isPreempted(run)).map(wallPerCpu).filter(isKnownReading);
  const basis = calm.length > 0 ? calm : runs.map(wallPerCpu).filter(isKnownReading);
  return basis.length === 0 ? null : medianOf(basis);
}

/**
 * Whether each run was crowded: preempted in at least {@link PREEMPTED_SHARE_GUARD} of its
 * samples, with wall time per call at least {@link CROWDED_STRETCH} times the runs' usual
 * multiple of CPU time per call ({@link usualWallPerCpu}). CPU time per call is the phase's
 * CPU time of all threads over its calls, unknown for a phase under 100 ms: such runs are
 * never crowded.
 */
export function crowdedRuns(runs: readonly ConditionedRun[]): boolean[] {
  const usual = usualWallPerCpu(runs);
  return runs.map((run) => isCrowded(run, usual));
}

function isCrowded(run: ConditionedRun, usual: number | null): usual is number {
  const ratio = wallPerCpu(run);
  return usual !== null && ratio !== null && isPreempted(run) && ratio >= usual * CROWDED_STRETCH;
}

/**
 * Runs of unchanged code as a wall-time reference: each crowded run ({@link crowdedRuns}) at
 * the wall time it would have taken had it kept its core, its CPU time per call times the
 * usual multiple, and marked `isCrowded`. Such a run's wall time says how busy the machine
 * was, not how fast the code is. Left as measured, crowded runs widen the reference's spread
 * or pass for a slower speed of the code; left out, they shorten a young baseline below what
 * ranks can prove anything against. In the packed-project test, a founding taken beside a busy
 * neighbour held runs at 14.0 and 11.0 ms (preempted in 95 and 72 % of samples, CPU time 6.9 ms
 * per call) beside two at 6.9 ms, and a planted 3x slowdown at 21 ms was held back as "another
 * of its speeds". Current runs are not corrected: a stretch of their own may be code that now
 * waits, and the contention rule decides what a crowded current run proves.
 */
export function withCrowdedRunsCorrected(runs: readonly ConditionedRun[]): ConditionedRun[] {
  const usual = usualWallPerCpu(runs);
  return runs.map((run) => {
    const cpu = run.conditions.cpuTimePerCall;
    return isCrowded(run, usual) && isKnownReading(cpu) ? { ...run, value: cpu * usual, isCrowded: true } : run;
  });
}
