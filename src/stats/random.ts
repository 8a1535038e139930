/** A pseudo-random generator returning numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * Seeded pseudo-random numbers (mulberry32), so resampling gives the same interval for the
 * same samples on every run: a verdict must not flip because of the resampler's own noise.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
