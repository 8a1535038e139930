import type { RoundRunner } from '../../src/runner/fresh-process-rounds';
import { createSeededRandom } from '../../src/stats/random';
import type { ProcessFigures } from '../../src/types';

/**
 * Fresh-process rounds without processes: each round "measures" the benchmark at the centre
 * `centreOf(name)` (seconds per call) with ±`spread` relative seeded wander, as separate
 * processes of unchanged code would. Records every request it gets.
 */
export function plantedRounds(centreOf: (name: string) => number, spread = 0.02, seed = 7): RoundRunner & { requests: { name: string; rounds: number }[] } {
  const random = createSeededRandom(seed);
  const requests: { name: string; rounds: number }[] = [];
  return {
    description: 'planted rounds',
    requests,
    run(request) {
      requests.push({ name: request.name, rounds: request.rounds });
      const processes: ProcessFigures[] = Array.from({ length: request.rounds }, () => ({
        measuredAt: new Date().toISOString(),
        duration: centreOf(request.name) * (1 + spread * (random() - 0.5)),
        memory: 0.0001,
        // As the measuring process under a planted clock: no CPU figures, no reference loops.
        cpu: null,
        machineProbeNs: null,
        memoryProbeNs: null,
        preemptedShare: 0,
        cpuTimePerCall: null,
      }));
      return Promise.resolve({ processes, failures: [], elapsedMs: 1 });
    },
  };
}
