import { performanceTest } from 'perfguard';
import { makeNumbers } from './workloads';

const numbers = makeNumbers(10_000);

describe('sorting', () => {
  // Fresh, unsorted input for every sample: setup is untimed.
  performanceTest('sort_10k_numbers', { setup: () => [...numbers] }, (input: number[]) => input.sort((a, b) => a - b));

  performanceTest('sort_10k_strings', { setup: () => numbers.map(String) }, (input: string[]) => input.sort());
});
