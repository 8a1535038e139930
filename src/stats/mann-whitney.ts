import { normalUpperTail } from './normal';

/** Outcome of a one-sided Mann–Whitney U test that `current` tends to be larger than `baseline`. */
export interface MannWhitneyResult {
  /** U statistic of `current`: how many (baseline, current) pairs have current larger (ties count ½). */
  u: number;
  /** One-sided p-value for "current is stochastically larger than baseline". */
  pValue: number;
  /** P(current > baseline) for a random pair (ties count ½), the common-language effect size. */
  probabilityOfSuperiority: number;
  /** `exact` for small samples without ties, else the normal approximation. */
  method: 'exact' | 'normal';
}

/** Largest n·m for which the exact distribution of U is computed. */
const EXACT_PAIR_LIMIT = 2500;

interface RankSums {
  currentRankSum: number;
  tieCorrection: number;
  hasTies: boolean;
}

function rankSums(baseline: readonly number[], current: readonly number[]): RankSums {
  const pooled = [
    ...baseline.map((value) => ({ value, isCurrent: false })),
    ...current.map((value) => ({ value, isCurrent: true })),
  ].sort((a, b) => a.value - b.value);
  let currentRankSum = 0;
  let tieCorrection = 0;
  let i = 0;
  while (i < pooled.length) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]?.value === pooled[i]?.value) j++;
    const tied = j - i + 1;
    const averageRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (pooled[k]?.isCurrent) currentRankSum += averageRank;
    tieCorrection += tied ** 3 - tied;
    i = j + 1;
  }
  return { currentRankSum, tieCorrection, hasTies: tieCorrection > 0 };
}

/** P(U >= u) under the null hypothesis, by the classic recurrence on counts of arrangements. */
function exactUpperTail(u: number, n: number, m: number): number {
  // counts[j][k]: arrangements of j baseline and some current values with U = k, built up over m.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let currentCount = 1; currentCount <= m; currentCount++) {
    const next: number[][] = [[1]];
    for (let baselineCount = 1; baselineCount <= n; baselineCount++) {
      const maxU = baselineCount * currentCount;
      const row = new Array<number>(maxU + 1).fill(0);
      const lastCurrentIsLargest = previous[baselineCount] ?? [];
      const lastBaselineIsLargest = next[baselineCount - 1] ?? [];
      for (let k = 0; k <= maxU; k++) {
        row[k] = (lastCurrentIsLargest[k - baselineCount] ?? 0) + (lastBaselineIsLargest[k] ?? 0);
      }
      next.push(row);
    }
    previous = next;
  }
  const distribution = previous[n] ?? [];
  const total = distribution.reduce((sum, count) => sum + count, 0);
  let tail = 0;
  for (let k = Math.ceil(u); k < distribution.length; k++) tail += distribution[k] ?? 0;
  return tail / total;
}

/**
 * One-sided Mann–Whitney U test (Wilcoxon rank-sum) that `current` is stochastically larger
 * than `baseline`. Rank-based, so the long right tail of timing samples (GC pauses,
 * preemption) cannot drag it the way it drags a t-test. Exact below 2,500 pairs when
 * nothing is tied; otherwise the normal approximation with tie and continuity corrections.
 */
export function mannWhitneyGreater(baseline: readonly number[], current: readonly number[]): MannWhitneyResult {
  const n = baseline.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError('mannWhitneyGreater needs samples on both sides');
  const { currentRankSum, tieCorrection, hasTies } = rankSums(baseline, current);
  const u = currentRankSum - (m * (m + 1)) / 2;
  const probabilityOfSuperiority = u / (n * m);
  if (!hasTies && n * m <= EXACT_PAIR_LIMIT) {
    return { u, pValue: exactUpperTail(u, n, m), probabilityOfSuperiority, method: 'exact' };
  }
  const total = n + m;
  const variance = ((n * m) / 12) * (total + 1 - tieCorrection / (total * (total - 1)));
  if (variance <= 0) return { u, pValue: 1, probabilityOfSuperiority, method: 'normal' };
  const z = (u - (n * m) / 2 - 0.5) / Math.sqrt(variance);
  return { u, pValue: normalUpperTail(z), probabilityOfSuperiority, method: 'normal' };
}
