import { openStore } from '../../src/store/open-store';
import { ensureBuilt, reportedError, startWorker, waitForLine } from '../helpers/store-processes';
import { storeBackends } from '../helpers/store-backends';

// Runners that find no baseline for a test at the same instant each found one: every result and
// every epoch is kept (epochs are append-only), and every reader sees one current epoch, the
// newest. PostgreSQL serializes appends to one test's epochs with a transaction-scoped advisory
// lock; SQLite has one writer at a time.
const FOUNDERS = 8;
const ROUNDS = 3;
const START_DELAY_MS = 50;

beforeAll(() => ensureBuilt());

describe.each(storeBackends('founding'))('the $name store with runners founding one baseline at once', (backend) => {
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  it(`keeps every founding and shows one current epoch (${FOUNDERS} processes, ${ROUNDS} rounds)`, async () => {
    const location = backend.freshLocation('founding');
    for (let round = 0; round < ROUNDS; round++) {
      const test = `shared-${round}`;
      const founders = Array.from({ length: FOUNDERS }, () => startWorker(['found', location, test]));
      // Every process has started and opened the store; then all look at the same instant.
      await Promise.all(founders.map(({ child }) => waitForLine(child, /^ready$/m)));
      const startAt = Date.now() + START_DELAY_MS;
      for (const { child } of founders) child.stdin?.end(`${startAt}\n`);
      const exits = await Promise.all(founders.map(({ exit }) => exit));
      expect(exits.map((exit) => reportedError(exit.stdout) ?? exit.code)).toEqual(Array(FOUNDERS).fill(0));
      const founded = exits.flatMap((exit) => /^founded (\S+)$/m.exec(exit.stdout)?.slice(1) ?? []);
      if (process.env['PERFGUARD_SHOW_FOUNDERS']) console.log(`${backend.name} round ${round}: ${founded.length} founded`);
      const store = await openStore(location, { readonly: true });
      try {
        const epochs = await store.baselineEpochs(test);
        expect(epochs.map((epoch) => epoch.resultId).sort()).toEqual([...founded].sort());
        const [current] = (await store.listBaselines()).filter((entry) => entry.testName === test).map((entry) => entry.epochs);
        expect(current).toHaveLength(1);
        expect(current?.[0]).toEqual(epochs[epochs.length - 1]);
        expect((await store.currentBaseline(test, 'k'))?.epoch).toEqual(current?.[0]);
        expect((await store.resultsOfRun((await store.getResult(current?.[0]?.resultId ?? ''))?.runId ?? '')).length).toBe(1);
      } finally {
        await store.close();
      }
    }
  }, 120_000);
});
