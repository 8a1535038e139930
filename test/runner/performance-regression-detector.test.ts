import Database from 'better-sqlite3';
import { machineFactorOf, memoryFactorOf, PerformanceRegressionDetector } from '../../src/runner/performance-regression-detector';
import { SqliteStore } from '../../src/store/sqlite-store';
import { plantedSamples } from '../helpers/planted';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';

function storeWithBaseline(name: string): SqliteStore {
  const store = new SqliteStore(new Database(':memory:'));
  const run = makeRun({ commit: 'cafe' });
  store.ensureRun(run);
  const result = makeResult(run.id, name, { centreNs: 2_000_000 });
  store.insertResult(result, makeEpoch(result, { commit: 'cafe', reason: 'release 1.2' }));
  return store;
}

const samplesAround = (ns: number, seed: number) => ({
  durationNs: plantedSamples(ns, 100, seed),
  heapDeltaBytes: Array(100).fill(100) as number[],
  cpuPercent: plantedSamples(99, 100, seed + 1, 0.02),
});

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
    expect(baseline?.stdDuration).toBeGreaterThan(0);
    expect(baseline?.iterations).toBe(50);
    expect(baseline?.commit).toBe('cafe');
    expect(baseline?.reason).toBe('release 1.2');
    expect(baseline?.environment.key).toEqual(expect.any(String));
  });

  it('applies thresholds changed at runtime', () => {
    const detector = new PerformanceRegressionDetector({ store: new SqliteStore(new Database(':memory:')) });
    const before = samplesAround(1_000_000, 1);
    const after = samplesAround(1_150_000, 3);
    expect(detector.judge(after, before)[0]?.status).toBe('pass');
    detector.thresholds.duration.warning = 1.1;
    expect(detector.judge(after, before)[0]?.status).toBe('warning');
  });

  it('refuses thresholds broken at runtime when it next judges', () => {
    const detector = new PerformanceRegressionDetector({ store: new SqliteStore(new Database(':memory:')) });
    detector.thresholds.duration.critical = 1.1;
    expect(() => detector.judge(samplesAround(1, 1), samplesAround(1, 2))).toThrow(/`thresholds.duration.critical` must be above/);
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
    [{ store: 42 }, /`store` must be a store path or a SqliteStore, received 42/],
    [{ treshold: {} }, /unknown option `treshold`/],
  ])('refuses %p', (options, message) => {
    expect(() => new PerformanceRegressionDetector(options as never)).toThrow(message);
  });
});

describe('machineFactorOf and memoryFactorOf', () => {
  const baseline = { machineProbeNs: 20_000, memoryProbeNs: 30_000 };

  it('give the integer loop as the machine factor and the memory loop apart', () => {
    const current = { machineProbeNs: 22_000, memoryProbeNs: 75_000 };
    expect(machineFactorOf(current, baseline)).toBeCloseTo(1.1);
    expect(memoryFactorOf(current, baseline)).toBeCloseTo(2.5);
  });

  it('leave the memory factor undefined for a baseline stored before the memory loop existed', () => {
    expect(memoryFactorOf({ machineProbeNs: 24_000, memoryProbeNs: 90_000 }, { machineProbeNs: 20_000 })).toBeUndefined();
    expect(machineFactorOf({ machineProbeNs: 24_000, memoryProbeNs: 90_000 }, { machineProbeNs: 20_000 })).toBeCloseTo(1.2);
  });

  it('are undefined when a loop was not timed on both sides', () => {
    expect(machineFactorOf({ machineProbeNs: 0, memoryProbeNs: 0 }, baseline)).toBeUndefined();
    expect(memoryFactorOf({ machineProbeNs: 0, memoryProbeNs: 0 }, baseline)).toBeUndefined();
    expect(machineFactorOf(baseline, undefined)).toBeUndefined();
  });
});
