import Database from 'better-sqlite3';
import type { ReferenceRuns } from '../../src/detector';
import { PerformanceRegressionDetector } from '../../src/runner/performance-regression-detector';
import { SqliteStore } from '../../src/store/sqlite-store';
import { createSeededRandom } from '../../src/stats/random';
import type { ProcessFigures, StoredProcess } from '../../src/types';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';

function storeWithBaseline(name: string): SqliteStore {
  const store = new SqliteStore(new Database(':memory:'));
  const run = makeRun({ commit: 'cafe' });
  store.writes.ensureRun(run);
  const result = makeResult(run.id, name, { centreNs: 2_000_000 });
  store.writes.insertResult(result, makeEpoch(result, { commit: 'cafe', reason: 'release 1.2' }));
  return store;
}

/** `n` processes around `seconds` per call, ±1 % apart (seeded). */
function processesAround(seconds: number, n: number, seed: number): ProcessFigures[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({
    measuredAt: new Date(Date.parse('2026-11-01T00:00:00Z') + (seed * 100 + i) * 60_000).toISOString(),
    duration: seconds * (1 + 0.02 * (random() - 0.5)),
    memory: 0.001,
    cpu: 99,
    machineProbeNs: 20_000,
    memoryProbeNs: 20_000,
    preemptedShare: 0,
    cpuTimePerCall: seconds,
  }));
}

function reference(seconds: number, n: number, seed: number): ReferenceRuns {
  const processes: StoredProcess[] = processesAround(seconds, n, seed).map((process, index) => ({ ...process, resultId: 'r', index, isFounding: index < 3 }));
  return { epoch: { createdAt: '2026-11-01T00:00:00Z', commit: 'cafe', reason: 'first measurement', environmentKey: 'k' }, processes };
}

describe('PerformanceRegressionDetector', () => {
  it('returns undefined for a test without a baseline', () => {
    const detector = new PerformanceRegressionDetector({ store: new SqliteStore(new Database(':memory:')) });
    expect(detector.getBaseline('nothing')).toBeUndefined();
  });

  it('returns the current baseline in seconds with its provenance', () => {
    const detector = new PerformanceRegressionDetector({ store: storeWithBaseline('query') });
    const baseline = detector.getBaseline('query');
    expect(baseline?.meanDuration).toBeCloseTo(0.002, 3);
    expect(baseline?.medianDuration).toBeCloseTo(0.002, 3);
    expect(baseline?.runs).toBe(1);
    expect(baseline?.stdDuration).toBe(0);
    expect(baseline?.iterations).toBe(50);
    expect(baseline?.commit).toBe('cafe');
    expect(baseline?.reason).toBe('release 1.2');
    expect(baseline?.environment.key).toEqual(expect.any(String));
  });

  it('applies thresholds changed at runtime', () => {
    const detector = new PerformanceRegressionDetector({ store: new SqliteStore(new Database(':memory:')) });
    const before = reference(0.001, 12, 1);
    const after = processesAround(0.00115, 3, 3);
    expect(detector.judge(after, before).verdicts[0]?.status).toBe('pass');
    detector.thresholds.duration.warning = 1.1;
    expect(detector.judge(after, before).verdicts[0]?.status).toBe('warning');
  });

  it('refuses thresholds broken at runtime when it next judges', () => {
    const detector = new PerformanceRegressionDetector({ store: new SqliteStore(new Database(':memory:')) });
    detector.thresholds.duration.critical = 1.1;
    expect(() => detector.judge(processesAround(0.001, 1, 1), reference(0.001, 3, 2))).toThrow(/`thresholds.duration.critical` must be above/);
  });

  it('skips a baseline from another environment when asked to', () => {
    const store = storeWithBaseline('moved');
    expect(new PerformanceRegressionDetector({ store }).getBaseline('moved', 'another-key')).toBeDefined();
    expect(new PerformanceRegressionDetector({ store, environmentMismatch: 'skip' }).getBaseline('moved', 'another-key')).toBeUndefined();
  });

  it.each([
    [{ confidence: 1 }, /`confidence` must be a probability from 0.5/],
    [{ environmentMismatch: 'ignore' }, /`environmentMismatch` must be one of 'compare', 'skip', received 'ignore'/],
    [{ thresholds: { duration: { warning: 0.9 } } }, /must be a factor above 1/],
    [{ store: 42 }, /`store` must be a store path, a postgres:\/\/ URL, or an opened SqliteStore or PostgresStore, received 42/],
    [{ treshold: {} }, /unknown option `treshold`/],
  ])('refuses %p', (options, message) => {
    expect(() => new PerformanceRegressionDetector(options as never)).toThrow(message);
  });
});
