import { createSeededRandom } from '../../src/stats/random';
import type { FakeClock } from './fake-clock';

/** Planted samples: `n` values around `centre` with ±`spread` relative uniform jitter. */
export function plantedSamples(centre: number, n: number, seed: number, spread = 0.1): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => centre * (1 + spread * (random() - 0.5)));
}

/** A function that "takes" about `ns` on a planted clock, with seeded jitter. */
export function plantedWork(clock: FakeClock, ns: number, seed = 1, spread = 0.1): () => void {
  const random = createSeededRandom(seed);
  return () => clock.advance(ns * (1 + spread * (random() - 0.5)));
}
