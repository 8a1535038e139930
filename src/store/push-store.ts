import type { BaselineEpoch } from '../types';
import type { PerfguardStore, StoreCounts } from './perfguard-store';
import type { SqliteStore } from './sqlite-store';

/** What a push added, and what the pushed store holds. */
export interface PushOutcome {
  added: StoreCounts;
  pushed: StoreCounts;
}

function addCounts(total: StoreCounts, more: StoreCounts): void {
  total.runs += more.runs;
  total.results += more.results;
  total.epochs += more.epochs;
}

/**
 * Copies every run, result and epoch of a SQLite store into `target` (typically the shared
 * PostgreSQL store) that is not there yet, matched by id: pushing the same store twice adds
 * nothing. Each run goes in one transaction with its results and the epochs founded on them,
 * so the target never holds a result without its epoch; the rest (deletion markers) goes last.
 * An interrupted push is finished by pushing again.
 * @param onRun called after each run, with what has been added so far
 */
export async function pushStore(source: SqliteStore, target: PerfguardStore, onRun?: (added: StoreCounts) => void): Promise<PushOutcome> {
  const epochsByResult = new Map<string, BaselineEpoch[]>();
  const unplaced: BaselineEpoch[] = [];
  for (const epoch of source.reads.allEpochs()) {
    if (epoch.resultId === null) unplaced.push(epoch);
    else epochsByResult.set(epoch.resultId, [...(epochsByResult.get(epoch.resultId) ?? []), epoch]);
  }
  const added: StoreCounts = { runs: 0, results: 0, epochs: 0 };
  const pushed: StoreCounts = { runs: 0, results: 0, epochs: 0 };
  for (const run of source.reads.allRuns()) {
    const results = source.reads.resultsOfRun(run.id);
    const epochs = results.flatMap((result) => epochsByResult.get(result.id) ?? []);
    for (const result of results) epochsByResult.delete(result.id);
    addCounts(added, await target.importRecords({ runs: [run], results, epochs }));
    addCounts(pushed, { runs: 1, results: results.length, epochs: epochs.length });
    onRun?.(added);
  }
  // Deletion markers (epochs of no result).
  const rest = [...unplaced, ...[...epochsByResult.values()].flat()];
  if (rest.length > 0) addCounts(added, await target.importRecords({ runs: [], results: [], epochs: rest }));
  addCounts(pushed, { runs: 0, results: 0, epochs: rest.length });
  return { added, pushed };
}
