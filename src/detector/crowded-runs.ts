import { medianOf } from '../stats';
import { isKnownReading, PREEMPTED_SHARE_GUARD } from './decision-rules';
import type { ConditionedRun } from './run-point';

/**
 * A run's wall time per call this many times its usual multiple of CPU time per call, while
 * preempted, was stretched by other processes. @default 1.15
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
 * Whether each run was crowded: preempted in at least {@link PREEMPTED_SHARE_GUARD} of its
 * samples, with wall time per call at least {@link CROWDED_STRETCH} times the code's usual
 * multiple of CPU time per call (the median over the runs of `usualFrom`, by default these,
 * preempted less, or over all of them when every one was). Such a run's wall time says how busy the machine was, not how fast the
 * code is: it stretched past what its own CPU time per call accounts for while other processes
 * took the core.
 */
export function crowdedRuns(runs: readonly ConditionedRun[], usualFrom: readonly ConditionedRun[] = runs): boolean[] {
  const usual = usualWallPerCpu(usualFrom);
  return runs.map((run) => {
    const ratio = wallPerCpu(run);
    return usual !== null && ratio !== null && isPreempted(run) && ratio >= usual * CROWDED_STRETCH;
  });
}

/** The code's usual wall time per CPU time: the median over runs preempted less than the guard, or over all runs when every run was; null when no run knows both. */
function usualWallPerCpu(runs: readonly ConditionedRun[]): number | null {
  const calm = runs.filter((run) => !isPreempted(run)).map(wallPerCpu).filter(isKnownReading);
  const basis = calm.length > 0 ? calm : runs.map(wallPerCpu).filter(isKnownReading);
  return basis.length === 0 ? null : medianOf(basis);
}

/**
 * The runs of unchanged code as a wall-time reference: each crowded run ({@link crowdedRuns})
 * at the wall time it would have taken had it kept its core, its CPU time per call times the
 * code's usual multiple (by `usualFrom`: current runs are taken by the reference runs' multiple,
 * so a neighbour that stays crowds both sides alike). Left as measured, such runs widen the reference's spread or pass for
 * a slower speed of the code; left out, they shorten a young baseline below what ranks can
 * prove anything against. In the packed-project test, a founding taken beside a busy neighbour
 * held runs at 14.0 and 11.0 ms (preempted in 95 and 72 % of samples, CPU time 6.9 ms per call)
 * beside two at 6.9 ms, and a planted 3x slowdown at 21 ms was held back as "another of its
 * speeds".
 */
export function withCrowdedRunsCorrected(runs: readonly ConditionedRun[], usualFrom: readonly ConditionedRun[] = runs): ConditionedRun[] {
  const crowded = crowdedRuns(runs, usualFrom);
  const usual = usualWallPerCpu(usualFrom);
  return runs.map((run, i) => {
    const cpu = run.conditions.cpuTimePerCall;
    return crowded[i] === true && usual !== null && isKnownReading(cpu) ? { ...run, value: cpu * usual } : run;
  });
}
