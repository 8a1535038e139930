import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { committedIds, ensureBuilt, healthyStore, inspectStore, runWorker, storedResultIds } from '../helpers/store-processes';

// Real processes, as Jest workers are: each opens the same file and writes at the same time.
const WRITERS = 4;
const RESULTS_EACH = 60;

describe('SqliteStore with several processes writing at once', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-concurrency-'));
    ensureBuilt();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`loses nothing and never fails with SQLITE_BUSY (${WRITERS} processes × ${RESULTS_EACH} results)`, async () => {
    const file = path.join(tmp, 'shared.db');
    const exits = await Promise.all(Array.from({ length: WRITERS }, () => runWorker(['write', file, String(RESULTS_EACH)])));
    for (const exit of exits) expect(exit).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    const written = exits.flatMap((exit) => committedIds(exit.stdout));
    expect(written).toHaveLength(WRITERS * RESULTS_EACH);
    expect(storedResultIds(file)).toEqual([...written].sort());
    expect(inspectStore(file)).toEqual(healthyStore(WRITERS * RESULTS_EACH));
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM baselines').get()).toEqual({ n: WRITERS * RESULTS_EACH });
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: WRITERS });
    db.close();
  }, 60_000);
});
