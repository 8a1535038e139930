import { openStore } from '../../src/store/open-store';
import { committedIds, ensureBuilt, runWorker } from '../helpers/store-processes';
import { healthy, storeBackends } from '../helpers/store-backends';

// Real processes, as Jest workers and runners on other machines are: each opens the same store
// and writes at the same time. SQLite serves the workers of one machine; PostgreSQL the runners
// of many, hence more writers.
const LOAD = { sqlite: { writers: 4, resultsEach: 60 }, postgres: { writers: 16, resultsEach: 100 } };

beforeAll(() => ensureBuilt());

describe.each(storeBackends('writers'))('the $name store with several processes writing at once', (backend) => {
  const { writers, resultsEach } = LOAD[backend.name];
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  it(`loses nothing and fails no write (${writers} processes × ${resultsEach} results, each with its epoch)`, async () => {
    const location = backend.freshLocation('shared');
    const exits = await Promise.all(Array.from({ length: writers }, () => runWorker(['write', location, String(resultsEach)])));
    for (const exit of exits) expect(exit).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    const written = exits.flatMap((exit) => committedIds(exit.stdout));
    expect(written).toHaveLength(writers * resultsEach);
    expect(await backend.resultIds(location)).toEqual([...written].sort());
    expect(await backend.health(location)).toEqual(healthy(writers * resultsEach));
    const store = await openStore(location, { readonly: true });
    try {
      expect(await store.counts()).toEqual({ runs: writers, results: writers * resultsEach, epochs: writers * resultsEach });
    } finally {
      await store.close();
    }
  }, 120_000);
});
