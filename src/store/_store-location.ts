import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreError } from '../errors';
import { errorCode } from './_busy-retry';
import { explainStoreError, isWritable } from './_store-errors';

const SQLITE_HEADER = 'SQLite format 3\u0000';

// The -shm file starts with two copies of the WAL index header, then the checkpoint info
// (https://sqlite.org/walformat.html), in the byte order of the machine that wrote it.
const SHM_IS_INIT_OFFSET = 12;
const SHM_MAX_FRAME_OFFSET = 16;
const SHM_BACKFILL_OFFSET = 96;
const SHM_HEADER_BYTES = 100;

function assertSqliteFile(file: string): void {
  const handle = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = fs.readSync(handle, header, 0, 16, 0);
    if (read === 0) return;
    if (read < 16 || header.toString('latin1') !== SQLITE_HEADER) {
      throw new StoreError(
        `${file} is not a SQLite database, so it cannot be a perfguard store; it was left untouched. Point PERFGUARD_DB (or the store option) at another file, or move this one aside.`,
      );
    }
  } finally {
    fs.closeSync(handle);
  }
}

/** Committed WAL frames the -shm file says are not yet copied into the database file. */
function framesOnlyInWal(shmFile: string): number {
  let header: Buffer;
  try {
    header = fs.readFileSync(shmFile).subarray(0, SHM_HEADER_BYTES);
  } catch {
    return 0;
  }
  if (header.length < SHM_HEADER_BYTES || header[SHM_IS_INIT_OFFSET] !== 1) return 0;
  const read = (offset: number): number => (os.endianness() === 'LE' ? header.readUInt32LE(offset) : header.readUInt32BE(offset));
  return Math.max(0, read(SHM_MAX_FRAME_OFFSET) - read(SHM_BACKFILL_OFFSET));
}

/**
 * Refuses a store copied without its `-wal` file while its `-shm` file says the log held
 * committed writes. SQLite would open it silently without those writes and then delete the
 * `-shm`, the only trace of the loss. A process closing the store deletes `-shm` before
 * `-wal`, and one opening it creates `-wal` first; looking twice in this order, a live store
 * could be taken for such a copy only if it were closed, reopened and written to between
 * two looks microseconds apart.
 */
function assertWalNotLost(file: string): void {
  const walFile = `${file}-wal`;
  const shmFile = `${file}-shm`;
  if (fs.existsSync(walFile) || framesOnlyInWal(shmFile) === 0) return;
  if (fs.existsSync(walFile)) return;
  const frames = framesOnlyInWal(shmFile);
  if (frames === 0) return;
  const name = path.basename(file);
  throw new StoreError(
    `The perfguard store ${file} has lost its write-ahead log: ${shmFile} records ${frames} committed page(s) that were only in ${walFile}, which is missing, so the newest results are not in ${name}. This happens when a store is copied without its -wal file while a process had it open. ${name} and ${name}-shm were left untouched. Copy ${name}-wal from the original as well (copy a store only when no process has it open, or with \`perfguard merge copy.db ${name}\`). To use the store without those pages, delete ${shmFile}.`,
  );
}

/** The file's status; undefined when nothing is there, or a parent is a file (mkdir then says so). */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR') return undefined;
    throw explainStoreError(file, 'open', error, 0);
  }
}

/**
 * Checks the location of a store before SQLite touches it: a directory, a file that is not
 * SQLite, or a copy missing its write-ahead log is refused with a {@link StoreError}; a
 * missing folder is created unless `readonly`.
 * @returns whether the file already existed
 */
export function prepareLocation(file: string, readonly: boolean): boolean {
  const stat = statOf(file);
  if (stat?.isDirectory() === true) {
    throw new StoreError(
      `The perfguard store path ${file} is a directory, not a file; it was left untouched. Point PERFGUARD_DB (or the store option, or --db) at a file, such as ${path.join(file, 'perfguard.db')}.`,
    );
  }
  if (stat !== undefined) {
    assertSqliteFile(file);
    assertWalNotLost(file);
    // SQLite would open a read-only file for reading without a word, and create -wal and
    // -shm files beside it before the first write failed.
    if (!readonly && !isWritable(file)) {
      throw explainStoreError(file, 'write to', Object.assign(new Error(`${file} is read-only`), { code: 'EACCES' }), 0);
    }
    return true;
  }
  if (readonly) {
    throw new StoreError(
      `No perfguard store at ${file}. Run the performance tests first, or pass --db (or PERFGUARD_DB) with the path of an existing store.`,
    );
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw explainStoreError(file, 'create the folder of', error, 0);
  }
  return false;
}
