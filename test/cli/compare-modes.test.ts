import Database from 'better-sqlite3';
import { compareStores } from '../../src/cli/commands/compare-command';
import { SqliteStore } from '../../src/store/sqlite-store';
import type { MeasuringMode, ResultRecord } from '../../src/types';
import { makeResult, makeRun } from '../helpers/records';

// `perfguard compare` judges each head result in the mode it was measured in: counts against
// counts with the thresholds the head's verdict used, and never a count against a time.

function counted(result: ResultRecord, mode: MeasuringMode, instructions: number): ResultRecord {
  const processes = result.report.processes.map((process) => ({ ...process, instructions: mode === 'instructions' ? instructions : null }));
  return {
    ...result,
    report: {
      ...result.report,
      mode,
      processes,
      thresholds: { ...result.report.thresholds!, duration: { warning: 1.01, critical: 1.5, minimumDelta: 0 } },
      ...(mode === 'instructions' ? { instructions: { median: instructions, rounds: [instructions, instructions + 2, instructions - 1], callsPerRound: 4, roundSpread: 3 / instructions, overheadPerCall: 10 } } : {}),
    },
  };
}

async function storeWith(name: string, mode: MeasuringMode, instructions: number): Promise<SqliteStore> {
  const store = new SqliteStore(new Database(':memory:'));
  const run = makeRun({ id: `run-${name}-${instructions}` });
  await store.ensureRun(run);
  await store.insertResult(counted(makeResult(run.id, 'parse'), mode, instructions));
  return store;
}

describe('compareStores across modes', () => {
  it('judges instruction counts as counts, with the thresholds the head used', async () => {
    const base = await storeWith('base', 'instructions', 1_000_000);
    const head = await storeWith('head', 'instructions', 1_020_000);
    const summary = await compareStores(base, head, 0.95);
    const [report] = summary.reports;
    expect(report?.verdicts.map((verdict) => [verdict.metricType, verdict.status])).toEqual([['instructions', 'warning']]);
    expect(report?.verdicts[0]?.regressionFactor).toBeCloseTo(1.02, 4);
  });

  it('refuses to compare a count with a time, naming the test and the fix', async () => {
    const base = await storeWith('base', 'time', 0);
    const head = await storeWith('head', 'instructions', 1_000_000);
    await expect(compareStores(base, head, 0.95)).rejects.toThrow("'parse' was measured in the time mode in the base store and in the instructions mode in the head store: instruction counts and times cannot be compared. Measure both commits in the same mode.");
  });
});
