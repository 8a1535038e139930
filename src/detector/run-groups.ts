import { type GroupSpread, medianOf, pooledStandardDeviation, spreadOf } from '../stats';

/** A speed at which runs of a benchmark settle: the runs close to one centre. */
export interface RunGroup {
  /** Centre on the comparison scale: the median of the group's values. */
  x: number;
  /** Runs in the group. */
  runs: number;
  /** Spread of the group's runs around its centre, on the comparison scale. */
  spread: GroupSpread;
}

/** A value on the comparison scale with the time it was measured. */
export interface TimedValue {
  x: number;
  at: string;
}

/** Fewest runs among which separate speeds are looked for. @default 5 */
export const MIN_RUNS_FOR_GROUPS = 5;
/** Speeds closer than this ratio are one speed. @default 1.1 */
export const MIN_GROUP_RATIO = 1.1;
/** The gap between two speeds must be this many times the spread inside them. @default 4 */
export const GROUP_GAP_IN_SPREADS = 4;
/** Spreads below this (0.5 % on a log scale) are taken as this, so a tight cluster cannot call any gap a split. */
export const SPREAD_FLOOR = 0.005;

/** Fewest runs that make a speed of their own among `runs` runs: a tenth, and at least two. */
export function minGroupSize(runs: number): number {
  return Math.max(2, Math.ceil(0.1 * runs));
}

/** All values as one group. */
export function singleGroup(values: readonly number[]): RunGroup {
  return { x: medianOf(values), runs: values.length, spread: spreadOf(values) };
}

/** Splits sorted values at their widest gap while both sides are clearly separate speeds. */
function splitAtGaps(sorted: readonly number[], minSize: number): number[][] {
  if (sorted.length < 2 * minSize) return [[...sorted]];
  let at = -1;
  let widest = -Infinity;
  for (let i = minSize - 1; i < sorted.length - minSize; i++) {
    const gap = (sorted[i + 1] ?? 0) - (sorted[i] ?? 0);
    if (gap > widest) {
      widest = gap;
      at = i;
    }
  }
  const lower = sorted.slice(0, at + 1);
  const upper = sorted.slice(at + 1);
  const within = Math.max(pooledStandardDeviation([spreadOf(lower), spreadOf(upper)]).standardDeviation, SPREAD_FLOOR);
  const isSeparate = widest >= GROUP_GAP_IN_SPREADS * within && medianOf(upper) - medianOf(lower) >= Math.log(MIN_GROUP_RATIO);
  return isSeparate ? [...splitAtGaps(lower, minSize), ...splitAtGaps(upper, minSize)] : [[...sorted]];
}

/** How often consecutive runs (in time) fall in different groups. */
function switchesBetween(values: readonly TimedValue[], bounds: readonly number[]): number {
  const label = (x: number): number => bounds.filter((bound) => x > bound).length;
  const inTime = [...values].sort((a, b) => a.at.localeCompare(b.at));
  let switches = 0;
  for (let i = 1; i < inTime.length; i++) {
    if (label(inTime[i - 1]?.x ?? 0) !== label(inTime[i]?.x ?? 0)) switches++;
  }
  return switches;
}

/**
 * The speeds runs of unchanged code settle at, slowest last. Usually one; several when the
 * runs form clearly separate groups (the gap between them is four times the spread inside
 * them and at least 1.1x) that alternate in time: the same code settling at different speeds
 * in different processes (JIT decisions, the allocator). Groups that follow each other in time
 * without alternating are a shift (a baseline recorded at a bad moment, a changed machine),
 * not separate speeds, and stay one group here.
 */
export function findRunGroups(values: readonly TimedValue[]): RunGroup[] {
  const sorted = values.map((value) => value.x).sort((a, b) => a - b);
  if (sorted.length < MIN_RUNS_FOR_GROUPS) return sorted.length === 0 ? [] : [singleGroup(sorted)];
  const parts = splitAtGaps(sorted, minGroupSize(sorted.length));
  if (parts.length < 2) return [singleGroup(sorted)];
  const bounds = parts.slice(0, -1).map((part) => part[part.length - 1] ?? 0);
  if (switchesBetween(values, bounds) < 2) return [singleGroup(sorted)];
  return parts.map(singleGroup);
}
