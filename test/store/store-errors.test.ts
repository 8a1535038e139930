import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../src/errors';
import { explainStoreError } from '../../src/store/_store-errors';
import { SqliteStore } from '../../src/store/sqlite-store';
import { makeResult, makeRun } from '../helpers/records';

// A short busy timeout on the store's handle stands in for the real 60 s, so these tests meet
// real locks held by another connection and read the wait the message reports.
const SHORT_TIMEOUT_MS = 200;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-errors-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The wait a lock message reports, in ms. */
function reportedWaitMs(message: string): number {
  const match = /for (\d+) ms while/.exec(message);
  if (match === null) throw new Error(`no wait in: ${message}`);
  return Number(match[1]);
}

function thrownBy(work: () => unknown): StoreError {
  try {
    work();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('store errors say what happened, to which file, how long it waited, and the fix', () => {
  it('reports a write that waited out the busy timeout behind another connection, with the real wait', () => {
    const file = path.join(tmp, 'perf.db');
    void SqliteStore.open(file).close();
    const store = new SqliteStore(new Database(file, { timeout: SHORT_TIMEOUT_MS }), file);
    const run = makeRun();
    store.writes.ensureRun(run);
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const error = thrownBy(() => store.writes.insertResult(makeResult(run.id, 'blocked')));
    expect(error.message).toMatch(
      new RegExp(
        `^The perfguard store ${file} stayed locked by another process for \\d+ ms while trying to store a result in the perfguard store \\(SQLITE_BUSY\\); perfguard waits up to 200 ms\\. .*Find it with \`fuser ${file}\`, end it, and run again\\.$`,
      ),
    );
    // SQLite's busy handler sleeps until the timeout has passed before it gives up.
    expect(reportedWaitMs(error.message)).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS * 0.9);
    holder.exec('ROLLBACK');
    store.writes.insertResult(makeResult(run.id, 'after the lock'));
    expect(store.reads.counts().results).toBe(1);
    holder.close();
    void store.close();
  });

  it('reports an opening step that stayed locked through every retry, naming the step', () => {
    const file = path.join(tmp, 'perf.db');
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE; CREATE TABLE placeholder (x)');
    const error = thrownBy(() => new SqliteStore(new Database(file, { timeout: SHORT_TIMEOUT_MS }), file));
    expect(error.message).toMatch(new RegExp(`^The perfguard store ${file} stayed locked by another process for \\d+ ms while trying to set WAL mode on the perfguard store`));
    expect(reportedWaitMs(error.message)).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS * 0.9);
    holder.exec('ROLLBACK');
    holder.close();
  });

  it('tells a BUSY answered at once from a lock held for long', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY_SNAPSHOT' });
    expect(explainStoreError('/x/perf.db', 'store a result in', busy, 3, 60_000).message).toBe(
      'SQLite answered SQLITE_BUSY_SNAPSHOT after 3 ms while trying to store a result in the perfguard store /x/perf.db, without waiting for the lock: another process was using it at the same moment in a way SQLite does not wait for. Nothing was written. Run again; if it happens again, report it to perfguard with this message.',
    );
    expect(explainStoreError('/x/perf.db', 'read', busy, 61_234, 60_000).message).toMatch(
      /^The perfguard store \/x\/perf\.db stayed locked by another process for 61\.2 s while trying to read the perfguard store \(SQLITE_BUSY_SNAPSHOT\); perfguard waits up to 60\.0 s\./,
    );
  });

  it('says a store is being created, not that it is old, when a reader finds it empty', () => {
    const file = path.join(tmp, 'perf.db');
    fs.writeFileSync(file, '');
    expect(() => SqliteStore.open(file, { readonly: true })).toThrow(
      `The perfguard store ${file} is empty: a run is creating it right now, or one stopped before writing anything. Run the performance tests (or wait for the running ones to finish) and open it again.`,
    );
  });
});
