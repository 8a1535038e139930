let cached: number | undefined;

function bestOf(runs: number, work: () => number): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    sink += work();
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return sink === -1 ? Infinity : best;
}

/**
 * How much slower reading a global (`Math`) is here than reading a local alias of it.
 * About 1 in plain Node. Inside Jest 30's test sandbox every global lookup goes through
 * Jest's global proxy: the ratio is 10x or more, and code that reads globals in hot loops
 * runs that much slower, and at speeds that differ from one `jest` run to the next.
 * Measured once per module instance (about a millisecond).
 */
export function globalLookupPenalty(): number {
  if (cached !== undefined) return cached;
  const local = Math;
  const viaGlobal = (): number => {
    let x = 0;
    for (let i = 0; i < 20_000; i++) x += Math.abs(i - x);
    return x;
  };
  const viaLocal = (): number => {
    let x = 0;
    for (let i = 0; i < 20_000; i++) x += local.abs(i - x);
    return x;
  };
  bestOf(3, viaGlobal);
  bestOf(3, viaLocal);
  cached = bestOf(7, viaGlobal) / Math.max(1, bestOf(7, viaLocal));
  return cached;
}
