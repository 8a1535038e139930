import { assessStability, type StabilityInput } from '../../src/stats/stability-notes';

const calm: StabilityInput = {
  cv: 0.02,
  sampleCount: 500,
  medianSampleNs: 1_000_000,
  timerResolutionNs: 30,
  loadPerCore: 0.3,
  isGcAvailable: true,
  globalLookupPenalty: 1,
};

describe('assessStability', () => {
  it('says nothing about a calm measurement', () => {
    expect(assessStability(calm)).toEqual([]);
  });

  it.each([
    [{ cv: 0.1 }, 'high-variation'],
    [{ medianSampleNs: 2000 }, 'near-timer-resolution'],
    [{ sampleCount: 9 }, 'few-samples'],
    [{ loadPerCore: 1.5 }, 'high-load'],
    [{ isGcAvailable: false }, 'no-gc'],
    [{ globalLookupPenalty: 12 }, 'slow-globals'],
  ] as const)('notes %p as %p', (change, code) => {
    const notes = assessStability({ ...calm, ...change });
    expect(notes.map((note) => note.code)).toEqual([code]);
    expect(notes[0]?.message.length).toBeGreaterThan(20);
  });

  it('does not flag a CV just under 10 %', () => {
    expect(assessStability({ ...calm, cv: 0.0999 })).toEqual([]);
  });
});
