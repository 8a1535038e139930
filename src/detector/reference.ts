import { type GroupSpread, medianOf, pooledStandardDeviation } from '../stats';
import type { MetricScale } from './metric-scale';
import { findRunGroups, type RunGroup, singleGroup } from './run-groups';
import type { RunPoint } from './run-point';

/** Most runs of unchanged code a reference is drawn from: the newest this many. @default 30 */
export const REFERENCE_WINDOW = 30;

/**
 * Accepted runs since the founding that must all contradict it before it is set aside: fewer
 * could be the other speed of bimodal code (one of the example suite's regular expressions ran
 * its founding processes at 120 µs and its next four at 67 µs, then 120 µs again). @default 5
 */
export const SET_ASIDE_MIN_RUNS = 5;

/** Why the founding runs were left out of a reference. */
export interface SetAsideFounding {
  /** Centre of the founding runs, in the metric's unit. */
  foundingValue: number;
  /** Accepted runs since the founding, all on one side of it beyond the warning threshold. */
  runsSince: number;
  /** Where those runs sit: all faster, or all slower, than the founding runs. */
  direction: 'faster' | 'slower';
}

/** What unchanged code does: the runs a verdict compares the current runs with. */
export interface Reference {
  /** The runs used, oldest first. */
  runs: RunPoint[];
  /** The speeds the runs settle at, slowest last: one, or several for bimodal code. */
  groups: RunGroup[];
  /** Spread of the runs around their own speed's centre, on the comparison scale. */
  spread: GroupSpread;
  /** Set when the founding runs disagree with every accepted run since and were left out. */
  setAside: SetAsideFounding | null;
}

function byTime(a: RunPoint, b: RunPoint): number {
  return a.at.localeCompare(b.at);
}

/**
 * Founding runs that every accepted run since contradicts (all beyond the warning threshold
 * from every founding run, on the same side) were taken at a bad moment, such as a machine
 * still busy from an install: then the runs since are the better witness of unchanged code.
 * A founding whose own runs include the speed of the runs since was no bad moment: it showed
 * two speeds of the code. The example suite's `regex_replace_log` was founded on runs at 284,
 * 592 and 585 µs and ran at about 282 µs five times since; set aside by its median, its slower
 * speed (370–580 µs) was then called a critical slowdown of unchanged code twice in ten runs.
 */
function checkFounding(points: readonly RunPoint[], scale: MetricScale, warning: number): SetAsideFounding | null {
  if (!scale.isLog) return null;
  const founding = points.filter((point) => point.isFounding).map((point) => scale.toScale(point.value));
  const since = points.filter((point) => !point.isFounding).map((point) => scale.toScale(point.value));
  if (founding.length === 0 || since.length < SET_ASIDE_MIN_RUNS) return null;
  const margin = Math.log(warning);
  const fastest = Math.min(...founding);
  const slowest = Math.max(...founding);
  const direction = since.every((x) => x <= fastest - margin) ? 'faster' : since.every((x) => x >= slowest + margin) ? 'slower' : null;
  return direction === null ? null : { foundingValue: scale.fromScale(medianOf(founding)), runsSince: since.length, direction };
}

/**
 * The reference for judging current runs: the newest {@link REFERENCE_WINDOW} runs of
 * unchanged code (the founding runs and the accepted runs since), their speeds (groups) and
 * their spread between processes. Undefined without runs.
 */
export function buildReference(points: readonly RunPoint[], scale: MetricScale, warning: number): Reference | undefined {
  if (points.length === 0) return undefined;
  const setAside = checkFounding(points, scale, warning);
  const kept = (setAside === null ? [...points] : points.filter((point) => !point.isFounding)).sort(byTime).slice(-REFERENCE_WINDOW);
  const values = kept.map((point) => ({ x: scale.toScale(point.value), at: point.at }));
  const groups = scale.isLog ? findRunGroups(values) : [singleGroup(values.map((value) => value.x))];
  const spread = pooledStandardDeviation(groups.map((group) => group.spread));
  return { runs: kept, groups, spread, setAside };
}
