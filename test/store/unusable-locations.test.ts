import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreError } from '../../src/errors';
import { SqliteStore } from '../../src/store/sqlite-store';
import { runCli } from '../helpers/cli';
import { makeEpoch, makeResult, makeRun } from '../helpers/records';
import { ensureBuilt, findPermissionEnforcer, itWhenAvailable, reportedError, runWorker, storeFiles } from '../helpers/store-processes';

// Root writes through any file mode, so for root the processes that must meet a read-only
// folder run without CAP_DAC_OVERRIDE (see findPermissionEnforcer); probed, not assumed.
const enforcer = findPermissionEnforcer();
const itWithPermissions = itWhenAvailable('Making a folder unwritable for a child process', enforcer.reason);

let tmp: string;
beforeAll(() => ensureBuilt());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-location-'));
});
afterEach(() => {
  for (const entry of fs.readdirSync(tmp, { recursive: true, withFileTypes: true })) fs.chmodSync(path.join(entry.parentPath, entry.name), 0o755);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens the store in a child process that cannot write where the file modes forbid it. */
async function openAsUser(file: string, mode: 'write' | 'readonly'): Promise<{ code: number | null; message: string | undefined }> {
  const exit = await runWorker(['open', file, ...(mode === 'readonly' ? ['readonly'] : [])], enforcer.command);
  return { code: exit.code, message: reportedError(exit.stdout)?.message };
}

/** A closed store of one run with `count` results, each with its epoch. */
function writeStore(file: string, count: number): string[] {
  const store = SqliteStore.open(file);
  const run = makeRun();
  store.writes.ensureRun(run);
  const ids = Array.from({ length: count }, (_, i) => {
    const result = makeResult(run.id, `test ${i}`, { seed: i });
    store.writes.insertResult(result, makeEpoch(result));
    return result.id;
  });
  void store.close();
  return ids;
}

describe('a store in a place that cannot hold it', () => {
  itWithPermissions('refuses to create a store in a read-only folder, naming the folder, and creates nothing', async () => {
    const folder = path.join(tmp, 'read-only');
    fs.mkdirSync(folder, { mode: 0o555 });
    const file = path.join(folder, 'perf.db');
    const outcome = await openAsUser(file, 'write');
    expect(outcome.code).toBe(3);
    expect(outcome.message).toBe(
      `Cannot open or create the perfguard store ${file}: its folder ${folder} is not writable, and SQLite must create perf.db-wal and perf.db-shm beside the store (SQLITE_CANTOPEN). Nothing was changed. Make the folder writable for this user, or point PERFGUARD_DB (or the store option) at a file in a writable folder.`,
    );
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  itWithPermissions('refuses to open a store in a read-only folder, for writing or reading, and leaves it byte for byte as it was', async () => {
    const folder = path.join(tmp, 'read-only');
    const file = path.join(folder, 'perf.db');
    writeStore(file, 3);
    fs.chmodSync(folder, 0o555);
    const before = storeFiles(file);
    for (const mode of ['write', 'readonly'] as const) {
      const outcome = await openAsUser(file, mode);
      expect(outcome.code).toBe(3);
      expect(outcome.message).toMatch(new RegExp(`^Cannot .* the perfguard store ${file}: its folder ${folder} is not writable, and SQLite must create perf\\.db-wal and perf\\.db-shm beside the store \\(SQLITE_`));
    }
    expect(storeFiles(file)).toEqual(before);
  });

  itWithPermissions('refuses to write to a read-only store file before creating anything beside it, and still reads it', async () => {
    const file = path.join(tmp, 'perf.db');
    writeStore(file, 2);
    fs.chmodSync(file, 0o444);
    const before = storeFiles(file);
    const outcome = await openAsUser(file, 'write');
    expect(outcome.code).toBe(3);
    expect(outcome.message).toMatch(new RegExp(`^Cannot write to the perfguard store ${file}: ${file} is read-only \\(EACCES\\)\\. Nothing was changed\\.`));
    expect(storeFiles(file)).toEqual(before);
    expect(fs.readdirSync(tmp)).toEqual(['perf.db']);
    expect(await openAsUser(file, 'readonly')).toEqual({ code: 0, message: undefined });
  });

  it('refuses a store path that is a directory, saying so, and leaves the directory as it was', async () => {
    const folder = path.join(tmp, 'baselines');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const expected = `The perfguard store path ${folder} is a directory, not a file; it was left untouched. Point PERFGUARD_DB (or the store option, or --db) at a file, such as ${path.join(folder, 'perfguard.db')}.`;
    expect(() => SqliteStore.open(folder)).toThrow(new StoreError(expected));
    expect(() => SqliteStore.open(folder, { readonly: true })).toThrow(new StoreError(expected));
    const report = await runCli(['report', '--db', folder], tmp);
    expect(report).toEqual({ code: 2, stdout: '', stderr: `perfguard: ${expected}\n` });
    expect(fs.readdirSync(folder)).toEqual(['notes.txt']);
  });
});

describe('a store copied while a process had it open', () => {
  /** A store held open with its newest results only in the -wal file, as during a test run. */
  function openStoreWithResultsInWal(file: string): { store: SqliteStore; ids: string[] } {
    const ids = writeStore(file, 2);
    const store = SqliteStore.open(file);
    const run = makeRun();
    store.writes.ensureRun(run);
    for (let i = 0; i < 3; i++) {
      const result = makeResult(run.id, `late ${i}`, { seed: i });
      store.writes.insertResult(result, makeEpoch(result));
      ids.push(result.id);
    }
    return { store, ids };
  }

  function copy(file: string, to: string, suffixes: string[]): string {
    fs.mkdirSync(to);
    for (const suffix of suffixes) fs.copyFileSync(`${file}${suffix}`, path.join(to, `perf.db${suffix}`));
    return path.join(to, 'perf.db');
  }

  it('refuses a copy without its -wal file, says what is missing and how to recover, and changes none of its files', async () => {
    const { store, ids } = openStoreWithResultsInWal(path.join(tmp, 'perf.db'));
    const copied = copy(store.location, path.join(tmp, 'copy'), ['', '-shm']);
    const before = storeFiles(copied);
    const lost = new RegExp(
      `^The perfguard store ${copied} has lost its write-ahead log: ${copied}-shm records \\d+ committed page\\(s\\) that were only in ${copied}-wal, which is missing, so the newest results are not in perf\\.db\\. This happens when a store is copied without its -wal file while a process had it open\\. perf\\.db and perf\\.db-shm were left untouched\\. Copy perf\\.db-wal from the original as well \\(copy a store only when no process has it open, or with \`perfguard merge copy\\.db perf\\.db\`\\)\\. To use the store without those pages, delete ${copied}-shm\\.$`,
    );
    expect(() => SqliteStore.open(copied)).toThrow(lost);
    expect(() => SqliteStore.open(copied, { readonly: true })).toThrow(lost);
    const target = SqliteStore.open(path.join(tmp, 'merged.db'));
    await expect(target.mergeFrom(copied)).rejects.toThrow(lost);
    void target.close();
    expect(storeFiles(copied)).toEqual(before);

    fs.copyFileSync(`${store.location}-wal`, `${copied}-wal`);
    const repaired = SqliteStore.open(copied, { readonly: true });
    expect(repaired.reads.counts().results).toBe(ids.length);
    void repaired.close();
    void store.close();
  });

  it('opens a copy of the store and its -wal file without the -shm file, with every result', () => {
    const { store, ids } = openStoreWithResultsInWal(path.join(tmp, 'perf.db'));
    const copied = copy(store.location, path.join(tmp, 'copy'), ['', '-wal']);
    void store.close();
    const reopened = SqliteStore.open(copied);
    expect(reopened.reads.counts().results).toBe(ids.length);
    void reopened.close();
  });

  it('keeps everything in the one .db file once every process has closed the store', () => {
    const { store, ids } = openStoreWithResultsInWal(path.join(tmp, 'perf.db'));
    void store.close();
    expect(fs.readdirSync(tmp)).toEqual(['perf.db']);
    const copied = copy(store.location, path.join(tmp, 'copy'), ['']);
    const reopened = SqliteStore.open(copied, { readonly: true });
    expect(reopened.reads.counts().results).toBe(ids.length);
    void reopened.close();
  });
});
